import type { Redis } from 'ioredis';
import { parseEntry, serializeEntry, type CacheEntry } from './cache-entry';

// Every invalidation bumps a sequence number. A loader remembers the number it saw before reading the database
// and stores its result only if no invalidation happened meanwhile, so a slow read can never re-cache data that a
// concurrent write already invalidated.
const SET_IF_UNCHANGED = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

const INVALIDATE_TAGS = `
redis.call('INCR', KEYS[1])
local dropped = 0
for i = 2, #KEYS do
  for _, key in ipairs(redis.call('SMEMBERS', KEYS[i])) do dropped = dropped + redis.call('DEL', key) end
  redis.call('DEL', KEYS[i])
end
return dropped`;

interface ScriptedRedis extends Redis {
  cacheSetIfUnchanged(...args: (string | number)[]): Promise<number>;
  cacheInvalidateTags(...args: (string | number)[]): Promise<number>;
}

/** L2: entries shared by every API instance, tag sets for invalidation, all under one key prefix. */
export class RedisStore {
  private readonly redis: ScriptedRedis;
  private readonly sequenceKey: string;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand('cacheSetIfUnchanged', { lua: SET_IF_UNCHANGED });
    redis.defineCommand('cacheInvalidateTags', { lua: INVALIDATE_TAGS });
    this.redis = redis as ScriptedRedis;
    this.sequenceKey = `${prefix}seq`;
  }

  private entryKey(key: string): string {
    return `${this.prefix}e:${key}`;
  }

  private tagKey(tag: string): string {
    return `${this.prefix}t:${tag}`;
  }

  /** The entry (if any) and the invalidation sequence, in one round trip. */
  async get(key: string): Promise<{ entry: CacheEntry | undefined; sequence: string }> {
    const results = await this.redis.pipeline().get(this.entryKey(key)).get(this.sequenceKey).exec();
    if (!results) throw new Error('Redis pipeline returned nothing');
    for (const [error] of results) if (error) throw error;
    const [[, value], [, sequence]] = results as [[null, string | null], [null, string | null]];
    return { entry: value === null ? undefined : parseEntry(value), sequence: sequence ?? '0' };
  }

  /** Stores the entry unless an invalidation happened since `seenSequence`; true when stored. */
  async setIfUnchanged(key: string, entry: CacheEntry, seenSequence: string): Promise<boolean> {
    const ttl = Math.max(1, entry.staleUntil - Date.now());
    const tagKeys = entry.tags.map((tag) => this.tagKey(tag));
    const stored = await this.redis.cacheSetIfUnchanged(
      2 + tagKeys.length,
      this.entryKey(key),
      this.sequenceKey,
      ...tagKeys,
      seenSequence,
      serializeEntry(entry),
      ttl,
    );
    return stored === 1;
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    return this.redis.cacheInvalidateTags(
      1 + tags.length,
      this.sequenceKey,
      ...tags.map((tag) => this.tagKey(tag)),
    );
  }

  /** Deletes every key under the prefix (never anything else in the Redis database); returns the count. */
  async flush(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }
}
