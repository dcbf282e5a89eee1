import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';
import { courseCardColumns } from '../courses/courses.repository';

/** A user's enrollments, each with its course card and the number of lessons completed (one statement). */
function selectEnrollmentCards(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('enrollments as e')
    .innerJoin('courses as c', 'c.id', 'e.course_id')
    .innerJoin('users as u', 'u.id', 'c.instructor_id')
    .select(courseCardColumns)
    .select((eb) => [
      'e.id as enrollment_id',
      'e.enrolled_at',
      'e.completed_at',
      eb
        .selectFrom('lesson_progress as p')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('p.enrollment_id', '=', 'e.id')
        .$asScalar()
        .$notNull()
        .as('completed_lessons'),
    ])
    .where('e.user_id', '=', userId);
}

/** One page of the user's enrollments, newest first. */
export function pageQuery(db: Kysely<Database>, userId: number, after: CursorKey | undefined, limit: number) {
  const query = selectEnrollmentCards(db, userId);
  return keysetPageQuery(query, newestFirst('e.enrolled_at'), 'e.id', after, limit);
}

export function byIdQuery(db: Kysely<Database>, userId: number, enrollmentId: number) {
  return selectEnrollmentCards(db, userId).where('e.id', '=', enrollmentId);
}

export type EnrollmentRow = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];

/**
 * Enrolls the user in a published course and counts the enrollment on the course, in one statement (so in one
 * transaction). The unique (course_id, user_id) key settles concurrent requests: only one of them inserts, and
 * only an insert increments the count. No row back: not published, unknown, or already enrolled.
 */
export function enroll(db: Kysely<Database>, courseId: number, userId: number) {
  return db
    .with('inserted', (qb) =>
      qb
        .insertInto('enrollments')
        .columns(['course_id', 'user_id'])
        .expression((eb) =>
          eb
            .selectFrom('courses')
            .select(['id', sql.val(userId).as('user_id')])
            .where('id', '=', courseId)
            .where('status', '=', 'published')
            .where('is_active', '=', true),
        )
        .onConflict((oc) => oc.columns(['course_id', 'user_id']).doNothing())
        .returning(['id', 'course_id']),
    )
    .with('counted', (qb) =>
      qb
        .updateTable('courses')
        .set((eb) => ({ enrollments_count: eb('enrollments_count', '+', 1) }))
        .where('id', 'in', qb.selectFrom('inserted').select('course_id'))
        .returning('id'),
    )
    .selectFrom('inserted')
    .select('inserted.id')
    .executeTakeFirst();
}

/** Why an enrollment did not happen: the course's state and whether the user is enrolled already. */
export function enrollmentState(db: Kysely<Database>, courseId: number, userId: number) {
  return db
    .selectFrom('courses as c')
    .leftJoin('enrollments as e', (join) =>
      join.onRef('e.course_id', '=', 'c.id').on('e.user_id', '=', userId),
    )
    .select(['c.status', 'c.is_active', 'c.instructor_id', 'e.id as enrollment_id'])
    .where('c.id', '=', courseId)
    .executeTakeFirst();
}

/**
 * A lesson with its course's visibility and, for a signed-in user, their enrollment and whether they completed
 * the lesson: one statement. `userId` 0 (anonymous) matches no enrollment.
 */
export function lessonForViewerQuery(db: Kysely<Database>, lessonId: number, userId: number) {
  return db
    .selectFrom('lessons as l')
    .innerJoin('courses as c', 'c.id', 'l.course_id')
    .leftJoin('enrollments as e', (join) =>
      join.onRef('e.course_id', '=', 'l.course_id').on('e.user_id', '=', userId),
    )
    .leftJoin('lesson_progress as p', (join) =>
      join.onRef('p.enrollment_id', '=', 'e.id').onRef('p.lesson_id', '=', 'l.id'),
    )
    .select([
      'l.id',
      'l.course_id',
      'l.position',
      'l.title',
      'l.content',
      'l.duration_minutes',
      'l.is_preview',
      'c.status',
      'c.is_active',
      'c.instructor_id',
      'e.id as enrollment_id',
      'p.completed_at',
    ])
    .where('l.id', '=', lessonId);
}

/**
 * The user's enrollment in the lesson's course, locked: completions of one enrollment run one at a time, so the
 * one that completes the last lesson always sees every other and sets completed_at.
 */
export function lockEnrollmentForLesson(trx: Kysely<Database>, lessonId: number, userId: number) {
  return trx
    .selectFrom('lessons as l')
    .innerJoin('enrollments as e', (join) =>
      join.onRef('e.course_id', '=', 'l.course_id').on('e.user_id', '=', userId),
    )
    .select(['e.id as enrollment_id', 'l.course_id'])
    .where('l.id', '=', lessonId)
    .forUpdate('e')
    .executeTakeFirst();
}

export function recordCompletion(trx: Kysely<Database>, enrollmentId: number, lessonId: number) {
  return trx
    .insertInto('lesson_progress')
    .values({ enrollment_id: enrollmentId, lesson_id: lessonId })
    .onConflict((oc) => oc.columns(['enrollment_id', 'lesson_id']).doNothing())
    .execute();
}

/** Stamps completed_at the first time every lesson is done, and reports the progress it counted. */
export function settleProgress(trx: Kysely<Database>, enrollmentId: number) {
  return sql<{ completed_at: Date | null; completed_lessons: number; total_lessons: number }>`
    UPDATE enrollments AS e
    SET completed_at = coalesce(e.completed_at, CASE WHEN t.done >= c.lessons_count THEN now() END)
    FROM courses AS c,
      (SELECT count(*)::int AS done FROM lesson_progress WHERE enrollment_id = ${enrollmentId}) AS t
    WHERE e.id = ${enrollmentId} AND c.id = e.course_id
    RETURNING e.completed_at, t.done AS completed_lessons, c.lessons_count AS total_lessons`
    .execute(trx)
    .then((result) => result.rows[0]);
}
