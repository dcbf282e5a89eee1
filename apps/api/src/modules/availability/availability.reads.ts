import { availabilitySchema, type Availability, type AvailabilityQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { mentorTag } from '../mentors/mentors.cache';
import { availabilityTag } from './availability.cache';
import { getAvailability } from './availability.service';

export interface AvailabilityInput {
  mentorId: number;
  query: AvailabilityQuery;
  /** How long an unanswered request holds its slot (configuration, not part of the key). */
  requestTtlMinutes: number;
  /** The app's clock at the request (not part of the key: the short lifetime bounds how far it moves). */
  now: number;
}

/**
 * Short-lived because minimum notice moves with the clock: a slot can stay listed up to a minute after it became
 * too soon, and booking it is then refused with SLOT_UNAVAILABLE. Every write that changes the slots invalidates
 * at once. Every miss is an expensive read: a range computes each day's slots.
 */
export const availabilityRead: CachedRead<AvailabilityInput, Availability> = {
  key: ({ mentorId, query }) => queryKey(`availability:${mentorId}`, query),
  policy: { ttlSeconds: 60, staleSeconds: 0 },
  tags: (_value, { mentorId }) => [availabilityTag(mentorId), mentorTag(mentorId)],
  schema: availabilitySchema,
  load: (db, { mentorId, query, requestTtlMinutes, now }) =>
    getAvailability(db, mentorId, query, requestTtlMinutes, now),
  expensive: () => true,
};
