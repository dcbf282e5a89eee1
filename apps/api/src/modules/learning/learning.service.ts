import type {
  CourseProgress,
  Enrollment,
  EnrollmentListQuery,
  LessonCompletion,
  LessonView,
  Page,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { COURSE_LISTS_TAG, courseTag } from '../courses/courses.cache';
import { canSeeUnpublished, toCourseSummary, toLesson } from '../courses/courses.service';
import { recommendationsTag } from '../recommendations/recommendations.cache';
import * as learning from './learning.repository';

function toProgress(completedLessons: number, totalLessons: number): CourseProgress {
  const percent = totalLessons === 0 ? 0 : Math.min(100, Math.floor((completedLessons * 100) / totalLessons));
  return { completedLessons, totalLessons, percent };
}

function toEnrollment(row: learning.EnrollmentRow): Enrollment {
  return {
    id: row.enrollment_id,
    course: toCourseSummary(row),
    progress: toProgress(row.completed_lessons, row.lessons_count),
    enrolledAt: row.enrolled_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/**
 * Enrolls the signed-in user in a published course, once. The enrollment count shown on the course's cached
 * page and cards changes, and so may its place in the popular order: both are refreshed, and so are the user's
 * recommendations (the course is no longer one, and its instructor's expertise is now an interest).
 */
export async function enroll(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  courseId: number,
): Promise<Enrollment> {
  const inserted = await learning.enroll(ctx.db, courseId, principal.userId);
  if (!inserted) {
    const state = await learning.enrollmentState(ctx.db, courseId, principal.userId);
    if (!state) throw notFound('Course');
    if (state.enrollment_id !== null)
      throw new AppError('ALREADY_ENROLLED', 'You are already enrolled in this course');
    // A draft stays invisible to everyone but its instructor and admins, also through this route.
    if (!canSeeUnpublished(principal, state)) throw notFound('Course');
    throw new AppError('COURSE_NOT_PUBLISHED', 'This course is not published, so it cannot take enrollments');
  }
  await ctx.cache.invalidateTags([
    COURSE_LISTS_TAG,
    courseTag(courseId),
    recommendationsTag(principal.userId),
  ]);
  const row = await learning.byIdQuery(ctx.db, principal.userId, inserted.id).executeTakeFirstOrThrow();
  return toEnrollment(row);
}

/** The signed-in user's enrollments with progress, newest first: one statement per page. */
export function listEnrollments(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  query: EnrollmentListQuery,
): Promise<Page<Enrollment>> {
  return keysetPage(
    { ...query, sort: 'newest' as const },
    { kind: 'instant', keyOf: (row) => [row.enrolled_at.toISOString(), row.enrollment_id] },
    (after) => learning.pageQuery(db, principal.userId, after, query.limit).execute(),
    toEnrollment,
  );
}

/**
 * A lesson's content. Preview lessons of a published course are open to everyone; the others need an enrollment
 * (or to be the course's instructor, or an admin). Lessons of a draft stay as private as the draft.
 */
export async function getLesson(
  db: Kysely<Database>,
  principal: SessionPrincipal | null,
  lessonId: number,
): Promise<LessonView> {
  const row = await learning.lessonForViewerQuery(db, lessonId, principal?.userId ?? 0).executeTakeFirst();
  if (!row) throw notFound('Lesson');
  const isPublic = row.status === 'published' && row.is_active;
  const isAuthor = principal !== null && canSeeUnpublished(principal, row);
  const enrolled = row.enrollment_id !== null;
  if (!isAuthor && !enrolled) {
    if (!isPublic) throw notFound('Lesson');
    if (!row.is_preview) {
      if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in and enroll to open this lesson');
      throw new AppError('NOT_ENROLLED', 'Enroll in this course to open this lesson');
    }
  }
  return { ...toLesson(row), completed: row.completed_at !== null };
}

/**
 * Marks a lesson complete for the signed-in learner (idempotent). When every lesson of the course is done, the
 * enrollment's completed_at is set, once.
 */
export async function completeLesson(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  lessonId: number,
): Promise<LessonCompletion> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const enrollment = await learning.lockEnrollmentForLesson(trx, lessonId, principal.userId);
    if (!enrollment) return null;
    await learning.recordCompletion(trx, enrollment.enrollment_id, lessonId);
    const progress = await learning.settleProgress(trx, enrollment.enrollment_id);
    return progress && { courseId: enrollment.course_id, ...progress };
  });
  if (!result) {
    const lesson = await learning.lessonForViewerQuery(ctx.db, lessonId, principal.userId).executeTakeFirst();
    const isPublic = lesson?.status === 'published' && lesson.is_active;
    if (!lesson || (!isPublic && !canSeeUnpublished(principal, lesson))) throw notFound('Lesson');
    throw new AppError('NOT_ENROLLED', 'Enroll in this course to complete its lessons');
  }
  return {
    lessonId,
    courseId: result.courseId,
    progress: toProgress(result.completed_lessons, result.total_lessons),
    completedAt: result.completed_at?.toISOString() ?? null,
  };
}
