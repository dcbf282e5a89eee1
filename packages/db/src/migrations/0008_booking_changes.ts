import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Rescheduling and withdrawal.
//
// A proposal to move a session lives on its booking (proposed_starts_at, proposed_ends_at, proposed_by): a booking
// has at most one open proposal by construction, and the proposal is closed by clearing the three columns.
//
// The proposed time is held by the same exclusion constraint that holds booked times: bookings_no_overlap now
// compares, per mentor, the multirange of each live booking's own time and, while a proposal is open, its proposed
// time. So no other booking or proposal can take a proposed time, and accepting (moving starts_at/ends_at onto
// the proposed time and clearing the proposal, one UPDATE) can never collide: the booking held both times until
// then, and releases the old one in the same statement. Declining or withdrawing clears the proposal and so frees
// its time. A booking's own two times may overlap (moving a session by half an hour): a constraint never compares
// a row with itself.
//
// 'withdrawn' is a request its mentee took back before the mentor answered.

const statusesWithout = `'requested', 'confirmed', 'declined', 'expired', 'completed', 'cancelled', 'no_show'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`,
    `ALTER TABLE bookings ADD CONSTRAINT bookings_status_check
       CHECK (status IN (${statusesWithout}, 'withdrawn'))`,
    `ALTER TABLE bookings
       ADD COLUMN proposed_starts_at timestamptz(3),
       ADD COLUMN proposed_ends_at timestamptz(3),
       ADD COLUMN proposed_by integer REFERENCES users (id) ON DELETE RESTRICT,
       ADD CONSTRAINT bookings_proposal_check CHECK (
         (proposed_starts_at IS NULL AND proposed_ends_at IS NULL AND proposed_by IS NULL)
         OR (proposed_starts_at IS NOT NULL AND proposed_by IS NOT NULL AND proposed_ends_at > proposed_starts_at))`,
    `ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`,
    `ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
       mentor_id WITH =,
       (CASE WHEN proposed_starts_at IS NULL
             THEN tstzmultirange(tstzrange(starts_at, ends_at, '[)'))
             ELSE tstzmultirange(tstzrange(starts_at, ends_at, '[)'),
                                 tstzrange(proposed_starts_at, proposed_ends_at, '[)'))
        END) WITH &&
     ) WHERE (status IN ('requested', 'confirmed'))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap`,
    `ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
       mentor_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
     ) WHERE (status IN ('requested', 'confirmed'))`,
    `ALTER TABLE bookings DROP CONSTRAINT bookings_proposal_check`,
    `ALTER TABLE bookings DROP COLUMN proposed_by, DROP COLUMN proposed_ends_at, DROP COLUMN proposed_starts_at`,
    // Without the status, a withdrawn request reads as what it is closest to: a request that lapsed unanswered.
    `UPDATE bookings SET status = 'expired' WHERE status = 'withdrawn'`,
    `ALTER TABLE bookings DROP CONSTRAINT bookings_status_check`,
    `ALTER TABLE bookings ADD CONSTRAINT bookings_status_check CHECK (status IN (${statusesWithout}))`,
  ]);
}
