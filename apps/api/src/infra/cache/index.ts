import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../../config/config';
import { MemoryStore } from './memory-store';
import { ResponseCache, type CacheObserver } from './response-cache';

export type { CachePolicy, CacheEntry } from './cache-entry';
export type { CacheObserver, CacheResult, CacheStatus, LoadedResponse } from './response-cache';
export { ResponseCache } from './response-cache';

/** Fail fast while Redis is away: no offline queue, one retry, a short command timeout; reconnect in the background. */
export function redisOptions(config: Config): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    autoResubscribe: false,
  };
}

export function createResponseCache(
  config: Config,
  logger: FastifyBaseLogger,
  observer: CacheObserver,
): ResponseCache {
  if (!config.CACHE_ENABLED) return new ResponseCache(undefined, undefined, observer, logger);
  const memory = config.CACHE_L1_ENABLED
    ? new MemoryStore({
        maxEntries: config.CACHE_L1_MAX_ENTRIES,
        maxBytes: config.CACHE_L1_MAX_MB * 1024 * 1024,
      })
    : undefined;
  if (!config.REDIS_URL) return new ResponseCache(memory, undefined, observer, logger);

  const redis = {
    client: new Redis(config.REDIS_URL, redisOptions(config)),
    subscriber: new Redis(config.REDIS_URL, redisOptions(config)),
    prefix: config.CACHE_PREFIX,
    ackTimeoutMs: config.CACHE_ACK_TIMEOUT_MS,
  };
  return new ResponseCache(memory, redis, observer, logger);
}
