import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Reports, moderation cases and the audit log.
// users.suspended_until: a suspension is in force while it is later than now (for good: the year 9999); nothing
// has to run when a period ends, because every check compares it with the current time.
// A report is one user's complaint about one item (unique per reporter and item, so a repeated report counts
// once); the reports of one item wait in its one open case (the partial unique index), which an admin decides.
// audit_log is append-only: a trigger refuses every UPDATE, DELETE and TRUNCATE, whoever sends it. Its rows name
// users by id without a foreign key, so deleting an account can never be blocked by, or erase, its history.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE users ADD COLUMN suspended_until timestamptz(3)`,
    `CREATE TABLE moderation_cases (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      item_kind text NOT NULL,
      item_id integer NOT NULL,
      owner_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      outcome text CHECK (outcome IN ('dismissed', 'hidden', 'warned', 'suspended', 'reinstated')),
      opened_at timestamptz(3) NOT NULL DEFAULT now(),
      decided_at timestamptz(3),
      CHECK ((status = 'open') = (outcome IS NULL))
    )`,
    `CREATE UNIQUE INDEX moderation_cases_open_item_idx ON moderation_cases (item_kind, item_id)
      WHERE status = 'open'`,
    `CREATE INDEX moderation_cases_queue_idx ON moderation_cases (opened_at, id) WHERE status = 'open'`,
    `CREATE TABLE reports (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id integer NOT NULL REFERENCES moderation_cases (id) ON DELETE CASCADE,
      reporter_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      item_kind text NOT NULL,
      item_id integer NOT NULL,
      reason text NOT NULL,
      details text NOT NULL DEFAULT '' CHECK (length(details) <= 1000),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      UNIQUE (reporter_id, item_kind, item_id)
    )`,
    `CREATE INDEX reports_case_idx ON reports (case_id)`,
    `CREATE INDEX reports_reporter_created_idx ON reports (reporter_id, created_at DESC, id DESC)`,
    `CREATE TABLE audit_log (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      actor_id integer NOT NULL,
      action text NOT NULL,
      subject_kind text NOT NULL,
      subject_id integer NOT NULL,
      reason text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz(3) NOT NULL DEFAULT now()
    )`,
    `CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC)`,
    `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
    $$`,
    `CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `DROP TABLE audit_log`,
    `DROP FUNCTION audit_log_append_only()`,
    `DROP TABLE reports`,
    `DROP TABLE moderation_cases`,
    `ALTER TABLE users DROP COLUMN suspended_until`,
  ]);
}
