import type { Page, Review, ReviewListQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';
import { userTag } from '../users/users.cache';

export const reviewsTag = (mentorId: number): string => `reviews:${mentorId}`;

export const reviewsCache = {
  page: (mentorId: number, query: ReviewListQuery): CachedResponseSpec<Page<Review>> => ({
    key: queryKey(`reviews:${mentorId}`, query),
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    tags: (page) => [reviewsTag(mentorId), ...page.items.map((review) => userTag(review.author.id))],
  }),
};
