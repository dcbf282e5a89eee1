// cache:flush — deletes every MentorHub key (CACHE_PREFIX) from Redis; the in-process tier empties on restart.
import pino from 'pino';
import { loadConfig } from '../config/config';
import { createResponseCache } from '../infra/cache/index';
import { connectRedis } from '../infra/redis';

const config = loadConfig();
if (!config.REDIS_URL) {
  console.log(
    'No REDIS_URL: the cache lives in each API process and empties when it restarts. Nothing to flush.',
  );
  process.exit(0);
}
const ignore = () => undefined;
const redis = connectRedis(config);
const cache = createResponseCache(
  config,
  pino({ level: 'error' }),
  { hit: ignore, miss: ignore, coalesced: ignore, error: ignore, invalidated: ignore },
  redis,
);
try {
  const deadline = Date.now() + 5000;
  while (!cache.tiersReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const deleted = await cache.flush();
  console.log(
    `Flushed ${deleted} keys under "${config.CACHE_PREFIX}" (other keys in this Redis are untouched).`,
  );
} catch (error) {
  console.error(`Cache flush failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await redis?.close();
}
