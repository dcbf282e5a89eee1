import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Notification preferences, one row per user who changed anything (no row: every channel on, reminders a day and
// an hour before). opted_out lists the switched-off "<group>.<channel>" pairs, so a group added later starts on
// for everyone. Reminders themselves need no table: they are outbox rows that become due before each session.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `CREATE TABLE notification_preferences (
      user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      opted_out text[] NOT NULL DEFAULT '{}' CHECK (cardinality(opted_out) <= 50),
      reminder_offset_minutes integer[] NOT NULL
        CHECK (cardinality(reminder_offset_minutes) <= 10 AND 0 < ALL (reminder_offset_minutes)),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`DROP TABLE notification_preferences`]);
}
