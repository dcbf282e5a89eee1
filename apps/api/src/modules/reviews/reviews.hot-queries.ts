import type { Database } from '@mentorhub/db';
import { sql } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as reviews from './reviews.repository';

export const reviewHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/mentors/:id/reviews',
    build: async (db) => {
      const { rows } = await sql<{ mentor_id: number }>`
        SELECT mentor_id FROM reviews GROUP BY mentor_id ORDER BY count(*) DESC LIMIT 1`.execute(db);
      return reviews.pageQuery(db, rows[0]?.mentor_id ?? 1, undefined, 20);
    },
  },
];
