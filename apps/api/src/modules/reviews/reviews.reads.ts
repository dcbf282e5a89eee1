import { reviewPageSchema, type Page, type Review, type ReviewListQuery } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { listReviews } from './reviews.service';

export const reviewListRead: CachedRead<{ mentorId: number; query: ReviewListQuery }, Page<Review>> = {
  key: ({ mentorId, query }) => queryKey(`reviews:${mentorId}`, query),
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  schema: reviewPageSchema,
  loadSerialized: (db, { mentorId, query }) => listReviews(db, mentorId, query),
};
