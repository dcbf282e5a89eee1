import type { Database } from '@mentorhub/db';
import type { HotQuery } from '../infra/profiler/explain';
import { availabilityHotQueries } from './availability/availability.hot-queries';
import { bookingHotQueries } from './bookings/bookings.hot-queries';
import { courseHotQueries } from './courses/courses.hot-queries';
import { learningHotQueries } from './learning/learning.hot-queries';
import { mentorHotQueries } from './mentors/mentors.hot-queries';
import { messagingHotQueries } from './messaging/messaging.hot-queries';
import { recommendationHotQueries } from './recommendations/recommendations.hot-queries';
import { reviewHotQueries } from './reviews/reviews.hot-queries';
import { userHotQueries } from './users/users.hot-queries';

/** Every query on a hot path (public pages, the signed-in dashboard and the inbox), for `npm run db:explain` and the index-use test. */
export const hotQueries: HotQuery<Database>[] = [
  ...mentorHotQueries,
  ...availabilityHotQueries,
  ...reviewHotQueries,
  ...bookingHotQueries,
  ...courseHotQueries,
  ...learningHotQueries,
  ...userHotQueries,
  ...recommendationHotQueries,
  ...messagingHotQueries,
];
