import type { Database } from '@mentorhub/db';
import { sql } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import { slotInputsQuery } from './availability.service';
import { addDays } from './zoned-time';

export const availabilityHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/mentors/:id/availability',
    build: async (db) => {
      // The mentor with the most bookings, over the four weeks around their latest one.
      const { rows } = await sql<{ mentor_id: number; day: string }>`
        SELECT mentor_id, to_char(max(starts_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day
        FROM bookings GROUP BY mentor_id ORDER BY count(*) DESC LIMIT 1`.execute(db);
      const day = rows[0]?.day ?? new Date().toISOString().slice(0, 10);
      return slotInputsQuery(
        db,
        rows[0]?.mentor_id ?? 1,
        addDays(day, -14),
        addDays(day, 14),
        24 * 60,
        Date.now(),
      );
    },
  },
];
