import { PostgresAdapter, sql, type Dialect, type Kysely } from 'kysely';

/** Any constant of MentorHub's own: one migration run at a time per database. */
const MIGRATION_LOCK = 0x6d68_4d49;

/**
 * PostgreSQL's adapter without Kysely's migration lock. Kysely takes a session-level advisory lock before the
 * migration transaction and releases it after; through a transaction pooler (PgBouncer) each of those statements
 * runs on whichever server connection is free, so the release can miss the connection that holds the lock and the
 * next migration waits for it. `inMigrationTransaction` takes a transaction-level lock instead.
 */
class TransactionLockedAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

/** `dialect` with the adapter above: every database this package opens migrates through `inMigrationTransaction`. */
export function withTransactionMigrationLock(dialect: Dialect): Dialect {
  return {
    createAdapter: () => new TransactionLockedAdapter(),
    createDriver: () => dialect.createDriver(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/**
 * Runs `work` on one connection inside one transaction whose first statement takes a transaction-level advisory
 * lock: a concurrent run (another process starting) waits until this one commits, then sees its migrations, and the
 * lock ends with the transaction on the server connection that holds it, through a pooler or not. Kysely's migrator
 * runs inside with its own transaction off, so a run's migrations still commit or roll back together. `work`
 * answers whether to commit.
 */
export async function inMigrationTransaction<DB, T>(
  db: Kysely<DB>,
  work: (connection: Kysely<DB>) => Promise<{ commit: boolean; result: T }>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    // Kysely's own transactions cannot host its migrator (it asks for a connection of its own), hence plain BEGIN.
    await sql`BEGIN`.execute(connection);
    try {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(connection);
      const { commit, result } = await work(connection);
      await sql.raw(commit ? 'COMMIT' : 'ROLLBACK').execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      throw error;
    }
  });
}
