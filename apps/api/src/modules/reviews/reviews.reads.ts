import { reviewPageSchema, type Page, type Review, type ReviewListQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { userTag } from '../users/users.cache';
import { reviewsTag } from './reviews.cache';
import { listReviews } from './reviews.service';

export const reviewListRead: CachedRead<{ mentorId: number; query: ReviewListQuery }, Page<Review>> = {
  key: ({ mentorId, query }) => queryKey(`reviews:${mentorId}`, query),
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  tags: (page, { mentorId }) => [
    reviewsTag(mentorId),
    ...page.items.map((review) => userTag(review.author.id)),
  ],
  schema: reviewPageSchema,
  load: (db, { mentorId, query }) => listReviews(db, mentorId, query),
};
