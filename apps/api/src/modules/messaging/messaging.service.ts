import type {
  Conversation,
  ConversationListQuery,
  ConversationPage,
  ConversationReadResponse,
  Message,
  MessageListQuery,
  MessagePage,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceContext } from '../../infra/context';
import { AppError, invalidField, notFound, RateLimitedError } from '../../infra/errors/app-error';
import { decodeCursor, encodeCursor, keysetPage, toPage } from '../../infra/pagination/cursor';
import { withLiveEvents, type LiveDelivery, type LiveEvents } from '../live/live-events';
import { toUserSummary } from '../users/users.service';
import * as messaging from './messaging.repository';

const DAY_MS = 24 * 60 * 60_000;

/** The abuse limit on new conversations (see README's configuration table). */
export interface MessagingPolicy {
  newAccountDays: number;
  newAccountThreadsPerDay: number;
}

export interface MessagingContext extends ServiceContext {
  live: LiveEvents;
  policy: MessagingPolicy;
  clock: () => number;
}

function toMessage(row: {
  id: string;
  conversation_id: number;
  sender_id: number;
  body: string;
  hidden_at: Date | null;
  created_at: Date;
}): Message {
  const removed = row.hidden_at !== null;
  return {
    id: Number(row.id),
    conversationId: row.conversation_id,
    senderId: row.sender_id,
    body: removed ? null : row.body,
    removed,
    createdAt: row.created_at.toISOString(),
  };
}

function toConversation(row: messaging.ConversationRow): Conversation {
  return {
    id: row.id,
    mentorId: row.mentor_id,
    role: row.mentee_id === row.other_id ? 'mentor' : 'mentee',
    otherParty: toUserSummary({
      id: row.other_id,
      name: row.other_name,
      avatar_media_id: row.other_avatar_media_id,
    }),
    lastMessage:
      row.last_id !== null &&
      row.last_sender_id !== null &&
      row.last_body !== null &&
      row.last_created_at !== null
        ? toMessage({
            id: row.last_id,
            conversation_id: row.id,
            sender_id: row.last_sender_id,
            body: row.last_body,
            hidden_at: row.last_hidden_at,
            created_at: row.last_created_at,
          })
        : null,
    unreadCount: Number(row.unread_count ?? 0),
    otherPartyLastReadId: Number(row.other_last_read_id),
    closedAt: row.closed_at?.toISOString() ?? null,
    blocked: Boolean(row.blocked_by_me) || Boolean(row.blocked_by_other),
    blockedByMe: Boolean(row.blocked_by_me),
    createdAt: row.created_at.toISOString(),
  };
}

async function conversationFor(ctx: ServiceContext, userId: number, id: number): Promise<Conversation> {
  const row = await messaging.findConversation(ctx.db, userId, id);
  if (!row) throw notFound('Conversation');
  return toConversation(row);
}

/** The inbox: the caller's conversations, most recent activity first, with the unread total for a badge. */
export async function listConversations(
  db: Kysely<Database>,
  userId: number,
  query: ConversationListQuery,
): Promise<ConversationPage> {
  const [page, unreadCount] = await Promise.all([
    keysetPage(
      { sort: 'activity', cursor: query.cursor, limit: query.limit },
      { kind: 'instant', keyOf: (row) => [row.last_activity_at.toISOString(), row.id] },
      (after) => messaging.inboxQuery(db, userId, after, query.limit).execute(),
      toConversation,
    ),
    messaging.countUnread(db, userId),
  ]);
  return { ...page, unreadCount };
}

/**
 * A page of a conversation's messages, newest first, with the conversation itself. Anyone but its two participants
 * gets a 404, as if it did not exist. The cursor carries the conversation's id in its tie-break slot (message ids
 * are unique on their own), so a cursor from another conversation is refused rather than misread.
 */
export async function listMessages(
  ctx: ServiceContext,
  userId: number,
  id: number,
  query: MessageListQuery,
): Promise<MessagePage> {
  const sort = 'newest';
  let beforeId: number | undefined;
  if (query.cursor) {
    const [messageId, conversationId] = decodeCursor(query.cursor, sort, 'bigint');
    if (conversationId !== id) throw invalidField('query.cursor', 'belongs to another conversation');
    beforeId = Number(messageId);
  }
  const [conversation, rows] = await Promise.all([
    messaging.findConversation(ctx.db, userId, id),
    messaging.messagesQuery(ctx.db, id, beforeId, query.limit).execute(),
  ]);
  if (!conversation) throw notFound('Conversation');
  const page = toPage(rows, query.limit, toMessage, (row) => encodeCursor(sort, [Number(row.id), id]));
  return { conversation: toConversation(conversation), ...page };
}

async function refuseIfBlocked(trx: Transaction<Database>, a: number, b: number): Promise<void> {
  if (await messaging.blockedBetween(trx, a, b))
    throw new AppError('BLOCKED', 'One of you has blocked the other: you cannot message or book each other');
}

/** New accounts may open only so many conversations a day; the lock on the user counts concurrent openings in turn. */
async function requireThreadAllowance(
  trx: Transaction<Database>,
  policy: MessagingPolicy,
  userId: number,
  now: number,
): Promise<void> {
  const user = await messaging.lockUser(trx, userId);
  if (!user || user.created_at.getTime() <= now - policy.newAccountDays * DAY_MS) return;
  const opened = await messaging.countOpenedSince(trx, userId, new Date(now - DAY_MS));
  if (opened >= policy.newAccountThreadsPerDay) throw new RateLimitedError(DAY_MS / 1000);
}

/**
 * The mentee opens a conversation with a listed mentor from their profile: the pair's existing one if there is one
 * (201 only when this call created it). Refused when either blocked the other, and past a new account's daily limit.
 */
export async function openConversation(
  ctx: MessagingContext,
  userId: number,
  mentorId: number,
): Promise<{ conversation: Conversation; created: boolean }> {
  const now = ctx.clock();
  const { id, created } = await ctx.db.transaction().execute(async (trx) => {
    const mentor = await messaging.findListedMentor(trx, mentorId);
    if (!mentor) throw notFound('Mentor');
    if (mentor.user_id === userId)
      throw new AppError('FORBIDDEN', 'You cannot open a conversation with yourself');
    await refuseIfBlocked(trx, userId, mentor.user_id);
    const existing = await messaging.findPair(trx, userId, mentorId);
    if (existing) return { id: existing.id, created: false };
    await requireThreadAllowance(trx, ctx.policy, userId, now);
    return messaging.insertConversation(
      trx,
      { menteeId: userId, mentorId, mentorUserId: mentor.user_id },
      new Date(now),
    );
  });
  return { conversation: await conversationFor(ctx, userId, id), created };
}

/**
 * For the booking path, inside its transaction: refuses a booking between users who blocked each other, and opens
 * (or reuses) the pair's conversation. Bookings are not subject to the new-account thread limit.
 */
export async function conversationForBooking(
  trx: Transaction<Database>,
  booking: { menteeId: number; mentorId: number; mentorUserId: number },
  now: number,
): Promise<void> {
  await refuseIfBlocked(trx, booking.menteeId, booking.mentorUserId);
  await messaging.insertConversation(trx, booking, new Date(now));
}

/** Sends a message: participants only (others get 404), not in a closed conversation, not between blocked users. */
export async function sendMessage(
  ctx: MessagingContext,
  userId: number,
  id: number,
  body: string,
): Promise<Message> {
  return withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const conversation = await messaging.lockConversation(trx, id, userId);
    if (!conversation) throw notFound('Conversation');
    // Read under the lock, like the id: a conversation's creation times then follow its id order.
    const at = new Date(ctx.clock());
    if (conversation.closed_at !== null)
      throw new AppError('CONVERSATION_CLOSED', 'The mentor closed this conversation');
    await refuseIfBlocked(trx, conversation.mentee_id, conversation.mentor_user_id);
    const row = await messaging.insertMessage(trx, { conversationId: id, senderId: userId, body }, at);
    await messaging.recordMessage(trx, row, at);
    const message = toMessage(row);
    deliverToBoth(outbox, conversation, { type: 'message.created', message });
    return message;
  });
}

function deliverToBoth(
  outbox: LiveDelivery[],
  conversation: { mentee_id: number; mentor_user_id: number },
  event: LiveDelivery['event'],
) {
  outbox.push({ userId: conversation.mentee_id, event }, { userId: conversation.mentor_user_id, event });
}

/** A read receipt: the caller has read up to `upToMessageId`; both participants hear of it live. */
export async function markConversationRead(
  ctx: MessagingContext,
  userId: number,
  id: number,
  upToMessageId: number,
): Promise<ConversationReadResponse> {
  return withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const member = await messaging.markRead(trx, id, userId, upToMessageId);
    if (!member) throw notFound('Conversation');
    const lastReadMessageId = Number(member.last_read_message_id);
    const event = { type: 'conversation.read', conversationId: id, userId, lastReadMessageId } as const;
    outbox.push({ userId, event }, { userId: member.other_user_id, event });
    return { lastReadMessageId, unreadCount: await messaging.countUnreadIn(trx, id, userId) };
  });
}

/** The mentor closes the conversation (idempotent); the mentee may not, anyone else gets 404. */
export async function closeConversation(
  ctx: MessagingContext,
  userId: number,
  id: number,
): Promise<Conversation> {
  await ctx.db.transaction().execute(async (trx) => {
    const conversation = await messaging.lockConversation(trx, id, userId);
    if (!conversation) throw notFound('Conversation');
    if (conversation.mentor_user_id !== userId)
      throw new AppError('FORBIDDEN', 'Only the mentor can close a conversation');
    await messaging.closeConversation(trx, id, userId, new Date(ctx.clock()));
  });
  return conversationFor(ctx, userId, id);
}

export async function blockUser(ctx: ServiceContext, userId: number, blockedId: number): Promise<void> {
  if (blockedId === userId) throw invalidField('params.userId', 'is yourself');
  if (!(await messaging.userExists(ctx.db, blockedId))) throw notFound('User');
  await messaging.insertBlock(ctx.db, userId, blockedId);
}

export async function unblockUser(ctx: ServiceContext, userId: number, blockedId: number): Promise<void> {
  await messaging.deleteBlock(ctx.db, userId, blockedId);
}
