import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Running the outbox: admins list and retry dead letters, and settled rows are deleted after a retention period.
// last_attempt_at is when a worker last claimed the row ("last tried"). settled_at is when the row left 'pending'
// (sent, dead or dropped); the check keeps it set exactly then, so retention and the admin list can trust it.
// outbox_settled_idx serves both: settled rows of one status in settling order, without touching pending rows.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE outbox ADD COLUMN last_attempt_at timestamptz(3)`,
    `ALTER TABLE outbox ADD COLUMN settled_at timestamptz(3)`,
    `UPDATE outbox SET settled_at = coalesce(sent_at, available_at) WHERE status <> 'pending'`,
    `ALTER TABLE outbox ADD CONSTRAINT outbox_settled_check CHECK ((status = 'pending') = (settled_at IS NULL))`,
    `CREATE INDEX outbox_settled_idx ON outbox (status, settled_at, id) WHERE status <> 'pending'`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE outbox DROP COLUMN settled_at`,
    `ALTER TABLE outbox DROP COLUMN last_attempt_at`,
  ]);
}
