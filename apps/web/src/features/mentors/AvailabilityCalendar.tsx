import { sessionPriceCents, type Availability, type Money } from '@mentorhub/contracts';
import { randomUUID } from 'node:crypto';
import Link from 'next/link';
import { createBooking } from '@/features/bookings/actions';
import { formatMinutes, formatMoney, zoneName } from '@/lib/format';
import { initialDay, pickerDays } from './picker-days';
import { SlotPicker } from './SlotPicker';

/**
 * The booking form: pick a day, then one of its times in the viewer's timezone, with what will be requested (day,
 * time, length, price) next to the button. Works without JavaScript: days are links, the request a form post.
 */
export function AvailabilityCalendar({
  mentorId,
  mentorName,
  hourlyRate,
  availability,
  signedIn,
  dayHref,
  requestedDay,
  olderHref,
  newerHref,
}: {
  mentorId: number;
  mentorName: string;
  /** The mentor's rate: a session costs its share of it, in the mentor's currency. */
  hourlyRate: Money;
  availability: Availability;
  signedIn: boolean;
  /** This page with a day chosen. */
  dayHref: (date: string) => string;
  requestedDay: string | undefined;
  olderHref: string | null;
  newerHref: string;
}) {
  const days = pickerDays(availability, dayHref);
  const firstDay = initialDay(days, requestedDay);
  const zone = zoneName(availability.timezone);
  const pager = (
    <nav className="pager" aria-label="Weeks">
      {olderHref ? <Link href={olderHref}>Earlier dates</Link> : <span />}
      <Link href={newerHref}>Later dates</Link>
    </nav>
  );
  return (
    <form action={createBooking} className="calendar">
      <input type="hidden" name="mentorId" value={mentorId} />
      <input type="hidden" name="idempotencyKey" value={randomUUID()} />
      <p className="muted">
        {availability.sessionMinutes}-minute sessions. Times are shown in{' '}
        <strong>{availability.timezone}</strong> ({zone})
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
      {firstDay ? (
        <SlotPicker
          days={days}
          initialDay={firstDay}
          zone={zone}
          details={`${formatMinutes(availability.sessionMinutes)} · ${formatMoney(
            sessionPriceCents(hourlyRate.amountCents, availability.sessionMinutes),
            hourlyRate.currency,
          )}`}
          submitLabel={signedIn ? 'Request booking' : 'Sign in to book'}
          pager={pager}
        >
          <div className="field">
            <label htmlFor="booking-note">What would you like to talk about? (optional)</label>
            <textarea id="booking-note" name="note" rows={3} maxLength={2000} />
          </div>
        </SlotPicker>
      ) : (
        <>
          <p>No open times in these two weeks.</p>
          {pager}
        </>
      )}
    </form>
  );
}
