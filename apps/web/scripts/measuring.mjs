// What the measuring scripts (Lighthouse, first interaction) share: the measured setup (the built API on a
// throw-away embedded database that it seeds with demo data, and the production web app in front of it, each on a
// free port) and how their reports are written.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { freePort, waitForHttp } from '../../../ops/cluster/local-servers.mjs';
import { CHROMIUM_PATH } from '../chromium.mjs';

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const root = join(webDir, '..', '..');

/** Stops the script with a message naming what is missing: Chromium, the built API, the web app's build. */
export function requireBuilds(tool) {
  for (const [path, what] of [
    [CHROMIUM_PATH, `Chromium (apt-get install -y chromium, or set CHROME_PATH)`],
    [join(root, 'apps/api/dist/server.js'), 'the built API (npm run build)'],
    [join(webDir, '.next/BUILD_ID'), 'the production build of the web app (npm run build)'],
  ]) {
    if (!existsSync(path)) {
      console.error(`${tool} needs ${what}: ${path} is missing.`);
      process.exit(1);
    }
  }
}

/**
 * Starts the API (demo data) and the web app; `webApiUrl` may put something between them (a relay that holds
 * chosen requests). `close()` stops both and deletes the data; so does Ctrl-C.
 */
export async function startProductionStack({ name, webApiUrl = async (apiUrl) => apiUrl }) {
  const children = [];
  const dataDir = mkdtempSync(join(tmpdir(), `mentorhub-${name}-`));
  const close = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    close();
    process.exit(130);
  });
  try {
    const [apiPort, webPort] = [await freePort(), await freePort()];
    const apiUrl = `http://localhost:${apiPort}`;
    const webUrl = `http://localhost:${webPort}`;
    const api = spawn(process.execPath, [join(root, 'apps/api/dist/server.js')], {
      env: {
        ...process.env,
        // Nothing outlives a run: no database, cache or rate-limit counts from the environment's PostgreSQL or
        // Redis (repeated runs would otherwise sign the demo mentee in until the login limit refuses it).
        DATABASE_URL: '',
        DATABASE_REPLICA_URL: '',
        REDIS_URL: '',
        DATA_DIR: dataDir,
        PORT: String(apiPort),
        LOG_LEVEL: 'warn',
        ALLOWED_ORIGINS: webUrl,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(api);
    console.log('Starting the API on an embedded database (seeding demo data)…');
    await waitForHttp(`${apiUrl}/ready`, { child: api, name: 'the API', timeoutMs: 180_000 });
    const web = spawn(process.execPath, [join(webDir, 'server.mjs')], {
      cwd: webDir,
      env: {
        ...process.env,
        API_URL: await webApiUrl(apiUrl),
        PORT: String(webPort),
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(web);
    await waitForHttp(`${webUrl}/robots.txt`, { child: web, name: 'the web app', timeoutMs: 180_000 });
    return { apiUrl, webUrl, close };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * The framework control: `scripts/bare-next`, one page built and served by the web app's own Next.js and React
 * (`next start`). Measured beside the web app's pages, it shows what the framework itself costs on this machine,
 * which no page of the app can go below.
 */
export async function startBareNext() {
  const dir = join(webDir, 'scripts', 'bare-next');
  const next = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const env = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' };
  console.log('Building the bare Next.js page (the framework control)…');
  await new Promise((resolve, reject) => {
    const build = spawn(process.execPath, [next, 'build'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    build.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build of ${dir} failed (${code})`)),
    );
  });
  const port = await freePort();
  const server = spawn(process.execPath, [next, 'start', '-p', String(port)], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://localhost:${port}/`;
  await waitForHttp(url, { child: server, name: 'the bare Next.js page', timeoutMs: 60_000 });
  return { url, close: () => server.kill('SIGTERM') };
}

/** The demo mentee of the seeded data, whose session measures the signed-in pages. */
export const DEMO_MENTEE = { email: 'mentee@mentorhub.example', password: 'mentorhub-demo' };

/** The demo mentee's session cookie, from the API's sign-in (the web app passes the same cookie on). */
export async function signInDemoMentee(apiUrl, webUrl) {
  const response = await fetch(`${apiUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: webUrl },
    body: JSON.stringify(DEMO_MENTEE),
  });
  if (!response.ok) throw new Error(`signing the demo mentee in failed: ${response.status}`);
  const [pair = ''] = (response.headers.get('set-cookie') ?? '').split(';');
  const eq = pair.indexOf('=');
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1) };
}

/** Written as the repository's Prettier settings would format it, so `npm run format:check` stays green. */
export async function writeFormatted(file, text) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, filepath: file }));
}

/** The version line of the Chromium the scripts drive. */
export async function chromeVersion() {
  return new Promise((resolve) => {
    const child = spawn(CHROMIUM_PATH, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', () => resolve(out.trim()));
  });
}
