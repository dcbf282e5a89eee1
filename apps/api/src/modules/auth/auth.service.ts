import type {
  ChangePasswordBody,
  EmailChangeBody,
  EmailChangeConfirmBody,
  LoginBody,
  PasswordResetBody,
  PasswordResetConfirmBody,
  RegisterBody,
  SessionUser,
  VerifyEmailBody,
} from '@mentorhub/contracts';
import type { AccountTokenPurpose } from '@mentorhub/db';
import type { FastifyBaseLogger } from 'fastify';
import type { ServiceContext } from '../../infra/context';
import { isUniqueViolation } from '../../infra/db/pg-errors';
import { assertPasswordNotGuessable } from '../../infra/auth/password-strength';
import { hashPassword, verifyPassword } from '../../infra/auth/passwords';
import type { RateLimiter } from '../../infra/auth/rate-limiter';
import type { SessionLifetime, SessionPrincipal } from '../../infra/auth/session';
import { suspensionAt } from '../../infra/auth/suspension';
import { hashSecretToken, newSecretToken } from '../../infra/auth/secret-token';
import { AppError, invalidField, notFound, RateLimitedError } from '../../infra/errors/app-error';
import type { LiveEvents } from '../live/live-events';
import { mediaUrl } from '../media/media.urls';
import { insertMessage } from '../outbox/outbox.repository';
import { accountMailMessage } from './account-mail';
import { issueToken, tokenLifetimeMs } from './account-tokens';
import * as auth from './auth.repository';

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

/** What starting a session needs: how long it may live, and the clock. */
export interface SessionStartContext extends ServiceContext {
  sessionLifetime: SessionLifetime;
}

/** Sign-up, sign-in and account mail limits, from the configuration. */
export interface AuthLimits {
  signupsPerHour: number;
  passwordResetsPerHour: number;
  /** Account mails a stranger can cause (sign-up, reset, email change) per recipient address per hour. */
  accountMailsPerHour: number;
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
const HOURLY_WINDOW_SECONDS = 60 * 60;
/** Wrong current passwords per signed-in account before password changes are refused for the window. */
const PASSWORD_CHANGE_FAILURES = 5;

async function startSession(ctx: SessionStartContext, userId: number, client: ClientInfo): Promise<string> {
  const token = newSecretToken();
  const now = ctx.sessionLifetime.now();
  await auth.insertSession(ctx.db, {
    userId,
    tokenHash: hashSecretToken(token),
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
 * Whether another account mail may go to this address within the hour. Beyond the limit nothing is written or
 * mailed, but the caller's answer does not change: nobody can mail-bomb a stranger or learn anything from it.
 */
async function mayMail(ctx: AuthContext, email: string): Promise<boolean> {
  const result = await ctx.rateLimiter.hit(
    `account-mail:${email}`,
    ctx.limits.accountMailsPerHour,
    HOURLY_WINDOW_SECONDS,
  );
  return result.allowed;
}

/**
 * Starts a sign-up and answers the same whatever the address, so it never tells whether an email is registered:
 * a new address gets an account without a password and a verification link; an unverified one a fresh link
 * (older ones stop working); a verified one a notice that someone tried. The account, its link and its mail are
 * one transaction; the unique email index decides a race between two sign-ups. Limited per client address and
 * per recipient.
 */
export async function register(ctx: AuthContext, body: RegisterBody, client: ClientInfo): Promise<void> {
  await spend(ctx, `signup:ip:${client.ip}`, ctx.limits.signupsPerHour, HOURLY_WINDOW_SECONDS);
  if (!(await mayMail(ctx, body.email))) return;
  const profile = { name: body.name, timezone: body.timezone ?? 'UTC' };
  const now = ctx.sessionLifetime.now();
  await ctx.db.transaction().execute(async (trx) => {
    const created = await auth.insertUnverifiedUser(trx, { email: body.email, ...profile }, new Date(now));
    const account = created
      ? { id: created.id, email_verified_at: null }
      : await auth.lockAccountByEmail(trx, body.email);
    // A deactivated account, or one the sweep of expired sign-ups has just deleted: nothing to mail.
    if (!account) return;
    if (account.email_verified_at) {
      await insertMessage(trx, accountMailMessage('account.sign-up-attempt', account.id, {}));
      return;
    }
    if (!created) await auth.updateUnverifiedProfile(trx, account.id, profile, new Date(now));
    const token = await issueToken(trx, account.id, 'verify_email', now);
    await insertMessage(trx, accountMailMessage('account.verify-email', account.id, { token }));
  });
}

const unusableLink = () => invalidField('body.token', 'is invalid, expired or already used');

/**
 * The account a password link belongs to, after checking the new password against the rules (with the
 * account's own email and name as words to avoid). The link is not spent yet: a refused password keeps it.
 */
async function accountOfPasswordLink(
  ctx: AuthContext,
  purpose: AccountTokenPurpose,
  body: { token: string; password: string },
) {
  const tokenHash = hashSecretToken(body.token);
  const account = await auth.findUsableToken(ctx.db, purpose, tokenHash, new Date(ctx.sessionLifetime.now()));
  if (!account) throw unusableLink();
  assertPasswordNotGuessable(body.password, 'body.password', [account.email, account.name]);
  return { tokenHash, passwordHash: await hashPassword(body.password) };
}

/**
 * Completes a sign-up from the mailed link: sets the chosen password, marks the email verified and signs in. The
 * link is spent in the same transaction that starts the session, so of two concurrent uses one signs in.
 */
export async function verifyEmail(ctx: AuthContext, body: VerifyEmailBody, client: ClientInfo) {
  const { tokenHash, passwordHash } = await accountOfPasswordLink(ctx, 'verify_email', body);
  const now = ctx.sessionLifetime.now();
  const signedIn = await ctx.db.transaction().execute(async (trx) => {
    const spent = await auth.consumeToken(trx, 'verify_email', tokenHash, new Date(now));
    if (!spent) return undefined;
    await auth.setPasswordOfProvenInbox(trx, spent.user_id, passwordHash, new Date(now));
    await auth.discardTokens(trx, spent.user_id, ['verify_email', 'reset_password']);
    return { userId: spent.user_id, token: await startSession({ ...ctx, db: trx }, spent.user_id, client) };
  });
  if (!signedIn) throw unusableLink();
  return { token: signedIn.token, user: await sessionUser(ctx, signedIn.userId) };
}

/**
 * Mails a reset link if the address has an account (verified or not: the link proves the inbox), and answers the
 * same either way. Limited per client address and per recipient.
 */
export async function requestPasswordReset(
  ctx: AuthContext,
  body: PasswordResetBody,
  client: ClientInfo,
): Promise<void> {
  await spend(ctx, `password-reset:ip:${client.ip}`, ctx.limits.passwordResetsPerHour, HOURLY_WINDOW_SECONDS);
  if (!(await mayMail(ctx, body.email))) return;
  await ctx.db.transaction().execute(async (trx) => {
    const account = await auth.lockAccountByEmail(trx, body.email);
    if (!account) return;
    const token = await issueToken(trx, account.id, 'reset_password', ctx.sessionLifetime.now());
    await insertMessage(trx, accountMailMessage('account.reset-password', account.id, { token }));
  });
}

/**
 * Sets a new password from a reset link: verifies the email, spends the link and every other open verify or
 * reset link, signs out every session of the account (and closes their live sockets) and mails a notice. It does
 * not sign in: the user signs in with the new password.
 */
export async function confirmPasswordReset(ctx: AuthContext, body: PasswordResetConfirmBody): Promise<void> {
  const { tokenHash, passwordHash } = await accountOfPasswordLink(ctx, 'reset_password', body);
  const now = new Date(ctx.sessionLifetime.now());
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const spent = await auth.consumeToken(trx, 'reset_password', tokenHash, now);
    if (!spent) return undefined;
    await auth.setPasswordOfProvenInbox(trx, spent.user_id, passwordHash, now);
    await auth.discardTokens(trx, spent.user_id, ['verify_email', 'reset_password']);
    await insertMessage(trx, accountMailMessage('account.password-changed', spent.user_id, {}));
    return auth.revokeAllSessions(trx, spent.user_id);
  });
  if (!revoked) throw unusableLink();
  ctx.live.endSessions(revoked);
}

/**
 * Checks a signed-in account's current password before a change to it; wrong ones count against the same
 * per-account limit as failed logins.
 */
async function requireCurrentPassword(
  ctx: AuthContext,
  principal: SessionPrincipal,
  currentPassword: string,
): Promise<void> {
  const stored = await auth.findPasswordHash(ctx.db, principal.userId);
  const valid = await verifyUnderLimit(
    ctx,
    `password:account:${principal.userId}`,
    PASSWORD_CHANGE_FAILURES,
    stored?.password_hash ?? null,
    currentPassword,
  );
  if (!valid) throw invalidField('body.currentPassword', 'is incorrect');
}

/**
 * Starts an email change after checking the current password (wrong ones count against the password-change
 * limit): a confirmation link goes to the new address and a notice to the current one. The address changes only
 * when the link is opened, so only the new inbox's owner can complete it.
 */
export async function requestEmailChange(
  ctx: AuthContext,
  principal: SessionPrincipal,
  body: EmailChangeBody,
): Promise<void> {
  await requireCurrentPassword(ctx, principal, body.currentPassword);
  const { email } = await sessionUser(ctx, principal.userId);
  if (body.newEmail === email) throw invalidField('body.newEmail', 'is already your address');
  if (!(await mayMail(ctx, body.newEmail))) return;
  await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.sessionLifetime.now();
    const token = await issueToken(trx, principal.userId, 'change_email', now, body.newEmail);
    const { newEmail } = body;
    await insertMessage(
      trx,
      accountMailMessage('account.email-change-confirm', principal.userId, { token, newEmail }),
    );
    await insertMessage(
      trx,
      accountMailMessage('account.email-change-requested', principal.userId, { newEmail }),
    );
  });
}

/**
 * Switches the address from the link mailed to the new one. It needs no session: the link is bound to the account
 * that asked (with its password) and proves the new inbox, and it is often opened on another device. Reset links
 * mailed to the old address stop working. If another account took the address meanwhile, the unique index refuses
 * it and nothing changes (the link stays unspent).
 */
export async function confirmEmailChange(ctx: AuthContext, body: EmailChangeConfirmBody) {
  const now = new Date(ctx.sessionLifetime.now());
  try {
    const email = await ctx.db.transaction().execute(async (trx) => {
      const spent = await auth.consumeToken(trx, 'change_email', hashSecretToken(body.token), now);
      if (!spent?.new_email) return undefined;
      await auth.updateEmail(trx, spent.user_id, spent.new_email, now);
      await auth.discardTokens(trx, spent.user_id, ['reset_password', 'change_email']);
      return spent.new_email;
    });
    if (!email) throw unusableLink();
    return { email };
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_key'))
      throw new AppError('CONFLICT', 'Another account uses this email address now', [
        { path: 'body.token', message: 'confirms an address that is taken' },
      ]);
    throw error;
  }
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
 * Told only after the right password, so the answer reveals nothing to someone guessing: the account holder learns
 * why and until when.
 */
function refuseSuspended(suspendedUntil: Date | null, now: number): void {
  const suspension = suspensionAt(suspendedUntil, now);
  if (!suspension) return;
  throw new AppError(
    'ACCOUNT_SUSPENDED',
    suspension.until === null
      ? 'This account is suspended for good'
      : `This account is suspended until ${suspension.until}`,
  );
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
  refuseSuspended(credentials.suspended_until, ctx.sessionLifetime.now());
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
  await requireCurrentPassword(ctx, principal, body.currentPassword);
  const passwordHash = await hashPassword(body.newPassword);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    await auth.updatePasswordHash(trx, principal.userId, passwordHash);
    await insertMessage(trx, accountMailMessage('account.password-changed', principal.userId, {}));
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

/**
 * The periodic sweep: deletes the accounts never verified whose sign-up link has expired, so an address someone
 * signed up with but never proved is free again for its owner.
 */
export async function deleteExpiredSignUps(
  db: ServiceContext['db'],
  now: number,
  log: FastifyBaseLogger,
): Promise<void> {
  const signedUpBefore = new Date(now - tokenLifetimeMs('verify_email'));
  const deleted = await auth.deleteExpiredSignUps(db, signedUpBefore, new Date(now));
  if (deleted.length > 0) log.info({ deleted: deleted.length }, 'Deleted accounts never verified');
}
