import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// One conversation per mentee–mentor pair. Messages are ordered by their id: a sender locks the conversation row
// before inserting, so within a conversation ids are handed out in commit order and "after id N" never skips a
// message that commits later. Each participant has a conversation_members row: their read position (the last
// message id they read, unread = the other party's messages after it) and the inbox sort key (the last activity),
// so an inbox page is one index walk of the caller's own rows. user_blocks holds who blocked whom; a block in either
// direction stops messages and bookings between the two.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE conversations (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       mentee_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       mentor_id integer NOT NULL REFERENCES mentors (id) ON DELETE CASCADE,
       last_message_id bigint,
       closed_at timestamptz(3),
       closed_by integer REFERENCES users (id) ON DELETE SET NULL,
       created_at timestamptz(3) NOT NULL DEFAULT now(),
       CONSTRAINT conversations_pair_key UNIQUE (mentee_id, mentor_id)
     )`,
    `CREATE INDEX conversations_mentor_id_idx ON conversations (mentor_id)`,
    `CREATE INDEX conversations_closed_by_idx ON conversations (closed_by) WHERE closed_by IS NOT NULL`,
    `CREATE TABLE messages (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       conversation_id integer NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
       sender_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
       created_at timestamptz(3) NOT NULL DEFAULT now(),
       hidden_at timestamptz(3)
     )`,
    // Keyset history and unread counts: the conversation's messages by id.
    `CREATE INDEX messages_conversation_id_idx ON messages (conversation_id, id)`,
    `CREATE INDEX messages_sender_id_idx ON messages (sender_id)`,
    `ALTER TABLE conversations ADD CONSTRAINT conversations_last_message_id_fkey
       FOREIGN KEY (last_message_id) REFERENCES messages (id) ON DELETE SET NULL`,
    `CREATE TABLE conversation_members (
       conversation_id integer NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
       user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       other_user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       last_read_message_id bigint NOT NULL DEFAULT 0,
       last_activity_at timestamptz(3) NOT NULL DEFAULT now(),
       digest_sent_at timestamptz(3),
       PRIMARY KEY (conversation_id, user_id)
     )`,
    // The inbox: a user's conversations, most recent activity first.
    `CREATE INDEX conversation_members_inbox_idx
       ON conversation_members (user_id, last_activity_at DESC, conversation_id DESC)`,
    `CREATE INDEX conversation_members_other_user_id_idx ON conversation_members (other_user_id)`,
    `CREATE TABLE user_blocks (
       blocker_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       blocked_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       created_at timestamptz(3) NOT NULL DEFAULT now(),
       PRIMARY KEY (blocker_id, blocked_id),
       CHECK (blocker_id <> blocked_id)
     )`,
    `CREATE INDEX user_blocks_blocked_id_idx ON user_blocks (blocked_id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TABLE user_blocks`,
    `DROP TABLE conversation_members`,
    `ALTER TABLE conversations DROP CONSTRAINT conversations_last_message_id_fkey`,
    `DROP TABLE messages`,
    `DROP TABLE conversations`,
  ]);
}
