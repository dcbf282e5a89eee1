import type { ExpertiseList, MentorDetail, MentorListQuery, MentorSummary, Page } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';
import { userTag } from '../users/users.cache';

/** Any change to which mentors are listed, or in what order (price, rating, approval), touches every list page. */
export const MENTOR_LISTS_TAG = 'mentors:lists';
export const mentorTag = (mentorId: number): string => `mentor:${mentorId}`;

export const mentorsCache = {
  list: (query: MentorListQuery): CachedResponseSpec<Page<MentorSummary>> => ({
    key: queryKey('mentors', query),
    policy: { ttlSeconds: 60, staleSeconds: 30 },
    tags: (page) => [
      MENTOR_LISTS_TAG,
      ...page.items.flatMap((mentor) => [mentorTag(mentor.id), userTag(mentor.user.id)]),
    ],
  }),
  /** Counts change exactly when lists do (approval, expertise edits), so the list tag invalidates them. */
  expertise: (): CachedResponseSpec<ExpertiseList> => ({
    key: 'expertise',
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    tags: () => [MENTOR_LISTS_TAG],
  }),
  detail: (id: number): CachedResponseSpec<MentorDetail> => ({
    key: `mentors:${id}`,
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    tags: (mentor) => [mentorTag(mentor.id), userTag(mentor.user.id)],
  }),
};
