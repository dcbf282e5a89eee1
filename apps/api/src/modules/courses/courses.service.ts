import type { CourseDetail, CourseListQuery, CourseSort, CourseSummary, Page } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { notFound } from '../../infra/errors/app-error';
import { toPrefixTsQuery } from '../../infra/db/search';
import { emptyPage, keysetPage, type CursorKey } from '../../infra/pagination/cursor';
import { mediaUrl } from '../media/media.urls';
import { toUserSummary } from '../users/users.service';
import * as courses from './courses.repository';

function toSummary(row: courses.CourseRow): CourseSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    level: row.level,
    price: { amountCents: row.price_cents, currency: row.currency },
    coverUrl: mediaUrl(row.cover_media_id),
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

function sortKeyOf(row: courses.CourseRow, sort: CourseSort): CursorKey {
  switch (sort) {
    case 'newest':
      return [row.created_at.toISOString(), row.id];
    case 'popular':
      return [row.enrollments_count, row.id];
    case 'price':
    case 'price_desc':
      return [row.price_cents, row.id];
  }
}

const cursorValueKind = {
  newest: 'string',
  popular: 'number',
  price: 'number',
  price_desc: 'number',
} as const;

export async function listCourses(
  db: Kysely<Database>,
  query: CourseListQuery,
): Promise<Page<CourseSummary>> {
  const tsQuery = query.q === undefined ? undefined : toPrefixTsQuery(query.q);
  if (tsQuery === null) return emptyPage;
  const filter: courses.CourseListFilter = {
    tsQuery,
    level: query.level,
    instructorId: query.instructorId,
    minPriceCents: query.minPriceCents,
    maxPriceCents: query.maxPriceCents,
  };
  return keysetPage(
    query,
    cursorValueKind,
    (after) => courses.pageQuery(db, filter, query.sort, after, query.limit).execute(),
    toSummary,
    sortKeyOf,
  );
}

export async function getCourse(db: Kysely<Database>, idOrSlug: string): Promise<CourseDetail> {
  const key = /^\d+$/.test(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug };
  const row = await courses.publishedByKeyQuery(db, key).executeTakeFirst();
  if (!row) throw notFound('Course');
  return {
    ...toSummary(row),
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
