import type { ChangePasswordBody, LoginBody, RegisterBody, SessionUser } from '@mentorhub/contracts';
import type { ServiceContext } from '../../infra/context';
import { assertPasswordNotGuessable } from '../../infra/auth/password-strength';
import { hashPassword, verifyPassword } from '../../infra/auth/passwords';
import type { RateLimiter } from '../../infra/auth/rate-limiter';
import type { SessionLifetime, SessionPrincipal } from '../../infra/auth/session';
import { hashSessionToken, newSessionToken } from '../../infra/auth/session-token';
import { AppError, invalidField, notFound, RateLimitedError } from '../../infra/errors/app-error';
import type { LiveEvents } from '../live/live-events';
import { mediaUrl } from '../media/media.urls';
import * as auth from './auth.repository';

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** What starting a session needs: how long it may live, and the clock. */
export interface SessionStartContext extends ServiceContext {
  sessionLifetime: SessionLifetime;
}

export interface AuthContext extends SessionStartContext {
  rateLimiter: RateLimiter;
  /** Closes the live sockets of sessions this module revokes. */
  live: LiveEvents;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;
const FAILURES_PER_ACCOUNT = 5;
const ATTEMPTS_PER_IP = 30;

async function startSession(ctx: SessionStartContext, userId: number, client: ClientInfo): Promise<string> {
  const token = newSessionToken();
  const now = ctx.sessionLifetime.now();
  await auth.insertSession(ctx.db, {
    userId,
    tokenHash: hashSessionToken(token),
    startedAt: new Date(now),
    expiresAt: new Date(now + ctx.sessionLifetime.maxMs),
    userAgent: client.userAgent?.slice(0, 300) ?? null,
    ip: client.ip,
  });
  return token;
}

export async function sessionUser(ctx: ServiceContext, userId: number): Promise<SessionUser> {
  const row = await auth.findSessionUser(ctx.db, userId);
  if (!row) throw notFound('User');
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    timezone: row.timezone,
    avatarUrl: mediaUrl(row.avatar_media_id),
    mentorId: row.mentor_id,
  };
}

/** Creates the account and signs it in. The unique email index decides a race between two sign-ups. */
export async function register(ctx: SessionStartContext, body: RegisterBody, client: ClientInfo) {
  assertPasswordNotGuessable(body.password, 'body.password', [body.email, body.name]);
  const passwordHash = await hashPassword(body.password);
  const created = await auth.insertUser(ctx.db, {
    email: body.email,
    passwordHash,
    name: body.name,
    timezone: body.timezone ?? 'UTC',
  });
  if (!created)
    throw new AppError('CONFLICT', 'An account with this email already exists', [
      { path: 'body.email', message: 'is taken' },
    ]);
  const token = await startSession(ctx, created.id, client);
  return { token, user: await sessionUser(ctx, created.id) };
}

/**
 * Checks a password under a per-account failure limit: a locked key answers 429 even for the right password,
 * a wrong one counts a failure, a right one clears the count.
 */
async function verifyWithFailureLimit(
  ctx: AuthContext,
  limitKey: string,
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  const failures = await ctx.rateLimiter.peek(limitKey);
  if (failures.count >= FAILURES_PER_ACCOUNT) throw new RateLimitedError(failures.retryAfterSeconds);
  const valid = await verifyPassword(storedHash, password);
  if (valid) await ctx.rateLimiter.reset(limitKey);
  else await ctx.rateLimiter.hit(limitKey, FAILURES_PER_ACCOUNT, LOGIN_WINDOW_SECONDS);
  return valid;
}

/**
 * Signs in with a new session (rotated: the one the browser had, if any, is revoked). An unknown email and a
 * wrong password get the same answer in the same time. Attempts are limited per address; failures per account,
 * and a locked account stays locked even for the right password until its window ends.
 */
export async function login(
  ctx: AuthContext,
  body: LoginBody,
  client: ClientInfo,
  previous: SessionPrincipal | null,
) {
  const byIp = await ctx.rateLimiter.hit(`login:ip:${client.ip}`, ATTEMPTS_PER_IP, LOGIN_WINDOW_SECONDS);
  if (!byIp.allowed) throw new RateLimitedError(byIp.retryAfterSeconds);
  const credentials = await auth.findCredentialsByEmail(ctx.db, body.email);
  const valid = await verifyWithFailureLimit(
    ctx,
    `login:account:${body.email}`,
    credentials?.password_hash ?? null,
    body.password,
  );
  if (!valid || !credentials) throw new AppError('UNAUTHENTICATED', 'Email or password is incorrect');
  if (previous) await endSession(ctx, previous);
  const token = await startSession(ctx, credentials.id, client);
  return { token, user: await sessionUser(ctx, credentials.id) };
}

/**
 * Changes the password after checking the current one, then signs out every session of the account (a stolen
 * cookie dies with the old password) and starts a fresh one for this browser. Wrong current passwords count
 * against the same per-account limit as failed logins.
 */
export async function changePassword(
  ctx: AuthContext,
  principal: SessionPrincipal,
  body: ChangePasswordBody,
  client: ClientInfo,
) {
  assertPasswordNotGuessable(body.newPassword, 'body.newPassword');
  const stored = await auth.findPasswordHash(ctx.db, principal.userId);
  const valid = await verifyWithFailureLimit(
    ctx,
    `password:account:${principal.userId}`,
    stored?.password_hash ?? null,
    body.currentPassword,
  );
  if (!valid) throw invalidField('body.currentPassword', 'is incorrect');
  const passwordHash = await hashPassword(body.newPassword);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    await auth.updatePasswordHash(trx, principal.userId, passwordHash);
    return auth.revokeAllSessions(trx, principal.userId);
  });
  ctx.live.endSessions(revoked);
  const token = await startSession(ctx, principal.userId, client);
  return { token, user: await sessionUser(ctx, principal.userId) };
}

export async function logout(ctx: AuthContext, principal: SessionPrincipal): Promise<void> {
  await endSession(ctx, principal);
}

async function endSession(ctx: AuthContext, principal: SessionPrincipal): Promise<void> {
  await auth.revokeSession(ctx.db, principal.sessionId);
  ctx.live.endSessions([principal.sessionId]);
}
