import { Migrator, NO_MIGRATIONS, type Kysely, type MigrationResultSet } from 'kysely';
import { down as dropIndexes, up as createIndexes } from './migrations/0002_indexes';
import { migrationProvider } from './migrations/index';
import { storePlannerSettings } from './planner-settings';

export interface MigrationStep {
  name: string;
  direction: 'Up' | 'Down';
  status: 'Success' | 'Error' | 'NotExecuted';
}

function migratorFor<DB>(db: Kysely<DB>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
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
 * Throws unless every migration has run. A process behind a transaction pooler (PgBouncer) calls this instead of
 * migrating: Kysely serializes migrators with a session-level advisory lock, which a pooler leaves held on
 * whichever server connection took it, so the next process to migrate through it would wait for the lock forever.
 * Migrations run first on a direct connection to the primary (`npm run db:migrate`, `npm run cluster`).
 */
export async function requireCurrentSchema<DB>(db: Kysely<DB>): Promise<void> {
  const pending = (await migratorFor(db).getMigrations()).filter((migration) => !migration.executedAt);
  if (pending.length > 0)
    throw new Error(
      `The schema is not current (pending: ${pending.map(({ name }) => name).join(', ')}). Through a transaction ` +
        'pooler migrations do not run at start: run `npm run db:migrate` with DATABASE_URL set to the primary itself.',
    );
}

/** The latest schema, and the database's planner settings (new sessions start with them). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  const steps = unwrap(await migratorFor(db).migrateToLatest());
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
  return unwrap(await migratorFor(db).migrateDown());
}

/** One step forward. */
export async function migrateUp<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  return unwrap(await migratorFor(db).migrateUp());
}

/** Every migration down, then up again: an empty, current schema. */
export async function resetDatabase<DB>(db: Kysely<DB>): Promise<MigrationStep[]> {
  const down = unwrap(await migratorFor(db).migrateTo(NO_MIGRATIONS));
  return [...down, ...(await migrateToLatest(db))];
}
