import type { Standing } from '@mentorhub/contracts';
import { cache } from 'react';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';

const DAY_MS = 86_400_000;

/** The signed-in person's standing, or null when it cannot be loaded; one API call per request. */
export const myStanding = cache(async () => optional((await api()).reliability.standing()));

/** Strikes for a reported no-show the reader has not disputed yet, by booking, while the dispute window is open. */
export function disputableNoShows(standing: Standing | null, now: Date): ReadonlyMap<number, number> {
  const windowMs = (standing?.rules.disputeWindowDays ?? 0) * DAY_MS;
  return new Map(
    (standing?.strikes ?? [])
      .filter(
        (strike) =>
          strike.kind === 'no_show' &&
          !strike.dispute &&
          Date.parse(strike.givenAt) + windowMs > now.getTime(),
      )
      .map((strike) => [strike.bookingId, strike.id]),
  );
}
