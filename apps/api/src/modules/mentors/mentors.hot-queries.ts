import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as mentors from './mentors.repository';

/** A listed mentor from the middle of the table, so plans are measured on a realistic row. */
async function sampleMentor(db: Kysely<Database>) {
  const { rows } = await sql<{ id: number; rating_avg: string; hourly_rate_cents: number }>`
    SELECT id, rating_avg, hourly_rate_cents FROM mentors WHERE status = 'approved' AND is_active
    ORDER BY id OFFSET (SELECT count(*) / 2 FROM mentors) LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no listed mentor: seed the database first');
  return rows[0];
}

export const mentorHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/mentors (first page, by rating)',
    build: (db) => mentors.pageQuery(db, {}, 'rating', undefined, 20),
  },
  {
    name: 'GET /api/mentors (deep cursor page, by rating)',
    build: async (db) => {
      const mentor = await sampleMentor(db);
      return mentors.pageQuery(db, {}, 'rating', [mentor.rating_avg, mentor.id], 20);
    },
  },
  {
    name: 'GET /api/mentors (deep cursor page, by price)',
    build: async (db) => {
      const mentor = await sampleMentor(db);
      return mentors.pageQuery(db, {}, 'price', [mentor.hourly_rate_cents, mentor.id], 20);
    },
  },
  { name: 'GET /api/mentors?sort=newest', build: (db) => mentors.pageQuery(db, {}, 'newest', undefined, 20) },
  {
    name: 'GET /api/mentors?sort=responsive&minResponseRate=…',
    build: (db) => mentors.pageQuery(db, { minResponseRate: 80 }, 'responsive', undefined, 20),
  },
  {
    name: 'GET /api/mentors?q=… (full-text search)',
    build: (db) => mentors.pageQuery(db, { tsQuery: 'kubern:*' }, 'rating', undefined, 20),
  },
  {
    name: 'GET /api/mentors?expertise=…&language=…&minRating=…',
    build: (db) =>
      mentors.pageQuery(
        db,
        { expertise: ['rust'], language: 'de', minRating: '4.00' },
        'rating',
        undefined,
        20,
      ),
  },
  {
    name: 'GET /api/mentors/:id (with its rating distribution)',
    build: async (db) => mentors.listedByIdQuery(db, (await sampleMentor(db)).id),
  },
];
