import type { Availability } from '@mentorhub/contracts';
import { randomUUID } from 'node:crypto';
import Link from 'next/link';
import { createBooking } from '@/features/bookings/actions';
import { formatDate } from '@/lib/format';

/**
 * Open slots by day in the viewer's timezone, as one radio group inside one form: arrow keys move between
 * times, Enter on the button books. Works without JavaScript.
 */
export function AvailabilityCalendar({
  mentorId,
  mentorName,
  availability,
  signedIn,
  olderHref,
  newerHref,
}: {
  mentorId: number;
  mentorName: string;
  availability: Availability;
  signedIn: boolean;
  olderHref: string | null;
  newerHref: string;
}) {
  const days = availability.days.filter((day) => day.slots.length > 0);
  return (
    <form action={createBooking} className="calendar">
      <input type="hidden" name="mentorId" value={mentorId} />
      <input type="hidden" name="idempotencyKey" value={randomUUID()} />
      <p className="muted">
        {availability.sessionMinutes}-minute sessions. Times are shown in{' '}
        <strong>{availability.timezone}</strong>
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
      {days.length === 0 ? (
        <p>No open times in these two weeks.</p>
      ) : (
        <div className="calendar-days">
          {days.map((day) => (
            <fieldset key={day.date} className="calendar-day">
              <legend>{formatDate(day.date)}</legend>
              <div className="slots">
                {day.slots.map((slot) => {
                  const id = `slot-${slot.startsAt}`;
                  return (
                    <span key={slot.startsAt} className="slot">
                      <input type="radio" id={id} name="startsAt" value={slot.startsAt} required />
                      <label htmlFor={id}>{slot.time}</label>
                    </span>
                  );
                })}
              </div>
            </fieldset>
          ))}
        </div>
      )}
      <nav className="pager" aria-label="Weeks">
        {olderHref ? <Link href={olderHref}>Earlier dates</Link> : <span />}
        <Link href={newerHref}>Later dates</Link>
      </nav>
      {days.length > 0 ? (
        <>
          <div className="field">
            <label htmlFor="booking-note">What would you like to talk about? (optional)</label>
            <textarea id="booking-note" name="note" rows={3} maxLength={2000} />
          </div>
          <button type="submit" className="button">
            {signedIn ? 'Request booking' : 'Sign in to book'}
          </button>
        </>
      ) : null}
    </form>
  );
}
