import { randomInt } from 'node:crypto';
import type {
  CourseCreateBody,
  CourseUpdateBody,
  Lesson,
  LessonCreateBody,
  LessonOrderBody,
  LessonUpdateBody,
  Page,
  StudioCourse,
  StudioCourseListQuery,
  StudioCourseSummary,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { isUniqueViolation } from '../../infra/db/pg-errors';
import { AppError, invalidField, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { COURSE_LISTS_TAG, courseTag } from './courses.cache';
import * as courses from './courses.repository';
import { toCourseSummary, toDetail, toLesson } from './courses.service';

// A mentor (or admin) writes their own courses. Every write locks the course row first, so lesson
// positions and the course's counters change one writer at a time, and invalidates the cached pages it affects.

function assertAuthor(principal: SessionPrincipal): void {
  if (principal.role !== 'mentor' && principal.role !== 'admin')
    throw new AppError('FORBIDDEN', 'Only mentors can create and edit courses');
}

function assertInstructor<T extends { instructor_id: number }>(
  principal: SessionPrincipal,
  found: T | undefined,
  what: string,
): asserts found is T {
  if (!found) throw notFound(what);
  if (found.instructor_id !== principal.userId)
    throw new AppError('FORBIDDEN', 'You can only change your own courses');
}

/** A draft only shows on its instructor's studio; a published course also shows on every public list. */
const tagsOf = (course: { id: number; status: string }): string[] =>
  course.status === 'published' ? [COURSE_LISTS_TAG, courseTag(course.id)] : [courseTag(course.id)];

/** Runs a write on the locked course after checking that the signed-in user is its instructor. */
async function writeCourse<T>(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  courseId: number,
  write: (trx: Kysely<Database>, course: courses.LockedCourse) => Promise<T>,
): Promise<T> {
  assertAuthor(principal);
  return ctx.db.transaction().execute(async (trx) => {
    const course = await courses.lockForWrite(trx, courseId);
    assertInstructor(principal, course, 'Course');
    return write(trx, course);
  });
}

/** The same for a write on one lesson, found with its course. */
async function writeLesson<T>(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  lessonId: number,
  write: (trx: Kysely<Database>, lesson: courses.LockedLesson) => Promise<T>,
): Promise<T> {
  assertAuthor(principal);
  return ctx.db.transaction().execute(async (trx) => {
    const lesson = await courses.lockLessonCourse(trx, lessonId);
    assertInstructor(principal, lesson, 'Lesson');
    return write(trx, lesson);
  });
}

const violatesSlugKey = (error: unknown): boolean => isUniqueViolation(error, 'courses_slug_key');

const slugTaken = () => new AppError('CONFLICT', 'Another course already uses this slug');

/** "Intro to Go — Part 2!" → "intro-to-go-part-2"; an all-digit result is prefixed so it never reads as an id. */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 100)
    .replace(/^-+|-+$/g, '');
  if (!slug) return 'course';
  return /[a-z]/.test(slug) ? slug : `course-${slug}`;
}

/** Six random base-36 characters: enough that two courses with one title practically never collide twice. */
function slugSuffix(): string {
  const n = randomInt(36 ** 6);
  return n.toString(36).padStart(6, '0');
}

function toStudioCourse(row: StudioDetailRow): StudioCourse {
  return {
    ...toDetail(row),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

type StudioDetailRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof courses.anyByKeyQuery>['executeTakeFirst']>>
>;

/** The instructor's view of their course after a write (any status). */
async function studioCourse(db: Kysely<Database>, id: number): Promise<StudioCourse> {
  const row = await courses.anyByKeyQuery(db, { id }).executeTakeFirst();
  if (!row) throw notFound('Course');
  return toStudioCourse(row);
}

/**
 * Creates a draft owned by the signed-in mentor. A given slug must be free (409 otherwise); a derived one is made
 * unique with a short random suffix when the title's slug is taken. The unique key decides, so concurrent
 * creations never share a slug. Drafts are not public, so no cached page changes.
 */
export async function createCourse(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  body: CourseCreateBody,
): Promise<StudioCourse> {
  assertAuthor(principal);
  const { slug: given, ...fields } = body;
  const base = given ?? slugFromTitle(body.title);
  let inserted = await courses.insertDraft(ctx.db, principal.userId, base, fields);
  if (!inserted && given !== undefined) throw slugTaken();
  for (let attempt = 0; !inserted && attempt < 3; attempt++)
    inserted = await courses.insertDraft(ctx.db, principal.userId, `${base}-${slugSuffix()}`, fields);
  if (!inserted) throw new AppError('CONFLICT', 'Could not find a free slug for this title: give one');
  return studioCourse(ctx.db, inserted.id);
}

export async function updateCourse(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  id: number,
  patch: CourseUpdateBody,
): Promise<StudioCourse> {
  let tags: string[];
  try {
    tags = await writeCourse(ctx, principal, id, async (trx, course) => {
      await courses.update(trx, id, patch);
      return tagsOf(course);
    });
  } catch (error) {
    if (violatesSlugKey(error)) throw slugTaken();
    throw error;
  }
  await ctx.cache.invalidateTags(tags);
  return studioCourse(ctx.db, id);
}

/** Publishing needs at least one lesson; it lists the course at once (every list and its page are refreshed). */
export async function setCoursePublished(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  id: number,
  published: boolean,
): Promise<StudioCourse> {
  const changed = await writeCourse(ctx, principal, id, async (trx, course) => {
    if (published && course.lessons_count === 0)
      throw new AppError('CONFLICT', 'Add at least one lesson before publishing this course');
    if ((course.status === 'published') === published) return false;
    await courses.setStatus(trx, id, published ? 'published' : 'draft');
    return true;
  });
  if (changed) await ctx.cache.invalidateTags([COURSE_LISTS_TAG, courseTag(id)]);
  return studioCourse(ctx.db, id);
}

/** Appends a lesson; the course's lesson count and minutes change in the same transaction. */
export async function addLesson(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  courseId: number,
  body: LessonCreateBody,
): Promise<Lesson> {
  const { lesson, tags } = await writeCourse(ctx, principal, courseId, async (trx, course) => {
    const row = await courses.appendLesson(trx, courseId, body);
    await courses.refreshLessonTotals(trx, courseId);
    return { lesson: row, tags: [courseTag(course.id)] };
  });
  await ctx.cache.invalidateTags(tags);
  return toLesson(lesson);
}

export async function updateLesson(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  lessonId: number,
  patch: LessonUpdateBody,
): Promise<Lesson> {
  const updated = await writeLesson(ctx, principal, lessonId, async (trx, found) => {
    const row = await courses.updateLesson(trx, lessonId, patch);
    if (!row) throw notFound('Lesson');
    if (patch.durationMinutes !== undefined) await courses.refreshLessonTotals(trx, found.course_id);
    return row;
  });
  await ctx.cache.invalidateTags([courseTag(updated.course_id)]);
  return toLesson(updated);
}

/** Deletes a lesson and closes the gap in positions; a published course keeps at least one lesson. */
export async function deleteLesson(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  lessonId: number,
): Promise<void> {
  const courseId = await writeLesson(ctx, principal, lessonId, async (trx, found) => {
    if (found.status === 'published' && found.lessons_count <= 1)
      throw new AppError(
        'CONFLICT',
        'A published course needs at least one lesson: unpublish it before deleting its last lesson',
      );
    const removed = await courses.deleteLesson(trx, lessonId);
    if (!removed) throw notFound('Lesson');
    await courses.closePositionGap(trx, removed.course_id, removed.position);
    await courses.refreshLessonTotals(trx, removed.course_id);
    return removed.course_id;
  });
  await ctx.cache.invalidateTags([courseTag(courseId)]);
}

/** Puts the course's lessons in the given order: the list must be exactly the course's lessons. */
export async function reorderLessons(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  courseId: number,
  { lessonIds }: LessonOrderBody,
): Promise<StudioCourse> {
  await writeCourse(ctx, principal, courseId, async (trx, course) => {
    const current = new Set(course.lesson_ids);
    const given = new Set(lessonIds);
    const missing = course.lesson_ids.filter((id) => !given.has(id));
    const foreign = lessonIds.filter((id) => !current.has(id));
    if (missing.length > 0 || foreign.length > 0) {
      const problems = [
        missing.length > 0 ? `misses ${missing.join(', ')}` : '',
        foreign.length > 0 ? `has lessons not in this course: ${foreign.join(', ')}` : '',
      ].filter(Boolean);
      throw invalidField(
        'body.lessonIds',
        `must list exactly the course’s lessons; it ${problems.join(' and ')}`,
      );
    }
    await courses.reorderLessons(trx, courseId, lessonIds);
  });
  await ctx.cache.invalidateTags([courseTag(courseId)]);
  return studioCourse(ctx.db, courseId);
}

function toStudioSummary(row: courses.StudioCourseRow): StudioCourseSummary {
  return {
    ...toCourseSummary(row),
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The signed-in instructor's own courses, drafts included (the mentor studio): one statement per page. */
export async function listStudioCourses(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  query: StudioCourseListQuery,
): Promise<Page<StudioCourseSummary>> {
  assertAuthor(principal);
  return keysetPage(
    { ...query, sort: 'newest' as const },
    { kind: 'instant', keyOf: (row) => [row.created_at.toISOString(), row.id] },
    (after) => courses.studioPageQuery(db, principal.userId, query.status, after, query.limit).execute(),
    toStudioSummary,
  );
}
