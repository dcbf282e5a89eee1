import { z } from 'zod';
import { bookingStatuses } from './bookings';
import { messageSchema } from './messaging';
import { notificationSchema } from './notifications';

/** A notification was stored for you: the same DTO `GET /api/me/notifications` returns. */
export const liveNotificationEventSchema = z
  .object({ type: z.literal('notification'), notification: notificationSchema })
  .meta({ id: 'LiveNotificationEvent' });

/** One of your bookings (as mentee or mentor) changed status; both parties get it. */
export const liveBookingEventSchema = z
  .object({ type: z.literal('booking'), bookingId: z.number().int(), status: z.enum(bookingStatuses) })
  .meta({ id: 'LiveBookingEvent' });

/** A message was sent in one of your conversations (yours or the other party's); both participants get it. */
export const liveMessageEventSchema = z
  .object({ type: z.literal('message.created'), message: messageSchema })
  .meta({ id: 'LiveMessageEvent' });

/** A participant read a conversation up to a message (a read receipt); both participants get it. */
export const liveConversationReadEventSchema = z
  .object({
    type: z.literal('conversation.read'),
    conversationId: z.number().int(),
    userId: z.number().int(),
    lastReadMessageId: z.number().int(),
  })
  .meta({ id: 'LiveConversationReadEvent' });

/**
 * Events may have been missed: an API instance lost Redis, which carries events between instances, and has it
 * again. Re-read what you show.
 */
export const liveResyncEventSchema = z.object({ type: z.literal('resync') }).meta({ id: 'LiveResyncEvent' });

/** Every message `GET /api/ws` sends: JSON text frames, one event each, only after the change committed. */
export const liveEventSchema = z
  .discriminatedUnion('type', [
    liveNotificationEventSchema,
    liveBookingEventSchema,
    liveMessageEventSchema,
    liveConversationReadEventSchema,
    liveResyncEventSchema,
  ])
  .meta({ id: 'LiveEvent' });

export type LiveEvent = z.infer<typeof liveEventSchema>;
