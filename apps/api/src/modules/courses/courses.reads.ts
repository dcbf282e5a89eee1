import {
  courseDetailSchema,
  coursePageSchema,
  type CourseDetail,
  type CourseListQuery,
  type CourseSummary,
  type Page,
} from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedRead } from '../../infra/http/cached-reply';
import { hasFreeText } from '../../infra/http/expensive-reads';
import { getCourse, listCourses } from './courses.service';

export const courseListRead: CachedRead<CourseListQuery, Page<CourseSummary>> = {
  key: (query) => queryKey('courses', query),
  policy: { ttlSeconds: 60, staleSeconds: 30 },
  schema: coursePageSchema,
  loadSerialized: listCourses,
  expensive: hasFreeText,
};

/** Published courses only: the loader never reads a draft, so the cache can neither store nor serve one. */
export const courseRead: CachedRead<string, CourseDetail> = {
  key: (idOrSlug) => `courses:${idOrSlug}`,
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  schema: courseDetailSchema,
  loadSerialized: getCourse,
};
