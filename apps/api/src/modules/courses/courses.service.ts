import type { CourseDetail, CourseListQuery, CourseSummary, Lesson } from '@mentorhub/contracts';
import { courseKeyOf } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import { notFound } from '../../infra/errors/app-error';
import { serializedEmptyPage, serializedKeysetPage, type SerializedValue } from '../../infra/db/json';
import { cursorArguments } from '../../infra/db/keyset';
import { toPrefixTsQuery } from '../../infra/db/search';
import { mediaUrl, responsiveImage } from '../media/media.urls';
import { userTag } from '../users/users.cache';
import { toUserSummary } from '../users/users.service';
import { COURSE_LISTS_TAG, courseTag } from './courses.cache';
import * as courses from './courses.repository';

// The catalog: published courses as everyone reads them (cached), and a draft preview for its instructor.

/** The course card every list shows (catalog, studio, enrollments). */
export function toCourseSummary(row: courses.CourseRow): CourseSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    level: row.level,
    price: { amountCents: row.price_cents, currency: row.currency },
    coverUrl: mediaUrl(row.cover_media_id),
    cover: responsiveImage(row.cover_media_id, 'cover'),
    lessonsCount: row.lessons_count,
    durationMinutes: row.duration_minutes,
    enrollmentsCount: row.enrollments_count,
    publishedAt: row.published_at?.toISOString() ?? null,
    instructor: toUserSummary({
      id: row.instructor_id,
      name: row.instructor_name,
      avatar_media_id: row.instructor_avatar_media_id,
    }),
  };
}

/** A page of course cards (`Page<CourseSummary>`) as PostgreSQL serialized them, tagged with each card's course and instructor. */
export async function listCourses(db: Kysely<Database>, query: CourseListQuery): Promise<SerializedValue> {
  const tsQuery = query.q === undefined ? undefined : toPrefixTsQuery(query.q);
  if (tsQuery === null) return serializedEmptyPage(COURSE_LISTS_TAG);
  const filter: courses.CourseListFilter = {
    tsQuery,
    level: query.level,
    instructorId: query.instructorId,
    minPriceCents: query.minPriceCents,
    maxPriceCents: query.maxPriceCents,
  };
  const filteredByInstructorAtMost = Object.entries(filter).every(
    ([name, value]) => name === 'instructorId' || value === undefined,
  );
  return serializedKeysetPage(
    query,
    courses.courseSortOrders[query.sort],
    (after) =>
      filteredByInstructorAtMost
        ? courses.instructorPage.execute(db, {
            sort: query.sort,
            limit: query.limit,
            instructorId: filter.instructorId,
            ...cursorArguments(after),
          })
        : courses.pageQuery(db, filter, query.sort, after, query.limit).execute(),
    COURSE_LISTS_TAG,
    (row) => [courseTag(row.id), userTag(row.instructor_id)],
  );
}

/** The course page built in Node: the card, its description and its ordered lessons (the studio's preview). */
export function toDetail(row: DetailRow): CourseDetail {
  return {
    ...toCourseSummary(row),
    status: row.status,
    description: row.description,
    lessons: row.lessons.map((lesson) => ({
      id: lesson.id,
      position: lesson.position,
      title: lesson.title,
      durationMinutes: lesson.duration_minutes,
      isPreview: lesson.is_preview,
    })),
  };
}

type DetailRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof courses.anyByKeyQuery>['executeTakeFirst']>>
>;

/** A published course (`CourseDetail`) as PostgreSQL serialized it, tagged with the course and its instructor. */
export async function getCourse(db: Kysely<Database>, idOrSlug: string): Promise<SerializedValue> {
  const key = courseKeyOf(idOrSlug);
  const [row] = await ('id' in key
    ? courses.publishedById.execute(db, key)
    : courses.publishedBySlug.execute(db, key));
  if (!row) throw notFound('Course');
  return { body: row.page, tags: [courseTag(row.id), userTag(row.instructor_id)] };
}

/** Drafts are private: only their instructor and admins see them; everyone else gets the same 404. */
export const canSeeUnpublished = (principal: SessionPrincipal, course: { instructor_id: number }) =>
  principal.role === 'admin' || course.instructor_id === principal.userId;

/** A course of any status for a signed-in viewer (never cached): the draft preview of the mentor studio. */
export async function getCourseForViewer(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  idOrSlug: string,
): Promise<CourseDetail> {
  const row = await courses.anyByKeyQuery(db, courseKeyOf(idOrSlug)).executeTakeFirst();
  const isPublic = row?.status === 'published' && row.is_active;
  if (!row || (!isPublic && !canSeeUnpublished(principal, row))) throw notFound('Course');
  return toDetail(row);
}

export function toLesson(row: courses.LessonRow): Lesson {
  return {
    id: row.id,
    courseId: row.course_id,
    position: row.position,
    title: row.title,
    content: row.content,
    durationMinutes: row.duration_minutes,
    isPreview: row.is_preview,
  };
}
