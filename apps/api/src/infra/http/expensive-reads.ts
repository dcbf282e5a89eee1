import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitedError } from '../errors/app-error';

const WINDOW_SECONDS = 60;

/**
 * A preHandler counting the request against its client's per-minute budget of expensive reads, those a cache
 * rarely answers (free-text searches, availability ranges, GraphQL queries): 429 beyond it. `counts` picks the
 * requests that do (every one by default).
 */
export function limitExpensiveReads(
  app: FastifyInstance,
  counts: (request: FastifyRequest) => boolean = () => true,
) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!counts(request)) return;
    const result = await app.rateLimiter.hit(
      `reads:ip:${request.ip}`,
      app.config.EXPENSIVE_READS_PER_MINUTE,
      WINDOW_SECONDS,
    );
    if (!result.allowed) throw new RateLimitedError(result.retryAfterSeconds);
  };
}

/** Free-text searches: `q` set. */
export const hasFreeText = (request: FastifyRequest): boolean =>
  Boolean((request.query as { q?: string } | undefined)?.q);
