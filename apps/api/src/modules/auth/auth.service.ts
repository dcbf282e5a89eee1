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

/** Sign-up and sign-in limits, from the configuration. */
export interface AuthLimits {
  signupsPerHour: number;
  loginAttemptsPerAddress: number;
  loginFailuresPerAccountAndAddress: number;
  loginAttemptsPerAccount: number;
}

export interface AuthContext extends SessionStartContext {
  rateLimiter: RateLimiter;
  limits: AuthLimits;
  /** Closes the live sockets of sessions this module revokes. */
  live: LiveEvents;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;
const SIGNUP_WINDOW_SECONDS = 60 * 60;
/** Wrong current passwords per signed-in account before password changes are refused for the window. */
const PASSWORD_CHANGE_FAILURES = 5;

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

/** Counts one event first and refuses it beyond the limit, so concurrent requests cannot all slip under it. */
async function spend(ctx: AuthContext, key: string, limit: number, windowSeconds: number): Promise<void> {
  const result = await ctx.rateLimiter.hit(key, limit, windowSeconds);
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
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

/**
 * Creates the account and signs it in, the user and its first session in one transaction: an interrupted
 * sign-up leaves nothing behind, so the email can sign up again. The unique email index decides a race between
 * two sign-ups. Limited per client address.
 */
export async function register(ctx: AuthContext, body: RegisterBody, client: ClientInfo) {
  assertPasswordNotGuessable(body.password, 'body.password', [body.email, body.name]);
  await spend(ctx, `signup:ip:${client.ip}`, ctx.limits.signupsPerHour, SIGNUP_WINDOW_SECONDS);
  const passwordHash = await hashPassword(body.password);
  const created = await ctx.db.transaction().execute(async (trx) => {
    const user = await auth.insertUser(trx, {
      email: body.email,
      passwordHash,
      name: body.name,
      timezone: body.timezone ?? 'UTC',
    });
    return user && { userId: user.id, token: await startSession({ ...ctx, db: trx }, user.id, client) };
  });
  if (!created)
    throw new AppError('CONFLICT', 'An account with this email already exists', [
      { path: 'body.email', message: 'is taken' },
    ]);
  return { token: created.token, user: await sessionUser(ctx, created.userId) };
}

/**
 * Checks a password after counting it as a failure (increment first, check after: concurrent guesses each take
 * a count, and those beyond the limit are refused unchecked); the right password clears the count.
 */
async function verifyUnderLimit(
  ctx: AuthContext,
  limitKey: string,
  limit: number,
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  await spend(ctx, limitKey, limit, LOGIN_WINDOW_SECONDS);
  const valid = await verifyPassword(storedHash, password);
  if (valid) await ctx.rateLimiter.reset(limitKey);
  return valid;
}

/**
 * Whether this address may try a password on the account. Failures are counted per account and address, so a
 * stranger's guesses lock only the stranger's address out. Attempts from every address together meet the
 * account's own, much higher ceiling; beyond it only addresses the account has signed in from before may try, so
 * a distributed attack cannot lock the owner out either.
 */
async function checkAccountCeiling(
  ctx: AuthContext,
  email: string,
  userId: number | undefined,
  client: ClientInfo,
): Promise<void> {
  const attempts = await ctx.rateLimiter.hit(
    `login:account:${email}`,
    ctx.limits.loginAttemptsPerAccount,
    LOGIN_WINDOW_SECONDS,
  );
  if (attempts.allowed) return;
  if (userId !== undefined && (await auth.hasSessionFromAddress(ctx.db, userId, client.ip))) return;
  throw new RateLimitedError(attempts.retryAfterSeconds);
}

/**
 * Signs in with a new session (rotated: the one the browser had, if any, is revoked). An unknown email and a
 * wrong password get the same answer in the same time. Attempts are limited per address and, with a ceiling
 * that known addresses pass, per account; failures per account and address (see checkAccountCeiling).
 */
export async function login(
  ctx: AuthContext,
  body: LoginBody,
  client: ClientInfo,
  previous: SessionPrincipal | null,
) {
  await spend(ctx, `login:ip:${client.ip}`, ctx.limits.loginAttemptsPerAddress, LOGIN_WINDOW_SECONDS);
  const credentials = await auth.findCredentialsByEmail(ctx.db, body.email);
  await checkAccountCeiling(ctx, body.email, credentials?.id, client);
  const valid = await verifyUnderLimit(
    ctx,
    `login:account:${body.email}:ip:${client.ip}`,
    ctx.limits.loginFailuresPerAccountAndAddress,
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
  const valid = await verifyUnderLimit(
    ctx,
    `password:account:${principal.userId}`,
    PASSWORD_CHANGE_FAILURES,
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
