import type { Recommendations, RecommendationsQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';
import { courseTag } from '../courses/courses.cache';
import { mentorTag } from '../mentors/mentors.cache';
import { userTag } from '../users/users.cache';

/** Dropped by whatever changes the user's interests or exclusions: a booking, an enrollment, their own expertise. */
export const recommendationsTag = (userId: number): string => `recommendations:${userId}`;

export const recommendationsCache = {
  /**
   * One entry per user (and limit), private to them. Tagged with every card it shows, so an edited, unlisted or
   * unpublished item leaves at once; new candidates appear within the TTL.
   */
  forUser: (userId: number, query: RecommendationsQuery): CachedResponseSpec<Recommendations> => ({
    key: queryKey(`recommendations:${userId}`, query),
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    visibility: 'private',
    tags: (value) => [
      recommendationsTag(userId),
      ...value.mentors.flatMap(({ mentor }) => [mentorTag(mentor.id), userTag(mentor.user.id)]),
      ...value.courses.flatMap(({ course }) => [courseTag(course.id), userTag(course.instructor.id)]),
    ],
  }),
};
