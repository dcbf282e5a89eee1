import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '../../ops/cluster/local-servers.mjs';
import type { LoadRequest, LoadResult } from './load';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Resources {
  /** User + system CPU time the process has used so far, on all its threads. */
  cpuMs: number;
  /** The same for the main thread alone (JavaScript and the event loop), split into user and kernel time. */
  mainThread: { userMs: number; systemMs: number };
  rssBytes: number;
}

/** utime and stime in ms from a /proc stat line (fields 14 and 15 of the full line). */
function cpuTimesOf(statFile: string): { userMs: number; systemMs: number } {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
}

/** CPU and memory of a process, from /proc (Linux). */
export function resourcesOf(pid: number): Resources {
  const all = cpuTimesOf(`/proc/${pid}/stat`);
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return {
    cpuMs: all.userMs + all.systemMs,
    mainThread: cpuTimesOf(`/proc/${pid}/task/${pid}/stat`),
    rssBytes: Number(rss ?? 0) * 1024,
  };
}

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function outputOf(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  return () => output;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => {
        resolve();
      });
      child.kill('SIGTERM');
    });
}

/** What the benchmark's API processes accept at /metrics (they listen on 127.0.0.1 only). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/** Production processes refuse to start without one; the benchmark's data is thrown away. */
const UNSUBSCRIBE_SECRET = 'bench-unsubscribe-key-used-on-throw-away-data';

/**
 * How every API process of the benchmark runs: in production mode, with Server-Timing on (the benchmark reads
 * statement counts from it) and `/metrics` open to the benchmark (cache counters).
 */
export const BENCH_API_SETTINGS = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  SEED_DEMO_DATA: 'false',
  SERVER_TIMING: 'true',
  METRICS_TOKEN: BENCH_METRICS_TOKEN,
  // The load generator is one client at thousands of requests a second: per-client limits would measure 429s.
  EXPENSIVE_READS_PER_MINUTE: '1000000000',
  GRAPHQL_COST_PER_MINUTE: '1000000000',
} as const;

/** Where the API process comes from and how Node runs it, when not the defaults. */
export interface ApiLaunch {
  /** The repository whose build runs: this one unless a comparison names another. */
  checkout?: string;
  /** Flags for Node itself, before the script (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

/** The built API as a production process, configured only by the environment given here. */
export async function startApi(
  env: Record<string, string>,
  { checkout = repositoryRoot, nodeFlags = [] }: ApiLaunch = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, join(checkout, 'apps/api/dist/server.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      ...BENCH_API_SETTINGS,
      UNSUBSCRIBE_SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/ready`, { child, name: 'the API', output, timeoutMs: 120_000 });
  return { url, pid: child.pid ?? 0, stop: stopper(child) };
}

/** A built outbox worker (`npm run worker`) as a production process; resolves once it has started polling. */
export async function startOutboxWorker(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [`${repositoryRoot}apps/api/dist/worker.js`], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      UNSUBSCRIBE_SECRET,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('outbox worker started')) resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`outbox worker exited with code ${String(code)}:\n${output()}`));
    });
  });
  return { url: '', pid: child.pid ?? 0, stop: stopper(child) };
}

/** A bare node:http server sending the given response (the throughput ceiling of this machine). */
export async function startBareServer(responseFile: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [here('./bare-server.mjs'), String(port), responseFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, { child, name: 'the bare server', output });
  return { url, pid: child.pid ?? 0, stop: stopper(child) };
}

/** One autocannon run in a separate process; throws if any response was not 2xx or any request failed. */
export async function runLoad(request: LoadRequest, label: string): Promise<LoadResult> {
  const child = spawn(process.execPath, [here('./load-worker.mjs'), JSON.stringify(request)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const output = outputOf(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator failed for ${label}:\n${output()}`);
  const result = JSON.parse(stdout) as LoadResult;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result.total === 0) {
    throw new Error(
      `${label}: ${result.non2xx} non-2xx responses, ${result.errors} errors, ${result.timeouts} timeouts ` +
        `of ${result.total} requests (${request.url}) — a benchmark of failures measures nothing`,
    );
  }
  return result;
}

/** Runs a workspace script and returns its stdout; throws with its output if it fails. */
export async function runNodeScript(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, args, {
    cwd: repositoryRoot,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const output = outputOf(child);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} failed:\n${output()}`);
  return stdout;
}
