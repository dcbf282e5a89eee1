import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// The transactional outbox: a message to deliver outside the app (an email) is written in the same transaction as
// the change it reports, so a change never commits without its message nor a message without its change. Workers
// claim due rows by pushing available_at past a lease; a worker that dies mid-delivery leaves its row to become
// due again when the lease ends. idempotency_key is unique, so writing the same message twice stores it once.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE outbox (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      channel text NOT NULL CHECK (channel IN ('email')),
      idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) <= 200),
      recipient_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      available_at timestamptz(3) NOT NULL DEFAULT now(),
      claim_token uuid,
      last_error text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      sent_at timestamptz(3)
    )`,
    `CREATE INDEX outbox_due_idx ON outbox (available_at) WHERE status = 'pending'`,
    `CREATE INDEX outbox_recipient_id_idx ON outbox (recipient_id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`DROP TABLE outbox`]);
}
