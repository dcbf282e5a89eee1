import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Sessions end after a period without use (the idle timeout) as well as at expires_at (the absolute lifetime):
// last_seen_at is when the session was last used, moved forward at most once per interval so that signed-in
// reads do not each write. Existing sessions count as seen when the migration runs.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz(3) NOT NULL DEFAULT now()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`ALTER TABLE sessions DROP COLUMN last_seen_at`]);
}
