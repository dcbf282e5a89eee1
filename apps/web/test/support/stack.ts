import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@mentorhub/db/testing';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '@mentorhub/db';
import { buildApp } from '../../../api/src/app';
import { loadConfig, type Config } from '../../../api/src/config/config';
import { freePort, waitForHttp } from '../../../../ops/cluster/local-servers.mjs';
import { HoldingProxy } from './holding-proxy';

export const webDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const nextBin = join(webDir, '..', '..', 'node_modules', 'next', 'dist', 'bin', 'next');

export interface Stack {
  /** The one origin the browser uses: pages, and `/api/*` passed through to the API. */
  webUrl: string;
  apiUrl: string;
  api: FastifyInstance;
  database: TestDatabase;
  /** Live sockets open on the API processes the browser reaches (to know an open page is listening). */
  liveConnections(): Promise<number>;
  /** Between the web app and the API when `holdApi` was given. */
  apiRelay: HoldingProxy | null;
  close(): Promise<void>;
}

/** A production build of the web app, made once when there is none (CI builds it before the tests). */
export function ensureWebBuild(): void {
  if (existsSync(join(webDir, '.next', 'BUILD_ID'))) return;
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
}

const TAGS = [
  ['react', 'React'],
  ['typescript', 'TypeScript'],
  ['system-design', 'System Design'],
  ['postgresql', 'PostgreSQL'],
  ['career-growth', 'Career Growth'],
] as const;

/** Limits the journeys would reach: every test account signs up from this one machine's address. */
export const JOURNEY_LIMITS = { SIGNUPS_PER_HOUR: '1000', PASSWORD_RESETS_PER_HOUR: '1000' } as const;

/**
 * The configuration of the API the tests drive directly (fixtures, the outbox, the development mailbox): mail is
 * written as files under `dataDir/mail` and its links lead to `webUrl`.
 */
export function journeyApiConfig(webUrl: string, dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    ALLOWED_ORIGINS: webUrl,
    SEED_DEMO_DATA: 'false',
    ...JOURNEY_LIMITS,
    DATA_DIR: dataDir,
    WEB_APP_URL: webUrl,
    ...env,
  });
}

/** Reference data that migrations leave to the seed: the expertise vocabulary. */
export async function addExpertiseTags(db: Kysely<Database>): Promise<void> {
  for (const [slug, name] of TAGS)
    await sql`INSERT INTO expertise_tags (slug, name) VALUES (${slug}, ${name})`.execute(db);
}

/** Open live sockets of an API process in this one (its Prometheus gauge). */
export async function liveConnectionsOf(api: FastifyInstance): Promise<number> {
  const metric = await api.metrics.registry.getSingleMetric('live_connections')?.get();
  return metric?.values[0]?.value ?? 0;
}

export interface StackOptions {
  /** Requests of the web app's server to the API (by path and query) that `stack.apiRelay` can hold. */
  holdApi?: (path: string) => boolean;
  /** The API's clock, for journeys that move time instead of waiting (the web app keeps the real one). */
  clock?: () => number;
  /** API settings beyond the journeys' defaults. */
  env?: Record<string, string>;
}

/**
 * The API on a throw-away database (PGlite in memory, or a new database on the DATABASE_URL server, with the
 * REDIS_URL cache when given) and the production web app in front of it, each on a free port.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  ensureWebBuild();
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const webUrl = `http://localhost:${webPort}`;
  const config = journeyApiConfig(webUrl, mkdtempSync(join(tmpdir(), 'mentorhub-web-')), {
    CACHE_PREFIX: `mhweb${randomBytes(3).toString('hex')}:`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...options.env,
  });
  const database = await createTestDatabase();
  await addExpertiseTags(database.db);
  const api = await buildApp(config, { database, clock: options.clock });
  await api.listen({ host: '127.0.0.1', port: apiPort });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const relay = options.holdApi ? await HoldingProxy.start(apiUrl, options.holdApi) : null;

  const web = spawn(process.execPath, [join(webDir, 'server.mjs')], {
    cwd: webDir,
    env: {
      ...process.env,
      API_URL: relay?.url ?? apiUrl,
      PORT: String(webPort),
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  web.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  web.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitForHttp(`${webUrl}/robots.txt`, { child: web, name: 'the web server', output: () => output });
  } catch (error) {
    await stop(web);
    await relay?.close();
    await api.close();
    throw error;
  }

  return {
    webUrl,
    apiUrl,
    api,
    database,
    liveConnections: () => liveConnectionsOf(api),
    apiRelay: relay,
    async close() {
      await stop(web);
      await relay?.close();
      await api.close();
    },
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
