import type { Database } from '@mentorhub/db';
import { sql } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import * as users from './users.repository';

export const userHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/users/:id',
    build: async (db) => {
      const { rows } = await sql<{ id: number }>`SELECT max(id) / 2 AS id FROM users`.execute(db);
      return users.publicProfileQuery(db, rows[0]?.id ?? 1);
    },
  },
];
