import { z } from 'zod';
import { cursorSchema, limitSchema } from './common';
import { idParamSchema, idSchema, wholeNumberSchema } from './scalars';
import { multiLine } from './text';
import { userSummarySchema } from './users';

/** The longest message, in characters (the column's CHECK says the same). */
export const MAX_MESSAGE_LENGTH = 4000;

/** Message ids are bigint: JSON numbers up to 2^53 − 1, which JavaScript holds exactly. */
export const messageIdSchema = wholeNumberSchema(1, Number.MAX_SAFE_INTEGER);

/**
 * One message. Plain text exactly as sent: clients render it as text, never as HTML. A message a moderator hid
 * keeps its place in the thread with `body: null` and `removed: true`, for both participants.
 */
export const messageSchema = z
  .object({
    id: z.number().int(),
    conversationId: z.number().int(),
    senderId: z.number().int(),
    body: z.string().nullable(),
    removed: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Message' });

export type Message = z.infer<typeof messageSchema>;

/** A conversation as one of its two participants sees it. */
export const conversationSchema = z
  .object({
    id: z.number().int(),
    /** The mentor profile the conversation is with. */
    mentorId: z.number().int(),
    /** Which side the caller is on. */
    role: z.enum(['mentee', 'mentor']),
    otherParty: userSummarySchema,
    lastMessage: messageSchema.nullable(),
    /** The other party's messages the caller has not read. */
    unreadCount: z.number().int().min(0),
    /** The last message id the other party has read (read receipts); 0 when none. */
    otherPartyLastReadId: z.number().int().min(0),
    /** Set once the mentor closed the thread: it keeps its history and takes no new messages. */
    closedAt: z.iso.datetime().nullable(),
    /** A block in either direction: neither can message or book the other. */
    blocked: z.boolean(),
    /** Whether the caller blocked the other party (they can unblock). */
    blockedByMe: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Conversation' });

export type Conversation = z.infer<typeof conversationSchema>;

export const conversationListQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export type ConversationListQuery = z.infer<typeof conversationListQuerySchema>;

/** Most recent activity first, with the caller's unread messages across all conversations (for a badge). */
export const conversationPageSchema = z
  .object({
    items: z.array(conversationSchema),
    nextCursor: z.string().nullable(),
    unreadCount: z.number().int().min(0),
  })
  .meta({ id: 'ConversationPage' });

export type ConversationPage = z.infer<typeof conversationPageSchema>;

export const conversationCreateBodySchema = z.strictObject({ mentorId: idSchema });

export type ConversationCreateBody = z.infer<typeof conversationCreateBodySchema>;

export const messageListQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export type MessageListQuery = z.infer<typeof messageListQuerySchema>;

/** Newest first; `nextCursor` leads to older messages. */
export const messagePageSchema = z
  .object({
    conversation: conversationSchema,
    items: z.array(messageSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'MessagePage' });

export type MessagePage = z.infer<typeof messagePageSchema>;

export const messageCreateBodySchema = z.strictObject({
  body: multiLine(MAX_MESSAGE_LENGTH).pipe(z.string().min(1, { error: 'must not be empty' })),
});

export type MessageCreateBody = z.infer<typeof messageCreateBodySchema>;

/** Read receipt: everything up to and including this message id is read (a read position never moves back). */
export const conversationReadBodySchema = z.strictObject({ upToMessageId: messageIdSchema });

export type ConversationReadBody = z.infer<typeof conversationReadBodySchema>;

export const conversationReadResponseSchema = z
  .object({ lastReadMessageId: z.number().int().min(0), unreadCount: z.number().int().min(0) })
  .meta({ id: 'ConversationRead' });

export type ConversationReadResponse = z.infer<typeof conversationReadResponseSchema>;

export const userIdParamsSchema = z.strictObject({ userId: idParamSchema });
