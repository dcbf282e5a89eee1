import { sql, type Kysely } from 'kysely';

/**
 * Migrations are plain SQL, one statement per call: PGlite's extended protocol takes a single statement,
 * and explicit DDL keeps constraints (exclusion, partial indexes) readable for reviewers and DBAs.
 */
export async function runStatements(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    await sql.raw(statement).execute(db);
  }
}
