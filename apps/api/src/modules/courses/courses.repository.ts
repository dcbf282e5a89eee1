import type {
  CourseCreateBody,
  CourseSort,
  CourseUpdateBody,
  LessonCreateBody,
  LessonUpdateBody,
} from '@mentorhub/contracts';
import type { CourseLevel, CourseStatus, Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { notSuspended } from '../../infra/auth/suspension';
import { compiledOnce } from '../../infra/db/compiled-once';
import { isoInstant, jsonArrayAgg, jsonObject, jsonText, type JsonFields } from '../../infra/db/json';
import { cursorKeyOf, keysetPageQuery, newestFirst, type CursorArguments } from '../../infra/db/keyset';
import type { CursorKey, SortOrder } from '../../infra/pagination/cursor';
import { mediaUrlSql, responsiveImageSql } from '../media/media.urls';
import { userSummaryJson } from '../users/users.repository';

export interface CourseListFilter {
  tsQuery?: string | undefined;
  level?: CourseLevel | undefined;
  instructorId?: number | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
}

/** The columns of a course card (list item): the course and its instructor, joined as `c` and `u`. */
export const courseCardColumns = [
  'c.id',
  'c.slug',
  'c.title',
  'c.summary',
  'c.level',
  'c.price_cents',
  'c.currency',
  'c.cover_media_id',
  'c.lessons_count',
  'c.duration_minutes',
  'c.enrollments_count',
  'c.published_at',
  'c.created_at',
  'u.id as instructor_id',
  'u.name as instructor_name',
  'u.avatar_media_id as instructor_avatar_media_id',
] as const;

function selectWithInstructor(db: Kysely<Database>) {
  return db
    .selectFrom('courses as c')
    .innerJoin('users as u', 'u.id', 'c.instructor_id')
    .select(courseCardColumns);
}

/** Published courses, not hidden, whose instructor is not suspended, joined with them as `c` and `u`. */
function publishedCourses(db: Kysely<Database>) {
  return (
    db
      .selectFrom('courses as c')
      .innerJoin('users as u', 'u.id', 'c.instructor_id')
      // Literals, not parameters: a prepared statement's generic plan can then use the partial indexes.
      .where('c.status', '=', sql.lit('published'))
      .where('c.is_active', '=', sql.lit(true))
      .where(notSuspended('u.suspended_until'))
  );
}

/** Listed courses with the card's columns, for answers built in Node. */
export function selectPublishedWithInstructor(db: Kysely<Database>) {
  return publishedCourses(db).select(courseCardColumns);
}

export type CourseRow = Awaited<
  ReturnType<ReturnType<typeof selectPublishedWithInstructor>['execute']>
>[number];

/** The fields of `CourseSummary` in its order. */
const courseCardFields: JsonFields = {
  id: 'c.id',
  slug: 'c.slug',
  title: 'c.title',
  summary: 'c.summary',
  level: 'c.level',
  price: jsonObject({ amountCents: 'c.price_cents', currency: 'c.currency' }),
  coverUrl: mediaUrlSql('c.cover_media_id'),
  cover: responsiveImageSql('c.cover_media_id', 'cover'),
  lessonsCount: 'c.lessons_count',
  durationMinutes: 'c.duration_minutes',
  enrollmentsCount: 'c.enrollments_count',
  publishedAt: isoInstant('c.published_at'),
  instructor: userSummaryJson('u'),
};

/** A list row: the card serialized by PostgreSQL, with what its cursor and cache tags need. */
function selectCourseCards(db: Kysely<Database>) {
  return publishedCourses(db).select([
    'c.id',
    'u.id as instructor_id',
    'c.created_at',
    'c.enrollments_count',
    'c.price_cents',
    jsonText(courseCardFields).as('card'),
  ]);
}

export type CourseCardRow = Awaited<ReturnType<ReturnType<typeof selectCourseCards>['execute']>>[number];

/** Each public sort of the course list; the id breaks ties, so the order is total. */
export const courseSortOrders = {
  newest: {
    column: 'c.created_at',
    direction: 'desc',
    kind: 'instant',
    keyOf: (row) => [row.created_at.toISOString(), row.id],
  },
  popular: {
    column: 'c.enrollments_count',
    direction: 'desc',
    kind: 'integer',
    keyOf: (row) => [row.enrollments_count, row.id],
  },
  price: {
    column: 'c.price_cents',
    direction: 'asc',
    kind: 'integer',
    keyOf: (row) => [row.price_cents, row.id],
  },
  price_desc: {
    column: 'c.price_cents',
    direction: 'desc',
    kind: 'integer',
    keyOf: (row) => [row.price_cents, row.id],
  },
} as const satisfies Record<CourseSort, SortOrder<CourseCardRow>>;

/** One page of published course cards, each with its instructor: a single statement whatever the limit. */
export function pageQuery(
  db: Kysely<Database>,
  filter: CourseListFilter,
  sort: CourseSort,
  after: CursorKey | undefined,
  limit: number,
) {
  let query = selectCourseCards(db);
  if (filter.tsQuery)
    query = query.where(sql<boolean>`c.search_vector @@ to_tsquery('simple', ${filter.tsQuery})`);
  if (filter.level) query = query.where('c.level', '=', filter.level);
  if (filter.instructorId !== undefined) query = query.where('c.instructor_id', '=', filter.instructorId);
  if (filter.minPriceCents !== undefined) query = query.where('c.price_cents', '>=', filter.minPriceCents);
  if (filter.maxPriceCents !== undefined) query = query.where('c.price_cents', '<=', filter.maxPriceCents);
  return keysetPageQuery(query, courseSortOrders[sort], 'c.id', after, limit);
}

/**
 * `pageQuery` filtered by instructor at most, built once per sort, page size, and first or later page: the course
 * list as most readers ask for it, and an instructor's courses. The instructor and the cursor's key are parameters.
 */
export const instructorPage = compiledOnce(
  ['instructorId', 'afterValue', 'afterId'],
  (db, input: { sort: CourseSort; limit: number; instructorId: number | undefined } & CursorArguments) =>
    pageQuery(db, { instructorId: input.instructorId }, input.sort, cursorKeyOf(input), input.limit),
);

/** Adds the description and the ordered lessons (same statement) to a course query. */
function withLessons(query: ReturnType<typeof selectWithInstructor>) {
  return query.select((eb) => [
    'c.status',
    'c.description',
    jsonArrayFrom(
      eb
        .selectFrom('lessons as l')
        .select(['l.id', 'l.position', 'l.title', 'l.duration_minutes', 'l.is_preview'])
        .whereRef('l.course_id', '=', 'c.id')
        .orderBy('l.position'),
    ).as('lessons'),
  ]);
}

type CourseKey = { id: number } | { slug: string };

/** A published course (`CourseDetail`) by id or slug serialized by PostgreSQL, its ordered lessons in the same statement. */
export function publishedByKeyQuery(db: Kysely<Database>, key: CourseKey) {
  return publishedCourses(db)
    .select([
      'c.id',
      'u.id as instructor_id',
      jsonText({
        ...courseCardFields,
        status: 'c.status',
        description: 'c.description',
        lessons: sql`(
          SELECT ${jsonArrayAgg(
            jsonObject({
              id: 'l.id',
              position: 'l.position',
              title: 'l.title',
              durationMinutes: 'l.duration_minutes',
              isPreview: 'l.is_preview',
            }),
            sql`l.position`,
          )}
          FROM lessons l WHERE l.course_id = c.id)`,
      }).as('page'),
    ])
    .where((eb) => ('id' in key ? eb('c.id', '=', key.id) : eb('c.slug', '=', key.slug)));
}

/** `publishedByKeyQuery` built once per kind of key: the course page's cache miss sends its text with the key. */
export const publishedById = compiledOnce(['id'], (db, key: { id: number }) => publishedByKeyQuery(db, key));
export const publishedBySlug = compiledOnce(['slug'], (db, key: { slug: string }) =>
  publishedByKeyQuery(db, key),
);

/** A course in any status (drafts too) by id or slug, with its lessons: for its instructor and admins only. */
export function anyByKeyQuery(db: Kysely<Database>, key: CourseKey) {
  return withLessons(selectWithInstructor(db))
    .select(['c.instructor_id', 'c.is_active', 'c.updated_at'])
    .where((eb) => ('id' in key ? eb('c.id', '=', key.id) : eb('c.slug', '=', key.slug)));
}

/** One page of an instructor's own courses, drafts included, newest first: one statement. */
export function studioPageQuery(
  db: Kysely<Database>,
  instructorId: number,
  status: CourseStatus | undefined,
  after: CursorKey | undefined,
  limit: number,
) {
  let query = selectWithInstructor(db)
    .select(['c.status', 'c.updated_at'])
    .where('c.instructor_id', '=', instructorId);
  if (status) query = query.where('c.status', '=', status);
  return keysetPageQuery(query, newestFirst('c.created_at'), 'c.id', after, limit);
}

export type StudioCourseRow = Awaited<ReturnType<ReturnType<typeof studioPageQuery>['execute']>>[number];

/**
 * Locks a course for a write (every course and lesson write takes this lock first, so they serialize per
 * course) and reads what the rules need: owner, status, and the lesson ids in order.
 */
export function lockForWrite(trx: Kysely<Database>, id: number) {
  return trx
    .selectFrom('courses as c')
    .select((eb) => [
      'c.id',
      'c.instructor_id',
      'c.status',
      'c.lessons_count',
      eb
        .fn<number[]>('array', [
          eb
            .selectFrom('lessons as l')
            .select('l.id')
            .whereRef('l.course_id', '=', 'c.id')
            .orderBy('l.position'),
        ])
        .as('lesson_ids'),
    ])
    .where('c.id', '=', id)
    .forUpdate('c')
    .executeTakeFirst();
}

export type LockedCourse = NonNullable<Awaited<ReturnType<typeof lockForWrite>>>;

/** A lesson's course, locked as `lockForWrite` does, found from the lesson. */
export function lockLessonCourse(trx: Kysely<Database>, lessonId: number) {
  return trx
    .selectFrom('lessons as l')
    .innerJoin('courses as c', 'c.id', 'l.course_id')
    .select(['l.id', 'l.course_id', 'c.instructor_id', 'c.status', 'c.lessons_count'])
    .where('l.id', '=', lessonId)
    .forUpdate('c')
    .executeTakeFirst();
}

export type LockedLesson = NonNullable<Awaited<ReturnType<typeof lockLessonCourse>>>;

/** Inserts a draft unless the slug is taken (then no row comes back). */
export function insertDraft(
  db: Kysely<Database>,
  instructorId: number,
  slug: string,
  course: Omit<CourseCreateBody, 'slug'>,
) {
  return db
    .insertInto('courses')
    .values({
      instructor_id: instructorId,
      slug,
      title: course.title,
      summary: course.summary,
      description: course.description,
      level: course.level,
      price_cents: course.priceCents,
      currency: course.currency,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function update(db: Kysely<Database>, id: number, patch: CourseUpdateBody) {
  return db
    .updateTable('courses')
    .set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.slug !== undefined && { slug: patch.slug }),
      ...(patch.summary !== undefined && { summary: patch.summary }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.level !== undefined && { level: patch.level }),
      ...(patch.priceCents !== undefined && { price_cents: patch.priceCents }),
      ...(patch.currency !== undefined && { currency: patch.currency }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Publishing stamps published_at; unpublishing returns the course to draft. */
export function setStatus(db: Kysely<Database>, id: number, status: 'published' | 'draft') {
  return db
    .updateTable('courses')
    .set({
      status,
      published_at: status === 'published' ? new Date() : null,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** Recounts a course's lessons and minutes from its lessons (inside the lesson write's transaction). */
export function refreshLessonTotals(trx: Kysely<Database>, courseId: number) {
  return sql`UPDATE courses SET lessons_count = t.lessons, duration_minutes = t.minutes, updated_at = now()
    FROM (SELECT count(*)::int AS lessons, coalesce(sum(duration_minutes), 0)::int AS minutes
          FROM lessons WHERE course_id = ${courseId}) AS t
    WHERE id = ${courseId}`.execute(trx);
}

const lessonColumns = [
  'id',
  'course_id',
  'position',
  'title',
  'content',
  'duration_minutes',
  'is_preview',
] as const;

/** Appends a lesson after the course's last one. */
export function appendLesson(trx: Kysely<Database>, courseId: number, lesson: LessonCreateBody) {
  return trx
    .insertInto('lessons')
    .values((eb) => ({
      course_id: courseId,
      position: eb
        .selectFrom('lessons')
        .select(sql<number>`coalesce(max(position), 0) + 1`.as('next'))
        .where('course_id', '=', courseId),
      title: lesson.title,
      content: lesson.content,
      duration_minutes: lesson.durationMinutes,
      is_preview: lesson.isPreview,
    }))
    .returning(lessonColumns)
    .executeTakeFirstOrThrow();
}

export function updateLesson(trx: Kysely<Database>, id: number, patch: LessonUpdateBody) {
  return trx
    .updateTable('lessons')
    .set({
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.content !== undefined && { content: patch.content }),
      ...(patch.durationMinutes !== undefined && { duration_minutes: patch.durationMinutes }),
      ...(patch.isPreview !== undefined && { is_preview: patch.isPreview }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returning(lessonColumns)
    .executeTakeFirst();
}

export type LessonRow = NonNullable<Awaited<ReturnType<typeof updateLesson>>>;

export function deleteLesson(trx: Kysely<Database>, id: number) {
  return trx
    .deleteFrom('lessons')
    .where('id', '=', id)
    .returning(['course_id', 'position'])
    .executeTakeFirst();
}

/** Moves the lessons after a removed position up by one (one statement: the unique key is checked at its end). */
export function closePositionGap(trx: Kysely<Database>, courseId: number, removedPosition: number) {
  return trx
    .updateTable('lessons')
    .set((eb) => ({ position: eb('position', '-', 1), updated_at: new Date() }))
    .where('course_id', '=', courseId)
    .where('position', '>', removedPosition)
    .execute();
}

/**
 * Gives each lesson its index in `lessonIds` as position, in one statement: the (course_id, position) key is
 * deferrable, so it is checked once the whole permutation is applied.
 */
export function reorderLessons(trx: Kysely<Database>, courseId: number, lessonIds: number[]) {
  return sql`UPDATE lessons AS l SET position = o.position, updated_at = now()
    FROM unnest(${lessonIds}::int[]) WITH ORDINALITY AS o(id, position)
    WHERE l.id = o.id AND l.course_id = ${courseId} AND l.position <> o.position`.execute(trx);
}
