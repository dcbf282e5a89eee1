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

/** Every message `GET /api/ws` sends: JSON text frames, one event each, only after the change committed. */
export const liveEventSchema = z
  .discriminatedUnion('type', [liveNotificationEventSchema, liveBookingEventSchema])
  .meta({ id: 'LiveEvent' });

export type LiveEvent = z.infer<typeof liveEventSchema>;

/** Close codes of the live socket besides the standard ones (1001: the server is shutting down). */
export const liveCloseCodes = {
  /** This account already has the maximum number of open live connections; retry later. */
  tooManyConnections: 4429,
} as const;
