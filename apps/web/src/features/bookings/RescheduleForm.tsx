import type { Availability, Booking } from '@mentorhub/contracts';
import Link from 'next/link';
import { hasOpenSlots, SlotPicker } from '@/features/mentors/SlotPicker';
import { formatDateTime } from '@/lib/format';
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
}: {
  booking: Booking;
  availability: Availability;
  viewerTimezone: string;
  returnTo: string;
}) {
  const open = hasOpenSlots(availability);
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
        Times are shown in <strong>{availability.timezone}</strong>.
      </p>
      {open ? <SlotPicker days={availability.days} /> : <p>No open times in the next two weeks.</p>}
      <div className="booking-actions">
        {open ? (
          <button type="submit" className="button">
            Propose this time
          </button>
        ) : null}
        <Link href={returnTo}>Back</Link>
      </div>
    </form>
  );
}
