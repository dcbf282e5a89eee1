import { sessionPriceCents, type Availability, type Money } from '@mentorhub/contracts';
import { randomUUID } from 'node:crypto';
import Link from 'next/link';
import { createBooking } from '@/features/bookings/actions';
import { formatMinutes, formatMoney, zoneName } from '@/lib/format';
import { BookingSummary } from './BookingSummary';
import { hasOpenSlots, SlotPicker } from './SlotPicker';

/**
 * Open slots by day in the viewer's timezone, as one radio group inside one form: arrow keys move between
 * times, Enter on the button books. Works without JavaScript.
 */
export function AvailabilityCalendar({
  mentorId,
  mentorName,
  hourlyRate,
  availability,
  signedIn,
  olderHref,
  newerHref,
}: {
  mentorId: number;
  mentorName: string;
  /** The mentor's rate: a session costs its share of it, in the mentor's currency. */
  hourlyRate: Money;
  availability: Availability;
  signedIn: boolean;
  olderHref: string | null;
  newerHref: string;
}) {
  const open = hasOpenSlots(availability);
  return (
    <form action={createBooking} className="calendar">
      <input type="hidden" name="mentorId" value={mentorId} />
      <input type="hidden" name="idempotencyKey" value={randomUUID()} />
      <p className="muted">
        {availability.sessionMinutes}-minute sessions. Times are shown in{' '}
        <strong>{availability.timezone}</strong> ({zoneName(availability.timezone)})
        {availability.timezone !== availability.mentorTimezone ? (
          <>
            {' '}
            (
            <Link href={`/mentors/${mentorId}?tz=${encodeURIComponent(availability.mentorTimezone)}#book`}>
              show in {mentorName.split(' ')[0]}’s timezone
            </Link>
            )
          </>
        ) : null}
        .
      </p>
      {open ? <SlotPicker days={availability.days} /> : <p>No open times in these two weeks.</p>}
      <nav className="pager" aria-label="Weeks">
        {olderHref ? <Link href={olderHref}>Earlier dates</Link> : <span />}
        <Link href={newerHref}>Later dates</Link>
      </nav>
      {open ? (
        <>
          <div className="field">
            <label htmlFor="booking-note">What would you like to talk about? (optional)</label>
            <textarea id="booking-note" name="note" rows={3} maxLength={2000} />
          </div>
          <div className="booking-submit">
            <BookingSummary
              length={formatMinutes(availability.sessionMinutes)}
              price={formatMoney(
                sessionPriceCents(hourlyRate.amountCents, availability.sessionMinutes),
                hourlyRate.currency,
              )}
            />
            <button type="submit" className="button">
              {signedIn ? 'Request booking' : 'Sign in to book'}
            </button>
          </div>
        </>
      ) : null}
    </form>
  );
}
