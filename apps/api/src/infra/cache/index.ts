import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config';
import type { RedisConnections } from '../redis';
import { MemoryStore } from './memory-store';
import { ResponseCache, type CacheObserver, type LoadRouting } from './response-cache';

export type { CachePolicy, CacheEntry } from './cache-entry';
export type { CacheObserver, CacheResult, CacheStatus, LoadedResponse, LoadRouting } from './response-cache';
export { CACHE_STATUSES } from './response-cache';
export { ResponseCache } from './response-cache';

export function createResponseCache(
  config: Config,
  logger: FastifyBaseLogger,
  observer: CacheObserver,
  redis: RedisConnections | undefined,
  loads?: LoadRouting,
): ResponseCache {
  if (!config.CACHE_ENABLED) return new ResponseCache(undefined, undefined, observer, logger, loads);
  const memory = config.CACHE_L1_ENABLED
    ? new MemoryStore({
        maxEntries: config.CACHE_L1_MAX_ENTRIES,
        maxBytes: config.CACHE_L1_MAX_MB * 1024 * 1024,
      })
    : undefined;
  const shared = redis && {
    client: redis.client,
    subscriber: redis.subscriber,
    prefix: config.CACHE_PREFIX,
    ackTimeoutMs: config.CACHE_ACK_TIMEOUT_MS,
  };
  return new ResponseCache(memory, shared, observer, logger, loads);
}
