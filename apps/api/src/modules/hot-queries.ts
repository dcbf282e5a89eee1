import type { Database } from '@mentorhub/db';
import type { HotQuery } from '../infra/profiler/explain';
import { courseHotQueries } from './courses/courses.hot-queries';
import { learningHotQueries } from './learning/learning.hot-queries';
import { mentorHotQueries } from './mentors/mentors.hot-queries';
import { userHotQueries } from './users/users.hot-queries';

/** Every query on a public hot path, for `npm run db:explain` and the index-use test. */
export const hotQueries: HotQuery<Database>[] = [
  ...mentorHotQueries,
  ...courseHotQueries,
  ...learningHotQueries,
  ...userHotQueries,
];
