import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';

export function findCredentialsByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'password_hash'])
    .where('email', '=', email)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

export function insertUser(
  db: Kysely<Database>,
  user: { email: string; passwordHash: string; name: string; timezone: string },
) {
  return db
    .insertInto('users')
    .values({ email: user.email, password_hash: user.passwordHash, name: user.name, timezone: user.timezone })
    .onConflict((conflict) => conflict.column('email').doNothing())
    .returning('id')
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
