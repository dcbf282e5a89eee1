import type { Database } from '@mentorhub/db';
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';

type Db = Kysely<Database> | Transaction<Database>;
type MemberScope = Database & { cm: Database['conversation_members'] };

const messageColumns = ['id', 'conversation_id', 'sender_id', 'body', 'hidden_at', 'created_at'] as const;

type MemberColumn = 'cm.user_id' | 'cm.other_user_id';

/** Whether the member in `blocker` has blocked the one in `blocked`. */
function blockExists(eb: ExpressionBuilder<MemberScope, 'cm'>, blocker: MemberColumn, blocked: MemberColumn) {
  return eb.exists(
    eb
      .selectFrom('user_blocks as b')
      .select('b.blocker_id')
      .whereRef('b.blocker_id', '=', blocker)
      .whereRef('b.blocked_id', '=', blocked),
  );
}

/**
 * Conversations as `userId` sees them, in one statement: the other party, the last message, the other party's read
 * position (read receipts), the caller's unread count (the other party's messages after the caller's read position)
 * and any block between the two. Filter and order it on the caller's member row `cm`.
 */
export function conversationsOf(db: Db, userId: number) {
  return db
    .selectFrom('conversation_members as cm')
    .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
    .innerJoin('conversation_members as om', (join) =>
      join
        .onRef('om.conversation_id', '=', 'cm.conversation_id')
        .onRef('om.user_id', '=', 'cm.other_user_id'),
    )
    .innerJoin('users as o', 'o.id', 'cm.other_user_id')
    .leftJoin('messages as lm', 'lm.id', 'c.last_message_id')
    .where('cm.user_id', '=', userId)
    .select((eb) => [
      'c.id',
      'c.mentor_id',
      'c.mentee_id',
      'c.closed_at',
      'c.created_at',
      'cm.last_activity_at',
      'om.last_read_message_id as other_last_read_id',
      'o.id as other_id',
      'o.name as other_name',
      'o.avatar_media_id as other_avatar_media_id',
      'lm.id as last_id',
      'lm.sender_id as last_sender_id',
      'lm.body as last_body',
      'lm.hidden_at as last_hidden_at',
      'lm.created_at as last_created_at',
      eb
        .selectFrom('messages as m')
        .select((count) => count.fn.countAll<string>().as('n'))
        .whereRef('m.conversation_id', '=', 'cm.conversation_id')
        .whereRef('m.id', '>', 'cm.last_read_message_id')
        .whereRef('m.sender_id', '<>', 'cm.user_id')
        .where('m.hidden_at', 'is', null)
        .as('unread_count'),
      blockExists(eb, 'cm.user_id', 'cm.other_user_id').as('blocked_by_me'),
      blockExists(eb, 'cm.other_user_id', 'cm.user_id').as('blocked_by_other'),
    ]);
}

export type ConversationRow = Awaited<ReturnType<ReturnType<typeof conversationsOf>['execute']>>[number];

/** One page of the inbox, most recent activity first (index conversation_members_inbox_idx). */
export function inboxQuery(db: Db, userId: number, after: CursorKey | undefined, limit: number) {
  const query = conversationsOf(db, userId);
  return keysetPageQuery(query, newestFirst('cm.last_activity_at'), 'cm.conversation_id', after, limit);
}

export function findConversation(db: Db, userId: number, id: number) {
  return conversationsOf(db, userId).where('cm.conversation_id', '=', id).executeTakeFirst();
}

/** The caller's unread messages across all their conversations (the inbox badge). */
export function unreadCountQuery(db: Db, userId: number) {
  return db
    .selectFrom('conversation_members as cm')
    .innerJoin('messages as m', (join) =>
      join
        .onRef('m.conversation_id', '=', 'cm.conversation_id')
        .onRef('m.id', '>', 'cm.last_read_message_id')
        .onRef('m.sender_id', '<>', 'cm.user_id'),
    )
    .where('cm.user_id', '=', userId)
    .where('m.hidden_at', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('n'));
}

export async function countUnread(db: Db, userId: number): Promise<number> {
  const row = await unreadCountQuery(db, userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of a conversation's messages, newest first (index messages_conversation_id_idx). */
export function messagesQuery(db: Db, conversationId: number, beforeId: number | undefined, limit: number) {
  let query = db.selectFrom('messages').select(messageColumns).where('conversation_id', '=', conversationId);
  if (beforeId !== undefined) query = query.where('id', '<', String(beforeId));
  return query.orderBy('id', 'desc').limit(limit + 1);
}

export type MessageRow = Awaited<ReturnType<ReturnType<typeof messagesQuery>['execute']>>[number];

/** A listed mentor's profile and user, for opening a conversation with them. */
export function findListedMentor(db: Db, mentorId: number) {
  return db
    .selectFrom('mentors')
    .select(['id', 'user_id'])
    .where('id', '=', mentorId)
    .where('status', '=', 'approved')
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/** Whether either user blocked the other. */
export async function blockedBetween(db: Db, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('user_blocks')
    .select('blocker_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export function findPair(db: Db, menteeId: number, mentorId: number) {
  return db
    .selectFrom('conversations')
    .select('id')
    .where('mentee_id', '=', menteeId)
    .where('mentor_id', '=', mentorId)
    .executeTakeFirst();
}

/** Locks the user's row: concurrent thread openings by one account are counted one after another. */
export function lockUser(trx: Transaction<Database>, userId: number) {
  return trx.selectFrom('users').select('created_at').where('id', '=', userId).forUpdate().executeTakeFirst();
}

export async function countOpenedSince(db: Db, menteeId: number, since: Date): Promise<number> {
  const row = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('mentee_id', '=', menteeId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Creates the pair's conversation and both member rows, unless it exists; a concurrent creation of the same pair
 * inserts nothing here (the unique pair) and reads the winner's row. Answers its id and whether this call made it.
 */
export async function insertConversation(
  trx: Transaction<Database>,
  pair: { menteeId: number; mentorId: number; mentorUserId: number },
  at: Date,
): Promise<{ id: number; created: boolean }> {
  const inserted = await trx
    .insertInto('conversations')
    .values({ mentee_id: pair.menteeId, mentor_id: pair.mentorId, created_at: at })
    .onConflict((oc) => oc.columns(['mentee_id', 'mentor_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const existing = await findPair(trx, pair.menteeId, pair.mentorId);
    if (!existing) throw new Error('conversation neither inserted nor found');
    return { id: existing.id, created: false };
  }
  await trx
    .insertInto('conversation_members')
    .values([
      {
        conversation_id: inserted.id,
        user_id: pair.menteeId,
        other_user_id: pair.mentorUserId,
        last_activity_at: at,
      },
      {
        conversation_id: inserted.id,
        user_id: pair.mentorUserId,
        other_user_id: pair.menteeId,
        last_activity_at: at,
      },
    ])
    .execute();
  return { id: inserted.id, created: true };
}

/**
 * Locks a conversation the user takes part in, with both participants' user ids; undefined for anyone else. Senders
 * hold this lock while they insert, which keeps a conversation's message ids in commit order.
 */
export function lockConversation(trx: Transaction<Database>, id: number, userId: number) {
  return trx
    .selectFrom('conversations as c')
    .innerJoin('mentors as m', 'm.id', 'c.mentor_id')
    .select(['c.id', 'c.mentee_id', 'm.user_id as mentor_user_id', 'c.closed_at'])
    .where('c.id', '=', id)
    .where((eb) => eb.or([eb('c.mentee_id', '=', userId), eb('m.user_id', '=', userId)]))
    .forUpdate('c')
    .executeTakeFirst();
}

export function insertMessage(
  trx: Transaction<Database>,
  message: { conversationId: number; senderId: number; body: string },
  at: Date,
) {
  return trx
    .insertInto('messages')
    .values({
      conversation_id: message.conversationId,
      sender_id: message.senderId,
      body: message.body,
      created_at: at,
    })
    .returning(messageColumns)
    .executeTakeFirstOrThrow();
}

/**
 * After a message: it is the conversation's last, both sides' inbox moves, the sender has read up to it, and the
 * other participant's digest wait starts unless an older message already started it.
 */
export async function recordMessage(
  trx: Transaction<Database>,
  message: { id: string; conversation_id: number; sender_id: number },
  at: Date,
) {
  await trx
    .updateTable('conversations')
    .set({ last_message_id: message.id })
    .where('id', '=', message.conversation_id)
    .execute();
  await trx
    .updateTable('conversation_members')
    .set((eb) => ({
      last_activity_at: at,
      last_read_message_id: eb
        .case()
        .when('user_id', '=', message.sender_id)
        .then(message.id)
        .else(eb.ref('last_read_message_id'))
        .end(),
      undigested_since: eb
        .case()
        .when('user_id', '=', message.sender_id)
        .then(eb.ref('undigested_since'))
        .else(eb.fn.coalesce('undigested_since', sql<Date>`${at}::timestamptz`))
        .end(),
    }))
    .where('conversation_id', '=', message.conversation_id)
    .execute();
}

/**
 * Moves the user's read position forward to `upToId`, never back and never past the conversation's last message.
 * Undefined when the user takes no part in the conversation.
 */
export function markRead(db: Db, conversationId: number, userId: number, upToId: number) {
  return db
    .updateTable('conversation_members as cm')
    .from('conversations as c')
    .set({
      last_read_message_id: sql<string>`greatest(cm.last_read_message_id,
        least(${String(upToId)}::bigint, coalesce(c.last_message_id, 0)))`,
    })
    .whereRef('c.id', '=', 'cm.conversation_id')
    .where('cm.conversation_id', '=', conversationId)
    .where('cm.user_id', '=', userId)
    .returning(['cm.last_read_message_id', 'cm.other_user_id'])
    .executeTakeFirst();
}

/** The caller's unread messages in one conversation. */
export async function countUnreadIn(db: Db, conversationId: number, userId: number): Promise<number> {
  const row = await db
    .selectFrom('conversation_members as cm')
    .innerJoin('messages as m', (join) =>
      join
        .onRef('m.conversation_id', '=', 'cm.conversation_id')
        .onRef('m.id', '>', 'cm.last_read_message_id')
        .onRef('m.sender_id', '<>', 'cm.user_id'),
    )
    .where('cm.conversation_id', '=', conversationId)
    .where('cm.user_id', '=', userId)
    .where('m.hidden_at', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function closeConversation(trx: Transaction<Database>, id: number, closedBy: number, at: Date) {
  return trx
    .updateTable('conversations')
    .set({ closed_at: at, closed_by: closedBy })
    .where('id', '=', id)
    .where('closed_at', 'is', null)
    .execute();
}

export function userExists(db: Db, userId: number) {
  return db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
}

export function insertBlock(db: Db, blockerId: number, blockedId: number) {
  return db
    .insertInto('user_blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId })
    .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
    .execute();
}

export function deleteBlock(db: Db, blockerId: number, blockedId: number) {
  return db
    .deleteFrom('user_blocks')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .execute();
}

/**
 * For moderation: hides one message (both participants then see it as removed) or shows it again. False when there
 * is no such message.
 */
export async function setMessageHidden(db: Db, messageId: number, hiddenAt: Date | null): Promise<boolean> {
  const result = await db
    .updateTable('messages')
    .set({ hidden_at: hiddenAt })
    .where('id', '=', String(messageId))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The sender of a message, when `userId` takes part in its conversation; undefined for anyone else. */
export async function findMessageSender(
  db: Db,
  messageId: number,
  userId: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages as msg')
    .innerJoin('conversation_members as cm', 'cm.conversation_id', 'msg.conversation_id')
    .select('msg.sender_id')
    .where('msg.id', '=', String(messageId))
    .where('cm.user_id', '=', userId)
    .executeTakeFirst();
  return row?.sender_id;
}
