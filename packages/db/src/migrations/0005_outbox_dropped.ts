import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// A message can stop being worth sending before it is delivered: a reminder for a session that was cancelled or
// moved, a mail its recipient opted out of. Such a row is settled as 'dropped' (with the reason in last_error),
// neither sent nor a dead letter that asks an admin to look.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`,
    `ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
       CHECK (status IN ('pending', 'sent', 'dead', 'dropped'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DELETE FROM outbox WHERE status = 'dropped'`,
    `ALTER TABLE outbox DROP CONSTRAINT outbox_status_check`,
    `ALTER TABLE outbox ADD CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'dead'))`,
  ]);
}
