import type { Booking } from '@mentorhub/contracts';

/** A person's sessions as the dashboard shows them, each booking in exactly one group. */
export interface SessionGroups {
  /** The soonest confirmed session that has not ended. */
  next: Booking | null;
  /** Requests the mentor has not answered yet, and sessions with an open proposal to move them. */
  awaiting: Booking[];
  /** Confirmed sessions after the next one, soonest first. */
  upcoming: Booking[];
  /** Everything settled (held, declined, cancelled, expired…) and sessions that have ended, latest first. */
  past: Booking[];
}

export function groupSessions(bookings: readonly Booking[], now: Date): SessionGroups {
  const byStart = [...bookings].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const ahead = (booking: Booking) => new Date(booking.endsAt) > now;
  const awaiting = byStart.filter(
    (booking) => ahead(booking) && (booking.status === 'requested' || booking.proposal !== null),
  );
  const [next = null, ...upcoming] = byStart.filter(
    (booking) => booking.status === 'confirmed' && ahead(booking) && booking.proposal === null,
  );
  const grouped = new Set([...awaiting, ...(next ? [next] : []), ...upcoming]);
  const past = byStart.filter((booking) => !grouped.has(booking)).reverse();
  return { next, awaiting, upcoming, past };
}
