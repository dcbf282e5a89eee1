import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config';

/** Fail fast while Redis is away: no offline queue, one retry, a short command timeout; reconnect in the background. */
function redisOptions(config: Config): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    autoResubscribe: false,
  };
}

/** One command connection (cache, rate limits) and one subscriber connection (invalidations) per process. */
export interface RedisConnections {
  client: Redis;
  subscriber: Redis;
  close(): Promise<void>;
}

export function connectRedis(config: Config): RedisConnections | undefined {
  if (!config.REDIS_URL) return undefined;
  const client = new Redis(config.REDIS_URL, redisOptions(config));
  const subscriber = new Redis(config.REDIS_URL, redisOptions(config));
  return {
    client,
    subscriber,
    async close() {
      subscriber.disconnect();
      await client.quit().catch(() => undefined);
    },
  };
}

/**
 * Runs `subscribe` each time the subscriber connection becomes ready: it does not resubscribe by itself. A subscribe
 * that fails (on a busy process its reply can come after the command timeout) would leave this process deaf to the
 * others until the next outage, so the connection is dropped instead, the retry strategy reconnects it, and every
 * listener subscribes again.
 */
export function subscribeOnEveryConnect(
  subscriber: Redis,
  subscribe: () => Promise<unknown>,
  outcome: { subscribed(): void; failed(error: unknown): void },
): void {
  subscriber.on('ready', () => {
    subscribe().then(
      () => {
        outcome.subscribed();
      },
      (error: unknown) => {
        outcome.failed(error);
        subscriber.disconnect(true);
      },
    );
  });
}
