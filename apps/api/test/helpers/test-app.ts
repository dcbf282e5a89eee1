import { demoSeedOptions, seedDatabase, type SeedOptions } from '@mentorhub/db/seed';
import { createTestDatabase, type TestDatabase } from '@mentorhub/db/testing';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { expect } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createQueryObserver } from '../../src/infra/db/database';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on its own fresh database (PGlite, or PostgreSQL when DATABASE_URL is set), optionally seeded. */
export async function createTestApp(
  options: { seed?: Partial<SeedOptions> | false; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...options.env });
  const logger = pino({ level: config.LOG_LEVEL });
  const database = await createTestDatabase({ log: createQueryObserver(config.SLOW_QUERY_MS, logger) });
  if (options.seed !== false) await seedDatabase(database.db, { ...demoSeedOptions, ...options.seed });
  const app = await buildApp(config, { database, logger });
  await app.ready();
  return { app, database, close: () => app.close() };
}

/** Statements the request ran, read from its Server-Timing header. */
export function queryCount(response: LightMyRequestResponse): number {
  const match = /db;dur=[\d.]+;desc="(\d+) quer/.exec(String(response.headers['server-timing']));
  if (!match?.[1])
    throw new Error(`no db entry in Server-Timing: ${String(response.headers['server-timing'])}`);
  return Number(match[1]);
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
