import type { Database } from '@mentorhub/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../errors/app-error';
import { hashSecretToken } from './secret-token';
import { notSuspended } from './suspension';

const DAY_MS = 86_400_000;

/**
 * last_seen_at moves at most this often per session, so a busy signed-in client writes once an hour rather than
 * once a request; the idle timeout is exact to within this interval.
 */
export const LAST_SEEN_INTERVAL_MS = 60 * 60_000;

/** How long sessions live, and the clock they are judged by (tests move it instead of waiting). */
export interface SessionLifetime {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however active. */
  maxMs: number;
  now: () => number;
}

export function sessionLifetime(
  config: { SESSION_IDLE_DAYS: number; SESSION_MAX_DAYS: number },
  now: () => number = Date.now,
): SessionLifetime {
  return { idleMs: config.SESSION_IDLE_DAYS * DAY_MS, maxMs: config.SESSION_MAX_DAYS * DAY_MS, now };
}

export interface SessionPrincipal {
  sessionId: number;
  userId: number;
  role: 'mentee' | 'mentor' | 'admin';
  /** When the session ends unless it is used again: the earlier of the idle and the absolute deadline. */
  expiresAt: Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, looked up on first use (public GETs never pay for it). */
    principal(): Promise<SessionPrincipal | null>;
  }
}

export interface SessionCookie {
  name: string;
  secure: boolean;
  /** The absolute lifetime: the browser keeps the cookie no longer than the server honours it. */
  maxAgeSeconds: number;
}

/** `__Host-` pins the cookie to this exact origin over HTTPS; plain HTTP (local development) cannot use it. */
export function sessionCookie(secure: boolean, lifetime: SessionLifetime): SessionCookie {
  return {
    name: secure ? '__Host-mh_session' : 'mh_session',
    secure,
    maxAgeSeconds: Math.floor(lifetime.maxMs / 1000),
  };
}

export function setSessionCookie(reply: FastifyReply, cookie: SessionCookie, token: string): void {
  reply.setCookie(cookie.name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: cookie.secure,
    maxAge: cookie.maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, cookie: SessionCookie): void {
  reply.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}

/** Sessions that are neither revoked, past their absolute lifetime, idle too long, nor of a deactivated or suspended user. */
function liveSessions(db: Kysely<Database>, lifetime: SessionLifetime, now: number) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sessionId', 'u.id as userId', 'u.role', 's.expires_at', 's.last_seen_at'])
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date(now))
    .where('s.last_seen_at', '>', new Date(now - lifetime.idleMs))
    .where('u.is_active', '=', true)
    .where(notSuspended('u.suspended_until', new Date(now)));
}

function deadline(lifetime: SessionLifetime, row: { expires_at: Date; last_seen_at: Date }): Date {
  return new Date(Math.min(row.expires_at.getTime(), row.last_seen_at.getTime() + lifetime.idleMs));
}

/** The session of `token` if it is still live; using it moves its idle deadline (stored once per interval). */
async function lookup(
  db: Kysely<Database>,
  lifetime: SessionLifetime,
  token: string,
): Promise<SessionPrincipal | null> {
  const now = lifetime.now();
  const row = await liveSessions(db, lifetime, now)
    .where('s.token_hash', '=', hashSecretToken(token))
    .executeTakeFirst();
  if (!row) return null;
  if (now - row.last_seen_at.getTime() >= LAST_SEEN_INTERVAL_MS) {
    row.last_seen_at = new Date(now);
    await db
      .updateTable('sessions')
      .set({ last_seen_at: row.last_seen_at })
      .where('id', '=', row.sessionId)
      .where('last_seen_at', '<', row.last_seen_at)
      .execute();
  }
  return { sessionId: row.sessionId, userId: row.userId, role: row.role, expiresAt: deadline(lifetime, row) };
}

/** When session `sessionId` ends if unused from now on, or null if it already ended (for open live sockets). */
export async function sessionDeadline(
  db: Kysely<Database>,
  lifetime: SessionLifetime,
  sessionId: number,
): Promise<Date | null> {
  const row = await liveSessions(db, lifetime, lifetime.now())
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
  return row ? deadline(lifetime, row) : null;
}

/** Methods that change nothing, so another site making a browser send them gains nothing. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie sessions plus CSRF protection: a state-changing request that carries the session cookie must come
 * from an allowed origin (Origin, else Referer), so another site cannot make a signed-in browser write.
 */
export function registerSessions(
  app: FastifyInstance,
  cookie: SessionCookie,
  lifetime: SessionLifetime,
  allowedOrigins: readonly string[],
): void {
  const looked = new WeakMap<FastifyRequest, Promise<SessionPrincipal | null>>();
  app.decorateRequest('principal', function (this: FastifyRequest) {
    let principal = looked.get(this);
    if (!principal) {
      const token = this.cookies[cookie.name];
      principal = !token || token.length > 100 ? Promise.resolve(null) : lookup(app.db, lifetime, token);
      looked.set(this, principal);
    }
    return principal;
  });

  // A callback hook: reads (most requests) pass without a promise or a look at the cookies.
  app.addHook('onRequest', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || !request.cookies[cookie.name]) {
      done();
      return;
    }
    try {
      requireAllowedOrigin(request, allowedOrigins);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

/** A 403 unless the request comes from an allowed origin (its Origin, else its Referer). */
export function requireAllowedOrigin(request: FastifyRequest, allowedOrigins: readonly string[]): void {
  const origin = request.headers.origin ?? originOf(request.headers.referer);
  if (!origin || !allowedOrigins.includes(origin)) {
    throw new AppError(
      'FORBIDDEN',
      'Cross-site request refused: the Origin is not allowed for signed-in requests',
    );
  }
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The signed-in user, or a 401. */
export async function requirePrincipal(request: FastifyRequest): Promise<SessionPrincipal> {
  const principal = await request.principal();
  if (!principal) throw new AppError('UNAUTHENTICATED', 'Sign in to do this');
  return principal;
}

/** Marks a response as meant for its reader alone: neither a shared cache nor the browser may keep it. */
export function noStore(reply: FastifyReply): void {
  reply.header('cache-control', 'private, no-store');
}

/** The signed-in user, for a read of their own data (the response is marked `noStore`). */
export async function requirePrincipalNoStore(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SessionPrincipal> {
  const principal = await requirePrincipal(request);
  noStore(reply);
  return principal;
}
