import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// The email digest of unread messages. Each conversation member keeps the last message id a digest covered
// (digested_message_id: never mailed twice) and, while the other party's messages wait past both that and the read
// position, when the oldest of them arrived (undigested_since). The digest job walks only the members whose wait
// has begun, through a partial index. It replaces digest_sent_at, which nothing wrote: a time cannot say which
// messages a digest covered. Messages sent before this migration are taken as digested, so deploying it mails
// nobody about old conversations.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE conversation_members
       DROP COLUMN digest_sent_at,
       ADD COLUMN digested_message_id bigint NOT NULL DEFAULT 0,
       ADD COLUMN undigested_since timestamptz(3)`,
    `UPDATE conversation_members cm SET digested_message_id = c.last_message_id
       FROM conversations c WHERE c.id = cm.conversation_id AND c.last_message_id IS NOT NULL`,
    `CREATE INDEX conversation_members_digest_due_idx
       ON conversation_members (undigested_since) WHERE undigested_since IS NOT NULL`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP INDEX conversation_members_digest_due_idx`,
    `ALTER TABLE conversation_members
       DROP COLUMN undigested_since,
       DROP COLUMN digested_message_id,
       ADD COLUMN digest_sent_at timestamptz(3)`,
  ]);
}
