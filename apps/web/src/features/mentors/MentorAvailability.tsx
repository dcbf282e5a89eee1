import type { Money } from '@mentorhub/contracts';
import { optional } from '@/lib/api/optional';
import { visitorApi } from '@/lib/api/server';
import { addDays } from '@/lib/format';
import { AvailabilityCalendar } from './AvailabilityCalendar';

/** Days of availability shown at once; the pager moves by as many. */
const DAYS_SHOWN = 14;

/**
 * The booking calendar for `DAYS_SHOWN` days from `from` in `tz`, streamed in after the profile (inside a
 * Suspense boundary): a slow availability answer holds only this part of the page.
 */
export async function MentorAvailability({
  mentorId,
  mentorName,
  hourlyRate,
  from,
  today,
  tz,
  tzInUrl,
  signedIn,
  day,
}: {
  mentorId: number;
  mentorName: string;
  hourlyRate: Money;
  from: string;
  today: string;
  tz: string;
  /** Whether the visitor chose `tz` in the URL: the pager's links keep it. */
  tzInUrl: boolean;
  signedIn: boolean;
  /** The day the visitor picked (`?day=`), if any. */
  day: string | undefined;
}) {
  const to = addDays(from, DAYS_SHOWN - 1);
  const availability = await optional((await visitorApi()).mentors.availability(mentorId, { from, to, tz }));
  if (!availability) return <p>Booking is not open for this mentor right now.</p>;
  const tzParam = tzInUrl ? `&tz=${encodeURIComponent(tz)}` : '';
  const pageHref = (start: string) => `/mentors/${mentorId}?from=${start}${tzParam}#book`;
  const dayHref = (date: string) => `/mentors/${mentorId}?from=${from}&day=${date}${tzParam}#book`;
  return (
    <AvailabilityCalendar
      mentorId={mentorId}
      mentorName={mentorName}
      hourlyRate={hourlyRate}
      availability={availability}
      signedIn={signedIn}
      dayHref={dayHref}
      requestedDay={day}
      olderHref={from > today ? pageHref(addDays(from, -DAYS_SHOWN)) : null}
      newerHref={pageHref(addDays(from, DAYS_SHOWN))}
    />
  );
}
