import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { demoSeedOptions, seedDatabase, type SeedOptions } from '@mentorhub/db/seed';
import { createTestDatabase, type TestDatabase } from '@mentorhub/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { expect } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createQueryObserver } from '../../src/infra/db/database';
import { eventually } from './services';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** Every log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  seed?: Partial<SeedOptions> | false;
  env?: Record<string, string>;
  /** Share another app's database (a second API instance); it stays open when this app closes. */
  database?: TestDatabase;
  /** Extra routes (test fixtures), registered before the app is ready. */
  routes?: (app: FastifyInstance) => void;
  /** The app's clock (every time-dependent rule goes by it), for tests that move time instead of waiting. */
  clock?: () => number;
}

/** A logger that parses every line it writes into `logs`. */
export function collectingLogger(level: string, logs: Record<string, unknown>[]): pino.Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return pino({ level }, sink);
}

/** The real app on its own fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), optionally seeded. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', ...options.env });
  const logs: Record<string, unknown>[] = [];
  const logger = collectingLogger(config.LOG_LEVEL, logs);
  const shared = options.database;
  const database = shared
    ? { ...shared, close: () => Promise.resolve() }
    : await createTestDatabase({ log: createQueryObserver(config.SLOW_QUERY_MS, logger) });
  if (!shared && options.seed !== false)
    await seedDatabase(database.db, { ...demoSeedOptions, ...options.seed });
  const app = await buildApp(config, { database, logger, clock: options.clock });
  options.routes?.(app);
  await app.ready();
  return { app, database, logs, close: () => app.close() };
}

/**
 * Two API instances on one database and one Redis, under a key prefix of their own, both with Redis ready.
 * Closing them flushes their keys; a database passed in `options` stays open.
 */
export async function twoInstancesOnRedis(
  redisUrl: string,
  options: TestAppOptions = {},
): Promise<{ a: TestApp; b: TestApp; close(): Promise<void> }> {
  const env = {
    ...options.env,
    REDIS_URL: redisUrl,
    CACHE_PREFIX: `mhtest:${randomBytes(4).toString('hex')}:`,
  };
  const a = await createTestApp({ ...options, env });
  const b = await createTestApp({ database: a.database, env });
  await eventually(() => a.app.cache.tiersReady && b.app.cache.tiersReady);
  return {
    a,
    b,
    async close() {
      await a.app.cache.flush();
      await b.close();
      await a.close();
    },
  };
}

/** The Server-Timing header of a response, parsed: cache status and statement count. */
export function serverTiming(response: LightMyRequestResponse): { cache: string; queries: number } {
  const header = String(response.headers['server-timing']);
  const match = /cache;desc=(\w+), db;dur=[\d.]+;desc="(\d+) quer/.exec(header);
  if (!match?.[1] || !match[2]) throw new Error(`unexpected Server-Timing: ${header}`);
  return { cache: match[1], queries: Number(match[2]) };
}

/** Statements the request ran, read from its Server-Timing header. */
export function queryCount(response: LightMyRequestResponse): number {
  return serverTiming(response).queries;
}

export async function getJson<T>(app: FastifyInstance, url: string, status = 200): Promise<T> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.statusCode, `${url} → ${response.body}`).toBe(status);
  return response.json<T>();
}

/** Follows nextCursor from the first page to the last and returns every item, in order. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type it expects
export async function walkPages<Item>(
  app: FastifyInstance,
  url: string,
): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const pageUrl: string = cursor ? `${url}${separator}cursor=${cursor}` : url;
    const page: { items: Item[]; nextCursor: string | null } = await getJson(app, pageUrl);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (pages > 10_000) throw new Error('cursor walk does not end');
  } while (cursor);
  return { items, pages };
}
