import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors/app-error';
import type { ReadContext } from './cached-reply';

const WINDOW_SECONDS = 60;

/**
 * Counts one read against its client's per-minute budget of expensive reads, those that reach the database
 * whatever the cache holds or that a cache rarely answers (free-text searches, availability ranges, calendar
 * feeds): 429 beyond it. Cached reads charge only their misses (see `CachedRead.expensive`).
 */
export async function chargeExpensiveRead(app: FastifyInstance, clientAddress: string): Promise<void> {
  const result = await app.rateLimiter.hit(
    `reads:ip:${clientAddress}`,
    app.config.EXPENSIVE_READS_PER_MINUTE,
    WINDOW_SECONDS,
  );
  if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
}

/** A preHandler charging every request of an uncached route as an expensive read. */
export function limitExpensiveReads(app: FastifyInstance) {
  return (request: FastifyRequest): Promise<void> => chargeExpensiveRead(app, request.ip);
}

/** The read context of a request: the app's services, and the request's client to charge expensive misses to. */
export function readContextOf(request: FastifyRequest): ReadContext {
  const app = request.server;
  const { db, cache } = app.services;
  return { db, cache, chargeExpensiveRead: () => chargeExpensiveRead(app, request.ip) };
}

/** Free-text searches: `q` set. */
export const hasFreeText = (query: { q?: string | undefined }): boolean => Boolean(query.q);
