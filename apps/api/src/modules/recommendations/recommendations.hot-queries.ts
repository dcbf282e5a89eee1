import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as recommendations from './recommendations.repository';

/** A user with history from the middle of the table: the mentee of a booking, preferably enrolled somewhere too. */
async function sampleUser(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ mentee_id: number }>`
    SELECT b.mentee_id FROM bookings b
    ORDER BY EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = b.mentee_id) DESC, b.id
    OFFSET (SELECT count(*) / 4 FROM bookings) LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no booking: seed the database first');
  return rows[0].mentee_id;
}

/** A user with no bookings or enrollments: the cold start. */
async function newcomer(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    SELECT u.id FROM users u WHERE NOT EXISTS (SELECT 1 FROM bookings b WHERE b.mentee_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM mentors m WHERE m.user_id = u.id)
    ORDER BY u.id DESC LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no user without history: seed the database first');
  return rows[0].id;
}

export const recommendationHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/me/recommendations (mentors)',
    build: async (db) => recommendations.recommendedMentorsQuery(db, await sampleUser(db), 6),
  },
  {
    name: 'GET /api/me/recommendations (courses)',
    build: async (db) => recommendations.recommendedCoursesQuery(db, await sampleUser(db), 6),
  },
  {
    name: 'GET /api/me/recommendations (mentors, cold start)',
    build: async (db) => recommendations.recommendedMentorsQuery(db, await newcomer(db), 6),
  },
  {
    name: 'GET /api/me/recommendations (courses, cold start)',
    build: async (db) => recommendations.recommendedCoursesQuery(db, await newcomer(db), 6),
  },
];
