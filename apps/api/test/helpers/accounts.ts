import type { SessionUser } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export const ORIGIN = 'http://localhost:3000';
/** Every test account's password. */
export const PASSWORD = 'a long enough password';

export function sessionTokenOf(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((c) => c.name === 'mh_session');
  if (!cookie) throw new Error('no session cookie');
  return cookie.value;
}

let signUpCount = 0;
/** Sign-ups are limited per address: each test account signs up from an address of its own. */
const nextSignUpAddress = () => {
  signUpCount += 1;
  return `172.${16 + ((signUpCount >> 16) & 15)}.${(signUpCount >> 8) & 255}.${signUpCount & 255}`;
};

/**
 * The raw token of the newest link of this kind mailed to the account of `email`, read from the outbox row that
 * carries it to the mail (the real mail path has its own tests in account-mail.int.test.ts).
 */
export async function mailedToken(
  app: FastifyInstance,
  email: string,
  kind:
    | 'account.verify-email'
    | 'account.reset-password'
    | 'account.email-change-confirm' = 'account.verify-email',
): Promise<string> {
  const { rows } = await sql<{ token: string | null }>`
    SELECT o.payload->>'token' AS token FROM outbox o JOIN users u ON u.id = o.recipient_id
    WHERE u.email = ${email} AND o.kind = ${kind} ORDER BY o.id DESC LIMIT 1`.execute(app.db);
  const token = rows[0]?.token;
  if (!token) throw new Error(`no ${kind} link was mailed to ${email}`);
  return token;
}

/**
 * Signs up through the API as a browser would: the sign-up, then the mailed verification link with the chosen
 * password. Answers the verification's response (201 with the session cookie and the user).
 */
export async function registerAccount(
  app: FastifyInstance,
  account: { email: string; password?: string; name: string; timezone?: string },
  remoteAddress = nextSignUpAddress(),
) {
  const { password = PASSWORD, ...body } = account;
  const started = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: body,
    remoteAddress,
  });
  if (started.statusCode !== 202) throw new Error(`sign-up failed: ${started.body}`);
  const token = await mailedToken(app, body.email.trim().toLowerCase());
  return app.inject({
    method: 'POST',
    url: '/api/auth/verify-email',
    payload: { token, password },
    remoteAddress,
  });
}

/** Registers through the API (as a browser would) and, for an admin, grants the role directly in the database. */
export async function signUp(
  app: FastifyInstance,
  email: string,
  role: 'mentee' | 'admin' = 'mentee',
): Promise<{ token: string; userId: number }> {
  const response = await registerAccount(app, { email, name: email.split('@')[0] ?? 'User' });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.body}`);
  const userId = response.json<{ user: SessionUser }>().user.id;
  if (role === 'admin') await sql`UPDATE users SET role = 'admin' WHERE id = ${userId}`.execute(app.db);
  return { token: sessionTokenOf(response), userId };
}

/** A signed-up user who is an approved, listed mentor (set up in the database: the application flow has its own tests). */
export async function signUpMentor(
  app: FastifyInstance,
  email: string,
  profile: {
    timezone?: string;
    minNoticeMinutes?: number;
    bufferMinutes?: number;
    sessionMinutes?: number;
  } = {},
): Promise<{ token: string; userId: number; mentorId: number }> {
  const { token, userId } = await signUp(app, email);
  await sql`UPDATE users SET role = 'mentor' WHERE id = ${userId}`.execute(app.db);
  const { rows } = await sql<{ id: number }>`
    INSERT INTO mentors (user_id, headline, hourly_rate_cents, timezone, status,
                         min_notice_minutes, buffer_minutes, session_minutes)
    VALUES (${userId}, 'Mentor', 6000, ${profile.timezone ?? 'UTC'}, 'approved',
            ${profile.minNoticeMinutes ?? 0}, ${profile.bufferMinutes ?? 0}, ${profile.sessionMinutes ?? 60})
    RETURNING id`.execute(app.db);
  const mentorId = rows[0]?.id;
  if (mentorId === undefined) throw new Error('mentor insert returned no row');
  return { token, userId, mentorId };
}

/** A sign-in from the web app's origin, from `remoteAddress` (sign-in limits are per address). */
export function signIn(
  app: FastifyInstance,
  credentials: { email: string; password: string },
  remoteAddress: string,
  extra: { cookies?: Record<string, string>; headers?: Record<string, string> } = {},
) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: credentials,
    remoteAddress,
    cookies: extra.cookies ?? {},
    headers: { origin: ORIGIN, ...extra.headers },
  });
}

/** A signed-in, same-origin write. */
export function write(
  app: FastifyInstance,
  token: string,
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    cookies: { mh_session: token },
    headers: { origin: ORIGIN, ...headers },
    ...(payload ? { payload } : {}),
  });
}
