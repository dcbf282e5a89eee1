import type { Database } from '@mentorhub/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { AppError } from '../errors/app-error';
import { hashSessionToken } from './session-token';

export const SESSION_DAYS = 30;

export interface SessionPrincipal {
  sessionId: number;
  userId: number;
  role: 'mentee' | 'mentor' | 'admin';
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
}

/** `__Host-` pins the cookie to this exact origin over HTTPS; plain HTTP (local development) cannot use it. */
export function sessionCookie(secure: boolean): SessionCookie {
  return { name: secure ? '__Host-mh_session' : 'mh_session', secure };
}

export function setSessionCookie(reply: FastifyReply, cookie: SessionCookie, token: string): void {
  reply.setCookie(cookie.name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: cookie.secure,
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(reply: FastifyReply, cookie: SessionCookie): void {
  reply.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}

async function lookup(db: Kysely<Database>, token: string): Promise<SessionPrincipal | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id as sessionId', 'u.id as userId', 'u.role', 's.expires_at as expiresAt'])
    .where('s.token_hash', '=', hashSessionToken(token))
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .where('u.is_active', '=', true)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Cookie sessions plus CSRF protection: a state-changing request that carries the session cookie must come
 * from an allowed origin (Origin, else Referer), so another site cannot make a signed-in browser write.
 */
export function registerSessions(
  app: FastifyInstance,
  cookie: SessionCookie,
  allowedOrigins: readonly string[],
): void {
  const looked = new WeakMap<FastifyRequest, Promise<SessionPrincipal | null>>();
  app.decorateRequest('principal', function (this: FastifyRequest) {
    let principal = looked.get(this);
    if (!principal) {
      const token = this.cookies[cookie.name];
      principal = !token || token.length > 100 ? Promise.resolve(null) : lookup(app.db, token);
      looked.set(this, principal);
    }
    return principal;
  });

  app.addHook('onRequest', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || !request.cookies[cookie.name]) return;
    requireAllowedOrigin(request, allowedOrigins);
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
