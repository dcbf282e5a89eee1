import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as courses from './courses.repository';

async function sampleCourse(db: Kysely<Database>) {
  const { rows } = await sql<{ id: number; slug: string; instructor_id: number; enrollments_count: number }>`
    SELECT id, slug, instructor_id, enrollments_count FROM courses WHERE status = 'published' AND is_active
    ORDER BY id OFFSET (SELECT count(*) / 2 FROM courses) LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no published course: seed the database first');
  return rows[0];
}

export const courseHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/courses (first page, newest)',
    build: (db) => courses.pageQuery(db, {}, 'newest', undefined, 20),
  },
  {
    name: 'GET /api/courses (deep cursor page, popular)',
    build: async (db) => {
      const course = await sampleCourse(db);
      return courses.pageQuery(db, {}, 'popular', [course.enrollments_count, course.id], 20);
    },
  },
  {
    name: 'GET /api/courses?q=… (full-text search)',
    build: (db) => courses.pageQuery(db, { tsQuery: 'product:*' }, 'newest', undefined, 20),
  },
  {
    name: 'GET /api/courses?instructorId=…',
    build: async (db) =>
      courses.pageQuery(
        db,
        { instructorId: (await sampleCourse(db)).instructor_id },
        'newest',
        undefined,
        20,
      ),
  },
  {
    name: 'GET /api/courses/:slug',
    build: async (db) => courses.publishedByKeyQuery(db, { slug: (await sampleCourse(db)).slug }),
  },
  {
    name: 'GET /api/courses/:id',
    build: async (db) => courses.publishedByKeyQuery(db, { id: (await sampleCourse(db)).id }),
  },
  {
    name: 'GET /api/me/courses',
    build: async (db) =>
      courses.studioPageQuery(db, (await sampleCourse(db)).instructor_id, undefined, undefined, 20),
  },
];
