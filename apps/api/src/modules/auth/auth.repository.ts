import type { AccountTokenPurpose, Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';

/** Null password_hash: an account that has not been verified yet (no password), refused like a wrong password. */
export function findCredentialsByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash', 'suspended_until'])
    .where('email', '=', email)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

export function insertSession(
  db: Kysely<Database>,
  session: {
    userId: number;
    tokenHash: Buffer;
    startedAt: Date;
    expiresAt: Date;
    userAgent: string | null;
    ip: string | null;
  },
) {
  return db
    .insertInto('sessions')
    .values({
      user_id: session.userId,
      token_hash: session.tokenHash,
      last_seen_at: session.startedAt,
      expires_at: session.expiresAt,
      user_agent: session.userAgent,
      ip: session.ip,
    })
    .execute();
}

/** Whether the account has ever signed in (or signed up) from this address. */
export async function hasSessionFromAddress(db: Kysely<Database>, userId: number, ip: string) {
  const row = await db
    .selectFrom('sessions')
    .select('id')
    .where('user_id', '=', userId)
    .where('ip', '=', ip)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function revokeSession(db: Kysely<Database>, sessionId: number) {
  return db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).execute();
}

/** The signed-in user's own view (with their email), including their mentor id if approved. */
export function findSessionUser(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('mentors as m', (join) => join.onRef('m.user_id', '=', 'u.id'))
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.timezone', 'u.avatar_media_id', 'm.id as mentor_id'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

export function findPasswordHash(db: Kysely<Database>, userId: number) {
  return db.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirst();
}

export function updatePasswordHash(db: Kysely<Database>, userId: number, passwordHash: string) {
  return db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

/** Revokes every live session of the user and returns their ids. */
export async function revokeAllSessions(db: Kysely<Database>, userId: number): Promise<number[]> {
  const revoked = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return revoked.map((row) => row.id);
}

/**
 * The account an address belongs to, if any, and whether its owner has proven the inbox; locked, so the sweep of
 * expired sign-ups cannot delete it under a link being issued to it.
 */
export function lockAccountByEmail(trx: Transaction<Database>, email: string) {
  return trx
    .selectFrom('users')
    .select(['id', 'email_verified_at'])
    .where('email', '=', email)
    .where('is_active', '=', true)
    .forUpdate()
    .executeTakeFirst();
}

/** A new account without a password (it is chosen on the verification page); undefined if the email is taken. */
export function insertUnverifiedUser(
  db: Kysely<Database>,
  user: { email: string; name: string; timezone: string },
  now: Date,
) {
  return db
    .insertInto('users')
    .values({ email: user.email, name: user.name, timezone: user.timezone, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** A repeated sign-up of an unverified account names it afresh: the link completes the latest sign-up. */
export function updateUnverifiedProfile(
  db: Kysely<Database>,
  userId: number,
  profile: { name: string; timezone: string },
  now: Date,
) {
  return db
    .updateTable('users')
    .set({ name: profile.name, timezone: profile.timezone, updated_at: now })
    .where('id', '=', userId)
    .where('email_verified_at', 'is', null)
    .execute();
}

/** Sets the password of an account whose owner has just proven the inbox, which also verifies it. */
export function setPasswordOfProvenInbox(
  db: Kysely<Database>,
  userId: number,
  passwordHash: string,
  now: Date,
) {
  return db
    .updateTable('users')
    .set((eb) => ({
      password_hash: passwordHash,
      email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(now)),
      updated_at: now,
    }))
    .where('id', '=', userId)
    .execute();
}

export function updateEmail(db: Kysely<Database>, userId: number, email: string, now: Date) {
  return db
    .updateTable('users')
    .set({ email, email_verified_at: now, updated_at: now })
    .where('id', '=', userId)
    .execute();
}

/** Stores a link's token hash; the account's unused links of the same purpose stop working. */
export async function insertToken(
  db: Kysely<Database>,
  token: {
    userId: number;
    purpose: AccountTokenPurpose;
    tokenHash: Buffer;
    newEmail: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await discardTokens(db, token.userId, [token.purpose]);
  await db
    .insertInto('account_tokens')
    .values({
      user_id: token.userId,
      purpose: token.purpose,
      token_hash: token.tokenHash,
      new_email: token.newEmail,
      expires_at: token.expiresAt,
    })
    .execute();
}

/** Deletes the account's unused links of these purposes (used ones stay as a record). */
export async function discardTokens(
  db: Kysely<Database>,
  userId: number,
  purposes: readonly AccountTokenPurpose[],
): Promise<void> {
  await db
    .deleteFrom('account_tokens')
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

/** The account behind a link that still works, without spending it (to check a new password against it). */
export function findUsableToken(
  db: Kysely<Database>,
  purpose: AccountTokenPurpose,
  tokenHash: Buffer,
  now: Date,
) {
  return db
    .selectFrom('account_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.user_id', 'u.email', 'u.name'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.purpose', '=', purpose)
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', now)
    .where('u.is_active', '=', true)
    .executeTakeFirst();
}

/** Whether a mailed link still works (its mail is not worth sending otherwise). */
export async function isTokenUsable(db: Kysely<Database>, tokenHash: Buffer, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom('account_tokens')
    .select('id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Spends a link in one statement: of two concurrent uses exactly one gets the row back, the other nothing (as for
 * an unknown, expired or used link).
 */
export function consumeToken(
  db: Kysely<Database>,
  purpose: AccountTokenPurpose,
  tokenHash: Buffer,
  now: Date,
) {
  return db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
}

/**
 * Deletes the accounts never verified whose sign-up was last made before `signedUpBefore` and that hold no link
 * still working at `now` (a reset link proves the inbox too), with their links and undelivered mail. A repeated
 * sign-up touches the account's row, so one racing this statement keeps its account.
 */
export function deleteExpiredSignUps(db: Kysely<Database>, signedUpBefore: Date, now: Date) {
  return db
    .deleteFrom('users')
    .where('email_verified_at', 'is', null)
    .where('updated_at', '<', signedUpBefore)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('account_tokens as t')
            .select('t.id')
            .whereRef('t.user_id', '=', 'users.id')
            .where('t.used_at', 'is', null)
            .where('t.expires_at', '>', now),
        ),
      ),
    )
    .returning('id')
    .execute();
}
