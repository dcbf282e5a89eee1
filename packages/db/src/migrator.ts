import { Migrator, NO_MIGRATIONS, type Kysely, type MigrationResultSet } from 'kysely';
import { inMigrationTransaction } from './migration-lock';
import { down as dropIndexes, up as createIndexes } from './migrations/0002_indexes';
import { migrationProvider } from './migrations/index';
import { storePlannerSettings } from './planner-settings';

export interface MigrationStep {
  name: string;
  direction: 'Up' | 'Down';
  status: 'Success' | 'Error' | 'NotExecuted';
}

function unwrap(result: MigrationResultSet): MigrationStep[] {
  if (result.error) {
    throw result.error instanceof Error
      ? result.error
      : new Error('Migration failed', { cause: result.error });
  }
  return (result.results ?? []).map(({ migrationName, direction, status }) => ({
    name: migrationName,
    direction,
    status,
  }));
}

/**
 * One migrator run, serialized with every other on the same database by a transaction-level lock: safe for
 * several processes starting at once, directly or through a transaction pooler (see migration-lock.ts). A run
 * that fails leaves the schema as it was. `db` comes from `openDatabase`, whose dialect turns Kysely's own lock off.
 */
async function migrate<DB>(
  db: Kysely<DB>,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationStep[]> {
  const result = await inMigrationTransaction(db, async (connection) => {
    const outcome = await run(
      new Migrator({ db: connection, provider: migrationProvider, disableTransactions: true }),
    );
    return { commit: !outcome.error, result: outcome };
  });
  return unwrap(result);
}

/** The latest schema, and the database's planner settings (new sessions start with them). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  const steps = await migrate(db, (migrator) => migrator.migrateToLatest());
  await storePlannerSettings(db);
  return steps;
}

/**
 * Drops the index set (0002_indexes) and nothing else, to measure what the indexes buy on the current schema
 * (rolling migrations back to before it would also undo every later one, which the API needs); restoreIndexSet
 * creates it again. Meanwhile the migration stays recorded as applied.
 */
export async function dropIndexSet<DB>(db: Kysely<DB>): Promise<void> {
  await dropIndexes(db as Kysely<unknown>);
}

export async function restoreIndexSet<DB>(db: Kysely<DB>): Promise<void> {
  await createIndexes(db as Kysely<unknown>);
}

/** One step back, like the seed's "downgrade -1". */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  return migrate(db, (migrator) => migrator.migrateDown());
}

/** One step forward. */
export async function migrateUp<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  return migrate(db, (migrator) => migrator.migrateUp());
}

/** Every migration down, then up again: an empty, current schema. */
export async function resetDatabase<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  const down = await migrate(db, (migrator) => migrator.migrateTo(NO_MIGRATIONS));
  return [...down, ...(await migrateToLatest(db))];
}
