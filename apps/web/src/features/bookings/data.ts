import { cache } from 'react';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';

/**
 * The sessions the signed-in person booked as a mentee, or null when they cannot be loaded; one API call per
 * request however many parts of the page ask (the session list, the notifications' links).
 */
export const myMenteeBookings = cache(async () =>
  optional((await api()).bookings.mine({ as: 'mentee', limit: 50 })),
);
