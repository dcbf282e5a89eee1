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
import { userTag } from '../users/users.cache';
import { COURSE_LISTS_TAG, courseTag } from './courses.cache';
import { getCourse, listCourses } from './courses.service';

export const courseListRead: CachedRead<CourseListQuery, Page<CourseSummary>> = {
  key: (query) => queryKey('courses', query),
  policy: { ttlSeconds: 60, staleSeconds: 30 },
  tags: (page) => [
    COURSE_LISTS_TAG,
    ...page.items.flatMap((course) => [courseTag(course.id), userTag(course.instructor.id)]),
  ],
  schema: coursePageSchema,
  load: listCourses,
  expensive: hasFreeText,
};

/** Published courses only: the loader never reads a draft, so the cache can neither store nor serve one. */
export const courseRead: CachedRead<string, CourseDetail> = {
  key: (idOrSlug) => `courses:${idOrSlug}`,
  policy: { ttlSeconds: 300, staleSeconds: 60 },
  tags: (course) => [courseTag(course.id), userTag(course.instructor.id)],
  schema: courseDetailSchema,
  load: getCourse,
};
