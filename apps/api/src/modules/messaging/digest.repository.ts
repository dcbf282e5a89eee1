import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The messages a digest can be about, for the member row `cm`: the other party's messages, not hidden, after both
 * the member's read position and `after` (and up to `upTo`).
 */
function waitingMessages(after: RawBuilder<unknown>, upTo?: RawBuilder<unknown>) {
  return sql`messages m
    WHERE m.conversation_id = cm.conversation_id AND m.sender_id = cm.other_user_id AND m.hidden_at IS NULL
      AND m.id > greatest(cm.last_read_message_id, ${after})${upTo ? sql` AND m.id <= ${upTo}` : sql``}`;
}

/** Whether either member of `cm`'s conversation blocked the other (each test one primary-key lookup). */
const blockedEitherWay = sql<boolean>`(
  EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = cm.user_id AND b.blocked_id = cm.other_user_id)
  OR EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = cm.other_user_id AND b.blocked_id = cm.user_id))`;

/** Who a digest is for, and whether it may reach them: the same columns whenever a digest is decided. */
export interface DigestRecipientRow {
  suspended_until: Date | null;
  opted_out: string[] | null;
  blocked: boolean;
}

export interface DueMemberRow extends DigestRecipientRow {
  conversation_id: number;
  user_id: number;
  digested_message_id: string;
  /** When the oldest waiting message arrived; null when none waits any more (read, hidden). */
  oldest_at: Date | null;
  newest_id: string | null;
}

/**
 * Member rows whose digest wait began before `cutoff` (conversation_members_digest_due_idx), each user's rows
 * together, with what waits in each. The rows are locked, and rows another run holds are skipped rather than
 * waited for, so concurrent runs share the work and never take the same row.
 */
export function dueMembersQuery(cutoff: Date, limit: number) {
  return sql<DueMemberRow>`
    SELECT cm.conversation_id, cm.user_id, cm.digested_message_id::text AS digested_message_id,
           u.suspended_until, p.opted_out, ${blockedEitherWay} AS blocked,
           (SELECT min(m.created_at) FROM ${waitingMessages(sql`cm.digested_message_id`)}) AS oldest_at,
           (SELECT max(m.id)::text FROM ${waitingMessages(sql`cm.digested_message_id`)}) AS newest_id
      FROM conversation_members cm
      JOIN users u ON u.id = cm.user_id
      LEFT JOIN notification_preferences p ON p.user_id = cm.user_id
     WHERE cm.undigested_since < ${cutoff}
     ORDER BY cm.user_id, cm.conversation_id
     LIMIT ${limit}
       FOR UPDATE OF cm SKIP LOCKED`;
}

export interface SettledMember {
  conversationId: number;
  userId: number;
  /** The new digest position (the current one when nothing was due). */
  upToId: string;
}

/**
 * Moves each member's digest position forward to `upToId` and sets its wait to the oldest message still waiting
 * after it (null: none), read afresh, so a message that committed during the run keeps its place. One statement.
 */
export async function settleMembers(trx: Transaction<Database>, members: readonly SettledMember[]) {
  if (members.length === 0) return;
  const rows = JSON.stringify(
    members.map(({ conversationId, userId, upToId }) => ({
      conversation_id: conversationId,
      user_id: userId,
      up_to: upToId,
    })),
  );
  await sql`
    UPDATE conversation_members cm
       SET digested_message_id = greatest(cm.digested_message_id, v.up_to),
           undigested_since = (SELECT min(m.created_at) FROM ${waitingMessages(sql`greatest(cm.digested_message_id, v.up_to)`)})
      FROM jsonb_to_recordset(${rows}::jsonb) AS v (conversation_id integer, user_id integer, up_to bigint)
     WHERE cm.conversation_id = v.conversation_id AND cm.user_id = v.user_id`.execute(trx);
}

export interface DigestConversationRow extends DigestRecipientRow {
  conversation_id: number;
  other_name: string;
  unread: number;
  newest_body: string | null;
}

/**
 * What a digest says at delivery, read as things are now: for each of its conversations the other party, how many
 * of its messages are still unread and not hidden, and the newest of them; newest conversation first.
 */
export async function digestConversations(
  db: Db,
  recipientId: number,
  conversations: readonly { conversationId: number; afterId: string; upToId: string }[],
): Promise<DigestConversationRow[]> {
  const entries = JSON.stringify(
    conversations.map(({ conversationId, afterId, upToId }) => ({
      conversation_id: conversationId,
      after_id: afterId,
      up_to: upToId,
    })),
  );
  const waiting = waitingMessages(sql`v.after_id`, sql`v.up_to`);
  const { rows } = await sql<DigestConversationRow>`
    SELECT cm.conversation_id, o.name AS other_name, u.suspended_until, p.opted_out,
           ${blockedEitherWay} AS blocked,
           (SELECT count(*)::int FROM ${waiting}) AS unread,
           (SELECT m.body FROM ${waiting} ORDER BY m.id DESC LIMIT 1) AS newest_body
      FROM jsonb_to_recordset(${entries}::jsonb) AS v (conversation_id integer, after_id bigint, up_to bigint)
      JOIN conversation_members cm ON cm.conversation_id = v.conversation_id AND cm.user_id = ${recipientId}
      JOIN users u ON u.id = cm.user_id
      JOIN users o ON o.id = cm.other_user_id
      LEFT JOIN notification_preferences p ON p.user_id = cm.user_id
     ORDER BY v.up_to DESC`.execute(db);
  return rows;
}
