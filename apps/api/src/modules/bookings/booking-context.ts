import type { FastifyInstance } from 'fastify';
import { reliabilityPolicyOf } from '../reliability/reliability-policy';
import type { BookingContext } from './bookings.service';
import { responsivenessPolicyOf } from '../reliability/responsiveness.service';

/** What the booking services need, from the app and its configured policy. */
export function bookingContextOf(app: FastifyInstance): BookingContext {
  return {
    ...app.services,
    live: app.live,
    policy: {
      requestTtlMinutes: app.config.BOOKING_REQUEST_TTL_MINUTES,
      cancellationWindowHours: app.config.CANCELLATION_WINDOW_HOURS,
      noShowGraceMinutes: app.config.NO_SHOW_GRACE_MINUTES,
    },
    reliability: reliabilityPolicyOf(app.config),
    responsiveness: responsivenessPolicyOf(app.config),
    meetingBaseUrl: app.config.MEETING_BASE_URL,
    clock: app.clock,
  };
}
