import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as learning from './learning.repository';

/** An enrollment from the middle of the table: its learner and a lesson of its course. */
async function sampleEnrollment(db: Kysely<Database>) {
  const { rows } = await sql<{ user_id: number; lesson_id: number }>`
    SELECT e.user_id, (SELECT min(l.id) FROM lessons l WHERE l.course_id = e.course_id) AS lesson_id
    FROM enrollments e ORDER BY e.id OFFSET (SELECT count(*) / 2 FROM enrollments) LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no enrollment: seed the database first');
  return rows[0];
}

export const learningHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/me/enrollments',
    build: async (db) => learning.pageQuery(db, (await sampleEnrollment(db)).user_id, undefined, 20),
  },
  {
    name: 'GET /api/lessons/:id',
    build: async (db) => {
      const { user_id, lesson_id } = await sampleEnrollment(db);
      return learning.lessonForViewerQuery(db, lesson_id, user_id);
    },
  },
];
