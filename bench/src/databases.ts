import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dropIndexSet,
  migrateToLatest,
  openDatabase,
  pgliteDataDir,
  restoreIndexSet,
  type DatabaseHandle,
} from '@mentorhub/db';
import {
  createProgressBar,
  plannedRows,
  seedDatabase,
  demoSeedOptions,
  type SeedOptions,
  type SeedSummary,
} from '@mentorhub/db/seed';
import pg from 'pg';

/** A database of the benchmark's own: a new one on the PostgreSQL server, or an embedded one in a temp folder. */
export interface BenchDatabase {
  label: string;
  /** What the API process needs to use it. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(
  label: string,
  serverUrl: string | undefined,
): Promise<BenchDatabase> {
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), `mentorhub-bench-${label}-`));
    return {
      label,
      env: { DATA_DIR: dir },
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const name = `mentorhub_bench_${label}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    label,
    env: { DATABASE_URL: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Opens the benchmark database from this process for setup (migrations, rows), and closes it afterwards. */
export async function withDatabase<T>(
  database: BenchDatabase,
  use: (handle: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const handle = await openDatabase({
    url: database.env.DATABASE_URL,
    dataDir: pgliteDataDir({ DATA_DIR: database.env.DATA_DIR ?? '' }),
    poolSize: 2,
  });
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

export function seedBenchDatabase(database: BenchDatabase, data: Partial<SeedOptions>): Promise<SeedSummary> {
  const options: SeedOptions = { ...demoSeedOptions, ...data };
  return withDatabase(database, async ({ db }) => {
    await migrateToLatest(db);
    return seedDatabase(db, options, createProgressBar(plannedRows(options)));
  });
}

/** Drops the index set (`up: false`) or creates it again. */
export function setIndexes(database: BenchDatabase, up: boolean): Promise<void> {
  return withDatabase(database, ({ db }) => (up ? restoreIndexSet(db) : dropIndexSet(db)));
}
