import { recommendationsSchema, type Recommendations, type RecommendationsQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { courseTag } from '../courses/courses.cache';
import { mentorTag } from '../mentors/mentors.cache';
import { userTag } from '../users/users.cache';
import { recommendationsTag } from './recommendations.cache';
import { getRecommendations } from './recommendations.service';

/**
 * One entry per user (and limit), private to them. Tagged with every card it shows, so an edited, unlisted or
 * unpublished item leaves at once; new candidates appear within the TTL.
 */
export const recommendationsRead: CachedRead<
  { userId: number; query: RecommendationsQuery },
  Recommendations
> = {
  key: ({ userId, query }) => queryKey(`recommendations:${userId}`, query),
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  visibility: 'private',
  tags: (value, { userId }) => [
    recommendationsTag(userId),
    ...value.mentors.flatMap(({ mentor }) => [mentorTag(mentor.id), userTag(mentor.user.id)]),
    ...value.courses.flatMap(({ course }) => [courseTag(course.id), userTag(course.instructor.id)]),
  ],
  schema: recommendationsSchema,
  load: (db, { userId, query }) => getRecommendations(db, userId, query.limit),
};
