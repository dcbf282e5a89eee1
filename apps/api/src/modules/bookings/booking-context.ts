import type { FastifyInstance } from 'fastify';
import type { BookingContext } from './bookings.service';

/** What the booking services need, from the app and its configured policy. */
export function bookingContextOf(app: FastifyInstance): BookingContext {
  return {
    ...app.services,
    live: app.live,
    policy: {
      requestTtlMinutes: app.config.BOOKING_REQUEST_TTL_MINUTES,
      cancellationWindowHours: app.config.CANCELLATION_WINDOW_HOURS,
    },
    meetingBaseUrl: app.config.MEETING_BASE_URL,
    clock: app.clock,
  };
}
