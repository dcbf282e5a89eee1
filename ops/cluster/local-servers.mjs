// Shared by everything that starts private servers: the cluster (`npm run cluster`), the benchmark, the tests and
// the web app's scripts. Plain JavaScript (typed by local-servers.d.mts), so `node` scripts import it as they are.
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

export async function freePort() {
  const server = net.createServer();
  server.unref();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function eventually(condition, timeoutMs = 8000, failure = () => 'condition not met in time') {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function waitForHttp(
  url,
  { child, name = 'the server', output = () => '', timeoutMs = 60_000 } = {},
) {
  await eventually(
    async () => {
      if (child && (child.exitCode !== null || child.signalCode !== null))
        throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
      try {
        return (await fetch(url)).ok;
      } catch {
        return false; // not listening yet
      }
    },
    timeoutMs,
    () => `${name} did not answer at ${url} within ${timeoutMs / 1000} s:\n${output()}`,
  );
}
