import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from './connect';
import { databaseEnvSchema } from './env';
import { migrateToLatest } from './migrator';
import { plannerSettingsStatements } from './planner-settings';

export interface TestDatabase extends DatabaseHandle {
  /** The URL of the throw-away database on a real server; undefined on embedded PGlite. */
  url: string | undefined;
}

/**
 * A fresh, migrated database for one test file. With TEST_DATABASE_URL (or DATABASE_URL) it is a new database on
 * that PostgreSQL server, dropped on close; otherwise an in-memory PGlite. Either way tests never share rows.
 */
export async function createTestDatabase(
  options: Pick<DatabaseOptions, 'log'> & { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDatabase({ dataDir: 'memory://', ...options });
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return { ...handle, url: undefined };
  }

  const name = `mentorhub_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    // Before any session opens in it: a pooler keeps its server connections, with the settings they started with.
    for (const statement of plannerSettingsStatements(name)) await admin.query(statement);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const { DATABASE_TRANSACTION_POOLING: transactionPooling } = databaseEnvSchema
    .pick({ DATABASE_TRANSACTION_POOLING: true })
    .parse(process.env);
  const handle = await openDatabase({
    url: url.toString(),
    dataDir: 'memory://',
    poolSize: 5,
    transactionPooling,
    ...options,
  });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}
