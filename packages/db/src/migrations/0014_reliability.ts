import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Reliability: strikes for no-shows and late cancellations, disputes of no-shows, and the pause they lead to
// (users.paused_until, kept in the transaction that gives or voids a strike). Mentor responsiveness is stored on
// the mentor so the directory can filter and sort on it: bookings.answered_at (by the app's clock) feeds it, and
// mentors.inactive_since hides a mentor who left requests to expire. Bookings answered before this migration have
// no answered_at: they count as answered by their status, but not towards the median.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE bookings
       ADD COLUMN answered_at timestamptz(3),
       ADD COLUMN absent_user_id integer REFERENCES users (id) ON DELETE SET NULL`,
    `ALTER TABLE users ADD COLUMN paused_until timestamptz(3)`,
    `ALTER TABLE mentors
       ADD COLUMN response_rate smallint NOT NULL DEFAULT 0 CHECK (response_rate BETWEEN 0 AND 100),
       ADD COLUMN response_requests integer NOT NULL DEFAULT 0,
       ADD COLUMN response_median_minutes integer,
       ADD COLUMN availability_changed_at timestamptz(3),
       ADD COLUMN inactive_since timestamptz(3)`,
    `CREATE INDEX mentors_response_idx ON mentors (response_rate DESC, id DESC)
       WHERE status = 'approved' AND is_active`,
    `CREATE TABLE reliability_strikes (
       id serial PRIMARY KEY,
       user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       booking_id integer NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
       kind text NOT NULL CHECK (kind IN ('no_show', 'late_cancel')),
       given_at timestamptz(3) NOT NULL,
       voided_at timestamptz(3),
       UNIQUE (booking_id, user_id)
     )`,
    `CREATE INDEX reliability_strikes_user_idx ON reliability_strikes (user_id, given_at DESC)`,
    `CREATE TABLE no_show_disputes (
       id serial PRIMARY KEY,
       booking_id integer NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
       strike_id integer NOT NULL REFERENCES reliability_strikes (id) ON DELETE CASCADE,
       user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
       reason text NOT NULL,
       status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'voided')),
       created_at timestamptz(3) NOT NULL,
       decided_by integer REFERENCES users (id) ON DELETE SET NULL,
       decided_at timestamptz(3),
       decision_reason text,
       UNIQUE (booking_id, user_id)
     )`,
    `CREATE INDEX no_show_disputes_open_idx ON no_show_disputes (id) WHERE status = 'open'`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TABLE no_show_disputes`,
    `DROP TABLE reliability_strikes`,
    `ALTER TABLE mentors
       DROP COLUMN response_rate, DROP COLUMN response_requests, DROP COLUMN response_median_minutes,
       DROP COLUMN availability_changed_at, DROP COLUMN inactive_since`,
    `ALTER TABLE users DROP COLUMN paused_until`,
    `ALTER TABLE bookings DROP COLUMN answered_at, DROP COLUMN absent_user_id`,
  ]);
}
