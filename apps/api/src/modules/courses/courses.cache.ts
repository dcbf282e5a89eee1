import type { CourseDetail, CourseListQuery, CourseSummary, Page } from '@mentorhub/contracts';
import { queryKey } from '../../infra/cache/keys';
import type { CachedResponseSpec } from '../../infra/http/cached-reply';
import { userTag } from '../users/users.cache';

/** Any change to which courses are listed, or in what order, touches every list page. */
export const COURSE_LISTS_TAG = 'courses:lists';
export const courseTag = (courseId: number): string => `course:${courseId}`;

export const coursesCache = {
  list: (query: CourseListQuery): CachedResponseSpec<Page<CourseSummary>> => ({
    key: queryKey('courses', query),
    policy: { ttlSeconds: 60, staleSeconds: 30 },
    tags: (page) => [
      COURSE_LISTS_TAG,
      ...page.items.flatMap((course) => [courseTag(course.id), userTag(course.instructor.id)]),
    ],
  }),
  detail: (idOrSlug: string): CachedResponseSpec<CourseDetail> => ({
    key: `courses:${idOrSlug}`,
    policy: { ttlSeconds: 300, staleSeconds: 60 },
    tags: (course) => [courseTag(course.id), userTag(course.instructor.id)],
  }),
};
