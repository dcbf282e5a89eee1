import { Redis } from 'ioredis';

/**
 * The Redis server for tests that need one (REDIS_URL). Without it they are skipped with a message; in CI a
 * configured but unreachable Redis fails the run instead of skipping.
 */
export async function redisUrlForTests(): Promise<string | undefined> {
  const url = process.env.REDIS_URL;
  if (!url) {
    console.warn('Skipping Redis tests: REDIS_URL is not set (they run in CI with real Redis).');
    return undefined;
  }
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
    return url;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`CI requires Redis at ${url}`, { cause: error });
    console.warn(`Skipping Redis tests: no Redis answers at ${url}.`);
    return undefined;
  } finally {
    probe.disconnect();
  }
}

export { eventually } from '../../../../ops/cluster/local-servers.mjs';
