import { z } from 'zod';
import { bookingStatuses } from './bookings';
import { notificationSchema } from './notifications';

/** A notification was stored for you: the same DTO `GET /api/me/notifications` returns. */
export const liveNotificationEventSchema = z
  .object({ type: z.literal('notification'), notification: notificationSchema })
  .meta({ id: 'LiveNotificationEvent' });

/** One of your bookings (as mentee or mentor) changed status; both parties get it. */
export const liveBookingEventSchema = z
  .object({ type: z.literal('booking'), bookingId: z.number().int(), status: z.enum(bookingStatuses) })
  .meta({ id: 'LiveBookingEvent' });

/**
 * Events may have been missed: an API instance lost Redis, which carries events between instances, and has it
 * again. Re-read what you show.
 */
export const liveResyncEventSchema = z.object({ type: z.literal('resync') }).meta({ id: 'LiveResyncEvent' });

/** Every message `GET /api/ws` sends: JSON text frames, one event each, only after the change committed. */
export const liveEventSchema = z
  .discriminatedUnion('type', [liveNotificationEventSchema, liveBookingEventSchema, liveResyncEventSchema])
  .meta({ id: 'LiveEvent' });

export type LiveEvent = z.infer<typeof liveEventSchema>;
