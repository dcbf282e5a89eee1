import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// bookings.meeting_room names the video room MentorHub generates for a booking whose mentor has no room of their
// own: random (gen_random_uuid), so it cannot be guessed from the booking id, and stored, so it stays the same for
// the booking's whole life whatever secrets are rotated. Existing bookings get one each when the column is added.
// calendar_feeds holds one personal calendar feed secret per user, only as its SHA-256: the secret is the feed's
// credential and is shown once, when created or rotated.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bookings ADD COLUMN meeting_room uuid NOT NULL DEFAULT gen_random_uuid()`,
    `CREATE TABLE calendar_feeds (
       user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
       secret_hash bytea NOT NULL UNIQUE,
       issued_at timestamptz(3) NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`DROP TABLE calendar_feeds`, `ALTER TABLE bookings DROP COLUMN meeting_room`]);
}
