import type { Redis } from 'ioredis';

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters: in Redis when configured (shared by every instance), in process memory otherwise or
 * while Redis is unreachable — a Redis outage must not lock everyone out, nor turn the limit off.
 */
export class RateLimiter {
  private readonly local = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly redis: Redis | undefined,
    private readonly prefix: string,
  ) {}

  /** Counts one event against `key`; allowed while the window holds at most `limit` events. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    if (this.redis?.status === 'ready') {
      try {
        const redisKey = `${this.prefix}rl:${key}`;
        const results = await this.redis
          .multi()
          .incr(redisKey)
          .expire(redisKey, windowSeconds, 'NX')
          .ttl(redisKey)
          .exec();
        const count = Number(results?.[0]?.[1] ?? 0);
        const ttl = Number(results?.[2]?.[1] ?? windowSeconds);
        return { allowed: count <= limit, retryAfterSeconds: Math.max(1, ttl) };
      } catch {
        // fall through to the in-process window
      }
    }
    return this.hitLocal(key, limit, windowSeconds);
  }

  /** Events counted against `key` in its current window, without counting one. */
  async peek(key: string): Promise<{ count: number; retryAfterSeconds: number }> {
    if (this.redis?.status === 'ready') {
      try {
        const redisKey = `${this.prefix}rl:${key}`;
        const results = await this.redis.multi().get(redisKey).ttl(redisKey).exec();
        return {
          count: Number(results?.[0]?.[1] ?? 0),
          retryAfterSeconds: Math.max(1, Number(results?.[1]?.[1] ?? 1)),
        };
      } catch {
        // fall through to the in-process window
      }
    }
    const window = this.local.get(key);
    const now = Date.now();
    return window && window.resetAt > now
      ? { count: window.count, retryAfterSeconds: Math.ceil((window.resetAt - now) / 1000) }
      : { count: 0, retryAfterSeconds: 0 };
  }

  /** Forgets `key`, e.g. an account's failures after a successful login. */
  async reset(key: string): Promise<void> {
    this.local.delete(key);
    if (this.redis?.status === 'ready') await this.redis.del(`${this.prefix}rl:${key}`).catch(() => 0);
  }

  private hitLocal(key: string, limit: number, windowSeconds: number): RateLimitResult {
    const now = Date.now();
    let window = this.local.get(key);
    if (!window || window.resetAt <= now) {
      if (this.local.size > 100_000) this.local.clear(); // bounded memory under a flood of distinct keys
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.local.set(key, window);
    }
    window.count += 1;
    return {
      allowed: window.count <= limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }
}
