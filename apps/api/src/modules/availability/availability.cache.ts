import type { Availability, AvailabilityQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';
import { mentorTag } from '../mentors/mentors.cache';

/** Carried by every cached availability of a mentor: settings, rules, overrides and bookings all change it. */
export const availabilityTag = (mentorId: number): string => `availability:${mentorId}`;

export const availabilityCache = {
  /**
   * Short-lived because minimum notice moves with the clock: a slot can stay listed up to a minute after it became
   * too soon, and booking it is then refused with SLOT_UNAVAILABLE. Every write that changes the slots
   * invalidates at once.
   */
  slots: (mentorId: number, query: AvailabilityQuery): CachedResponseSpec<Availability> => ({
    key: queryKey(`availability:${mentorId}`, query),
    policy: { ttlSeconds: 60, staleSeconds: 0 },
    tags: () => [availabilityTag(mentorId), mentorTag(mentorId)],
  }),
};
