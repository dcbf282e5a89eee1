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
    /** Told of each decision made in process because Redis failed or timed out. */
    private readonly decidedLocally: () => void = () => undefined,
  ) {}

  /**
   * Counts an event of `weight` (one request, or a query's cost) against `key`; allowed while the window's total
   * stays at most `limit`.
   */
  async hit(key: string, limit: number, windowSeconds: number, weight = 1): Promise<RateLimitResult> {
    if (this.redis?.status === 'ready') {
      try {
        const redisKey = `${this.prefix}rl:${key}`;
        const results = await this.redis
          .multi()
          .incrby(redisKey, weight)
          .expire(redisKey, windowSeconds, 'NX')
          .ttl(redisKey)
          .exec();
        const count = Number(results?.[0]?.[1] ?? 0);
        const ttl = Number(results?.[2]?.[1] ?? windowSeconds);
        return { allowed: count <= limit, retryAfterSeconds: Math.max(1, ttl) };
      } catch {
        this.decidedLocally();
      }
    }
    return this.hitLocal(key, limit, windowSeconds, weight);
  }

  /** Forgets `key`, e.g. an account's failures after a successful login. */
  async reset(key: string): Promise<void> {
    this.local.delete(key);
    if (this.redis?.status === 'ready') await this.redis.del(`${this.prefix}rl:${key}`).catch(() => 0);
  }

  private hitLocal(key: string, limit: number, windowSeconds: number, weight: number): RateLimitResult {
    const now = Date.now();
    let window = this.local.get(key);
    if (!window || window.resetAt <= now) {
      if (this.local.size > 100_000) this.local.clear(); // bounded memory under a flood of distinct keys
      window = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.local.set(key, window);
    }
    window.count += weight;
    return {
      allowed: window.count <= limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)),
    };
  }
}
