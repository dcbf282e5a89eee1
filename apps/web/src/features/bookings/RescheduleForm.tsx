import type { Availability, Booking } from '@mentorhub/contracts';
import Link from 'next/link';
import { initialDay, pickerDays } from '@/features/mentors/picker-days';
import { SlotPicker } from '@/features/mentors/SlotPicker';
import { formatDateTime, formatMinutes, zoneName } from '@/lib/format';
import { proposeReschedule } from './actions';

/**
 * Picks a new time for a session from the mentor's open slots, like booking does. The form carries the booking's
 * version, so a page left open while the booking changed cannot move it by surprise.
 */
export function RescheduleForm({
  booking,
  availability,
  viewerTimezone,
  returnTo,
  requestedDay,
}: {
  booking: Booking;
  availability: Availability;
  viewerTimezone: string;
  returnTo: string;
  /** The day the visitor picked (`?day=`), if any. */
  requestedDay: string | undefined;
}) {
  const days = pickerDays(
    availability,
    (date) => `/bookings/${booking.id}/reschedule?returnTo=${encodeURIComponent(returnTo)}&day=${date}`,
  );
  const firstDay = initialDay(days, requestedDay);
  const zone = zoneName(availability.timezone);
  return (
    <form action={proposeReschedule} className="calendar">
      <input type="hidden" name="bookingId" value={booking.id} />
      <input type="hidden" name="sequence" value={booking.sequence} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <p>
        Now: <time dateTime={booking.startsAt}>{formatDateTime(booking.startsAt, viewerTimezone)}</time>. The
        session keeps this time until the other party accepts the new one.
      </p>
      <p className="muted">
        Times are shown in <strong>{availability.timezone}</strong> ({zone}).
      </p>
      {firstDay ? (
        <SlotPicker
          days={days}
          initialDay={firstDay}
          zone={zone}
          details={formatMinutes(availability.sessionMinutes)}
          submitLabel="Propose this time"
        />
      ) : (
        <p>No open times in the next two weeks.</p>
      )}
      <p>
        <Link href={returnTo}>Back</Link>
      </p>
    </form>
  );
}
