// `npm start`: the built API and the production web app together, on the embedded defaults: the API on
// PORT (4000), the web app on WEB_PORT (3000) passing `/api/*` to it. Either one stopping stops both.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(webDir, '..', '..');
const apiPort = process.env.PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const apiUrl = process.env.API_URL ?? `http://localhost:${apiPort}`;

const api = spawn(process.execPath, [join(root, 'apps/api/dist/server.js')], {
  cwd: root,
  // Every visitor reaches the API through the web app on this machine: its forwarded address is the client's, so
  // per-client limits count visitors rather than the web server.
  env: { TRUST_PROXY: '127.0.0.1,::1', ...process.env },
  stdio: 'inherit',
});
const web = spawn(process.execPath, [join(webDir, 'server.mjs')], {
  cwd: webDir,
  env: {
    ...process.env,
    API_URL: apiUrl,
    PORT: webPort,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  },
  stdio: 'inherit',
});
console.log(`MentorHub: open http://localhost:${webPort} (API on ${apiUrl})`);

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of [api, web]) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of [api, web]) child.on('exit', (code) => stop(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
