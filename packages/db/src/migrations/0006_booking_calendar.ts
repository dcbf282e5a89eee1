import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// What calendar invites need from a booking. sequence is the iCalendar SEQUENCE of the booking's event: every
// change of its status or time increments it, so a calendar applies the newest invite and ignores older ones.
// mentors.meeting_url is a mentor's own video room, used for all their sessions; without one, each booking gets a
// room of its own.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bookings ADD COLUMN sequence integer NOT NULL DEFAULT 0`,
    `ALTER TABLE mentors ADD COLUMN meeting_url text
       CHECK (meeting_url IS NULL OR (meeting_url ~ '^https://' AND length(meeting_url) <= 500))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE mentors DROP COLUMN meeting_url`,
    `ALTER TABLE bookings DROP COLUMN sequence`,
  ]);
}
