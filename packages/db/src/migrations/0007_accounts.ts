import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// Account verification, recovery and email change. A user whose email_verified_at is null signed up but has not
// yet opened the link mailed to them: they have no password and cannot sign in. Accounts that existed before this
// step were created with a password and count as verified.
// account_tokens holds the links mailed for each purpose: only the SHA-256 of the random token is stored, each
// expires and is spent once (used_at), and an email change carries the address it confirms.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    `ALTER TABLE users ADD COLUMN email_verified_at timestamptz(3)`,
    `UPDATE users SET email_verified_at = created_at`,
    `CREATE TABLE account_tokens (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
      token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
      new_email text CHECK ((purpose = 'change_email') = (new_email IS NOT NULL)
                            AND new_email = lower(new_email) AND length(new_email) <= 254),
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      expires_at timestamptz(3) NOT NULL,
      used_at timestamptz(3)
    )`,
    `CREATE INDEX account_tokens_user_id_idx ON account_tokens (user_id, purpose)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [`DROP TABLE account_tokens`, `ALTER TABLE users DROP COLUMN email_verified_at`]);
}
