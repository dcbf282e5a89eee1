import type { CourseSort } from '@mentorhub/contracts';
import type { CourseLevel, Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { CursorKey } from '../../infra/pagination/cursor';

export interface CourseListFilter {
  tsQuery?: string | undefined;
  level?: CourseLevel | undefined;
  instructorId?: number | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
}

function selectPublishedWithInstructor(db: Kysely<Database>) {
  return (
    db
      .selectFrom('courses as c')
      .innerJoin('users as u', 'u.id', 'c.instructor_id')
      .select([
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
      ])
      // Literals, not parameters: a prepared statement's generic plan can then use the partial indexes.
      .where('c.status', '=', sql.lit('published'))
      .where('c.is_active', '=', sql.lit(true))
  );
}

const sortKeys = {
  newest: { column: 'c.created_at', direction: 'desc' },
  popular: { column: 'c.enrollments_count', direction: 'desc' },
  price: { column: 'c.price_cents', direction: 'asc' },
  price_desc: { column: 'c.price_cents', direction: 'desc' },
} as const satisfies Record<CourseSort, { column: string; direction: 'asc' | 'desc' }>;

/** One page of published courses with their instructor: a single statement whatever the limit. */
export function pageQuery(
  db: Kysely<Database>,
  filter: CourseListFilter,
  sort: CourseSort,
  after: CursorKey | undefined,
  limit: number,
) {
  const { column, direction } = sortKeys[sort];
  let query = selectPublishedWithInstructor(db);
  if (filter.tsQuery)
    query = query.where(sql<boolean>`c.search_vector @@ to_tsquery('simple', ${filter.tsQuery})`);
  if (filter.level) query = query.where('c.level', '=', filter.level);
  if (filter.instructorId !== undefined) query = query.where('c.instructor_id', '=', filter.instructorId);
  if (filter.minPriceCents !== undefined) query = query.where('c.price_cents', '>=', filter.minPriceCents);
  if (filter.maxPriceCents !== undefined) query = query.where('c.price_cents', '<=', filter.maxPriceCents);
  if (after) {
    const [value, id] = after;
    query = query.where((eb) =>
      eb(eb.refTuple(column, 'c.id'), direction === 'desc' ? '<' : '>', eb.tuple(value as never, id)),
    );
  }
  return query
    .orderBy(column, direction)
    .orderBy('c.id', direction)
    .limit(limit + 1);
}

/** A published course by id or slug, with its ordered lessons in the same statement. */
export function publishedByKeyQuery(db: Kysely<Database>, key: { id: number } | { slug: string }) {
  return selectPublishedWithInstructor(db)
    .select((eb) => [
      'c.description',
      jsonArrayFrom(
        eb
          .selectFrom('lessons as l')
          .select(['l.id', 'l.position', 'l.title', 'l.duration_minutes', 'l.is_preview'])
          .whereRef('l.course_id', '=', 'c.id')
          .orderBy('l.position'),
      ).as('lessons'),
    ])
    .where((eb) => ('id' in key ? eb('c.id', '=', key.id) : eb('c.slug', '=', key.slug)));
}

export type CourseRow = Awaited<ReturnType<ReturnType<typeof pageQuery>['execute']>>[number];
