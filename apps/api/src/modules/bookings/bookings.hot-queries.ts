import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import { DEFAULT_BOOKING_REQUEST_TTL_MINUTES } from '../../config/config';
import { requestsSince } from '../availability/availability.service';
import * as bookings from './bookings.repository';

/** A booking from the middle of the table: its mentee and its mentor's user. */
async function sampleBooking(db: Kysely<Database>) {
  const { rows } = await sql<{ mentee_id: number; mentor_user_id: number }>`
    SELECT b.mentee_id, m.user_id AS mentor_user_id FROM bookings b JOIN mentors m ON m.id = b.mentor_id
    ORDER BY b.id OFFSET (SELECT count(*) / 2 FROM bookings) LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no booking: seed the database first');
  return rows[0];
}

export const bookingHotQueries: HotQuery<Database>[] = [
  {
    name: 'GET /api/me/bookings (as mentee)',
    build: async (db) =>
      bookings.pageQuery(db, (await sampleBooking(db)).mentee_id, 'mentee', undefined, undefined, 20),
  },
  {
    // A write, every minute in every API process; EXPLAIN ANALYZE runs it in a transaction it rolls back.
    name: 'Booking request expiry sweep (every minute)',
    build: (db) => {
      const now = Date.now();
      return bookings.staleRequestsExpiry(
        db,
        requestsSince(now, DEFAULT_BOOKING_REQUEST_TTL_MINUTES),
        new Date(now),
      );
    },
  },
  {
    name: 'GET /api/me/bookings (as mentor)',
    build: async (db) =>
      bookings.pageQuery(db, (await sampleBooking(db)).mentor_user_id, 'mentor', undefined, undefined, 20),
  },
];
