import type { Booking } from '@mentorhub/contracts';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { disputableNoShows, myStanding } from '@/features/reliability/data';
import { BookingList } from './BookingList';
import { myMenteeBookings } from './data';
import { groupSessions } from './sessions';

const RETURN_TO = '/dashboard';

function SessionGroup({
  id,
  title,
  bookings,
  timezone,
  empty,
  disputable,
}: {
  id: string;
  title: string;
  bookings: readonly Booking[];
  timezone: string;
  empty: ReactNode;
  disputable?: ReadonlyMap<number, number>;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="session-group">
      <h3 id={`${id}-heading`}>{title}</h3>
      {bookings.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <BookingList
          bookings={bookings}
          as="mentee"
          timezone={timezone}
          returnTo={RETURN_TO}
          disputable={disputable}
        />
      )}
    </section>
  );
}

/**
 * The dashboard's sessions: the next one first, then what waits for an answer, what is coming and what is over,
 * each with the actions the API allows now. Streamed in (inside a Suspense boundary).
 */
export async function MySessions({ timezone }: { timezone: string }) {
  const [page, standing] = await Promise.all([myMenteeBookings(), myStanding()]);
  if (!page) return <p className="muted">Sessions are not available right now.</p>;
  const now = new Date();
  const { next, awaiting, upcoming, past } = groupSessions(page.items, now);
  const findMentor = <Link href="/mentors">find a mentor</Link>;
  return (
    <>
      <section aria-labelledby="next-session-heading" className="next-session">
        <h3 id="next-session-heading">Next session</h3>
        {next ? (
          <BookingList bookings={[next]} as="mentee" timezone={timezone} returnTo={RETURN_TO} />
        ) : (
          <p className="muted">Nothing booked yet: {findMentor} and request a time that suits you.</p>
        )}
      </section>
      <SessionGroup
        id="awaiting"
        title="Awaiting an answer"
        bookings={awaiting}
        timezone={timezone}
        empty="No requests waiting: a time you request waits here until the mentor answers."
      />
      <SessionGroup
        id="upcoming"
        title="Upcoming"
        bookings={upcoming}
        timezone={timezone}
        empty={<>Nothing else planned: {findMentor} to book another session.</>}
      />
      <SessionGroup
        id="past"
        title="Past sessions"
        bookings={past}
        timezone={timezone}
        disputable={disputableNoShows(standing, now)}
        empty="Sessions you have had will be listed here, ready to review."
      />
    </>
  );
}
