import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { createEntry, parseFrozen, type CacheEntry, type CachePolicy } from './cache-entry';
import { InvalidationBus } from './invalidation-bus';
import type { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import { subscribeOnEveryConnect } from '../redis';

export const CACHE_STATUSES = ['hit', 'miss', 'stale', 'bypass'] as const;
export type CacheStatus = (typeof CACHE_STATUSES)[number];
export type CacheTier = 'l1' | 'l2';

export interface CacheResult {
  entry: CacheEntry;
  status: CacheStatus;
}

/** What a loader produces: the serialized response and the tags of every piece of data it embeds. */
export interface LoadedResponse {
  body: string;
  tags: string[];
}

/** Counters the metrics module plugs in; the cache itself knows nothing of Prometheus. */
export interface CacheObserver {
  /** A request answered from a tier. */
  hit(tier: CacheTier): void;
  /** A loader run: the database was read to fill the cache. */
  miss(): void;
  /** A request that waited for another request's in-flight read of the same key instead of repeating it. */
  coalesced(): void;
  error(operation: 'get' | 'set' | 'invalidate' | 'publish'): void;
  invalidated(tags: number): void;
}

/**
 * Where cache-miss loads read from (a read replica may serve them) and what a write does before it invalidates.
 * A load that may have missed a recent write is answered but not stored.
 */
export interface LoadRouting {
  run<T>(load: () => Promise<T>): Promise<{ value: T; storable: boolean }>;
  /** Every write calls this after it commits and before it invalidates what it changed. */
  beforeInvalidation(): Promise<void>;
}

/** Without a replica every load reads the primary, and every answer may be stored. */
const loadsFromPrimary: LoadRouting = {
  run: async (load) => ({ value: await load(), storable: true }),
  beforeInvalidation: () => Promise.resolve(),
};

/** The Redis side: a command connection, a subscriber connection, and where keys and channels live. */
export interface SharedTierOptions {
  client: Redis;
  subscriber: Redis;
  prefix: string;
  ackTimeoutMs: number;
}

interface SharedTier extends SharedTierOptions {
  store: RedisStore;
  bus: InvalidationBus;
}

/**
 * Cache-aside for serialized responses: L1 in-process LRU, L2 Redis, one loader per key per process
 * (single-flight), tag invalidation fanned out to every instance, and stale-while-revalidate after the TTL.
 * Any Redis failure degrades to the database, never to an error.
 */
export class ResponseCache {
  private readonly inflight = new Map<string, Promise<CacheResult>>();
  /** Bumped by every invalidation this process sees; a load that straddles one is not stored in L1. */
  private epoch = 0;
  /** L1 is trusted only while invalidations can reach it (always without Redis; while subscribed with it). */
  private l1Trusted: boolean;
  /** Tags whose invalidation could not reach Redis; replayed as soon as it is back. */
  private readonly pendingInvalidations = new Set<string>();

  private readonly shared: SharedTier | undefined;

  constructor(
    private readonly memory: MemoryStore | undefined,
    redis: SharedTierOptions | undefined,
    private readonly observer: CacheObserver,
    private readonly logger: FastifyBaseLogger,
    private readonly loads: LoadRouting = loadsFromPrimary,
  ) {
    this.l1Trusted = redis === undefined;
    if (redis) {
      const bus = new InvalidationBus(
        redis.client,
        redis.subscriber,
        redis.prefix,
        (tags) => {
          this.dropLocalCopies(tags);
        },
        redis.ackTimeoutMs,
      );
      this.shared = { ...redis, store: new RedisStore(redis.client, redis.prefix), bus };
      this.watchRedis(this.shared);
    }
  }

  /** Every configured tier is in use: L1 is trusted and, with Redis, the command connection is up. */
  get tiersReady(): boolean {
    return this.l1Trusted && (this.shared === undefined || this.shared.client.status === 'ready');
  }

  /**
   * The entry of `key`, loaded on a miss. An answer from L1 comes back as it is, not in a promise: a hit is then
   * sent in the turn it was asked for. `beforeLoad` runs before this request's own database read only (a miss,
   * or every request with caching off), never for a hit, a stale answer refreshed in the background, or a wait
   * on another request's read; it may throw to refuse the request.
   */
  getOrSet(
    key: string,
    policy: CachePolicy,
    load: () => Promise<LoadedResponse>,
    beforeLoad?: () => Promise<void>,
  ): CacheResult | Promise<CacheResult> {
    if (!this.memory && !this.shared) return this.loadUncached(policy, load, beforeLoad);
    const local = this.l1Trusted ? this.memory?.get(key) : undefined;
    if (local) {
      const now = Date.now();
      if (now < local.freshUntil) {
        this.observer.hit('l1');
        return { entry: local, status: 'hit' };
      }
      if (now < local.staleUntil) {
        this.observer.hit('l1');
        this.refreshInBackground(key, policy, load);
        return { entry: local, status: 'stale' };
      }
    }
    return this.singleFlight(key, () => this.readThrough(key, policy, load, beforeLoad));
  }

  /**
   * The body of `key`'s entry as a value: parsed on first demand, then kept with the entry, so every later hit in
   * this process shares one frozen value; L1 counts it against its byte bound from then on.
   */
  parsedBody(key: string, entry: CacheEntry): unknown {
    if (!('parsed' in entry)) {
      entry.parsed = parseFrozen(entry.body);
      this.memory?.remeasure(key, entry);
    }
    return entry.parsed;
  }

  /** Caching is off: every request reads the database, with no request coalescing either. */
  private async loadUncached(
    policy: CachePolicy,
    load: () => Promise<LoadedResponse>,
    beforeLoad: (() => Promise<void>) | undefined,
  ): Promise<CacheResult> {
    await beforeLoad?.();
    const { body, tags } = (await this.loads.run(load)).value;
    return { entry: createEntry(body, tags, policy), status: 'bypass' };
  }

  /** Drops every entry carrying one of the tags, here, in Redis and (acknowledged) on every other instance. */
  async invalidateTags(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    await this.loads.beforeInvalidation();
    this.dropLocalCopies(tags);
    const shared = this.shared;
    if (!shared) return;
    try {
      await shared.store.invalidateTags(tags);
    } catch (error) {
      for (const tag of tags) this.pendingInvalidations.add(tag);
      this.observer.error('invalidate');
      this.logger.warn(
        { err: error, tags },
        'Cache invalidation could not reach Redis; will replay when it is back',
      );
    }
    try {
      if (!(await shared.bus.publish([...tags]))) {
        this.observer.error('publish');
        this.logger.warn({ tags }, 'Cache invalidation: not every instance acknowledged in time');
      }
    } catch {
      // Instances that cannot hear us are disconnected from Redis too, and clear their L1 when they reconnect.
      this.observer.error('publish');
    }
  }

  /** Empties L1 and every MentorHub key in Redis; returns the number of Redis keys deleted. */
  async flush(): Promise<number> {
    this.epoch += 1;
    this.memory?.clear();
    return this.shared ? this.shared.store.flush() : 0;
  }

  private dropLocalCopies(tags: readonly string[]): void {
    this.epoch += 1;
    const dropped = this.memory?.deleteTags(tags) ?? 0;
    this.observer.invalidated(tags.length);
    if (dropped > 0) this.logger.debug({ tags, dropped }, 'Cache entries invalidated');
  }

  private singleFlight(key: string, run: () => Promise<CacheResult>): Promise<CacheResult> {
    const running = this.inflight.get(key);
    if (running) {
      this.observer.coalesced();
      return running;
    }
    const promise = run().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  private refreshInBackground(key: string, policy: CachePolicy, load: () => Promise<LoadedResponse>): void {
    if (this.inflight.has(key)) return;
    this.singleFlight(key, () => this.loadAndStore(key, policy, load, this.epoch, undefined)).catch(
      (error: unknown) => {
        this.logger.warn(
          { err: error, key },
          'Background cache refresh failed; the stale entry stays until it expires',
        );
      },
    );
  }

  private async readThrough(
    key: string,
    policy: CachePolicy,
    load: () => Promise<LoadedResponse>,
    beforeLoad: (() => Promise<void>) | undefined,
  ): Promise<CacheResult> {
    const epoch = this.epoch;
    let sequence: string | undefined;
    if (this.shared) {
      try {
        const found = await this.shared.store.get(key);
        sequence = found.sequence;
        const entry = found.entry;
        if (entry && Date.now() < entry.staleUntil) {
          this.observer.hit('l2');
          if (this.l1Trusted && epoch === this.epoch) this.memory?.set(key, entry);
          if (Date.now() >= entry.freshUntil) {
            this.refreshInBackground(key, policy, load);
            return { entry, status: 'stale' };
          }
          return { entry, status: 'hit' };
        }
      } catch {
        this.observer.error('get');
      }
    }
    await beforeLoad?.();
    return this.loadAndStore(key, policy, load, epoch, sequence);
  }

  private async loadAndStore(
    key: string,
    policy: CachePolicy,
    load: () => Promise<LoadedResponse>,
    epoch: number,
    sequence: string | undefined,
  ): Promise<CacheResult> {
    const l1Usable = this.memory !== undefined && this.l1Trusted;
    const l2Usable = sequence !== undefined;
    if (!l1Usable && !l2Usable) {
      // Both tiers are out of reach: serve from the database without pretending to cache.
      const { body, tags } = (await this.loads.run(load)).value;
      return { entry: createEntry(body, tags, policy), status: 'bypass' };
    }
    this.observer.miss();
    const {
      value: { body, tags },
      storable,
    } = await this.loads.run(load);
    const entry = createEntry(body, tags, policy);
    if (!storable) return { entry, status: 'miss' };
    if (l1Usable && epoch === this.epoch) this.memory.set(key, entry);
    if (this.shared && sequence !== undefined) {
      this.shared.store.setIfUnchanged(key, entry, sequence).catch(() => {
        this.observer.error('set');
      });
    }
    return { entry, status: 'miss' };
  }

  private watchRedis({ client, subscriber, bus }: SharedTier): void {
    let reportedDown = false;
    const down = (error?: Error) => {
      if (this.l1Trusted) this.memory?.clear();
      this.l1Trusted = false;
      if (!reportedDown) {
        reportedDown = true;
        this.logger.warn({ err: error }, 'Redis unavailable: serving from the database until it is back');
      }
    };
    client.on('error', (error: Error) => {
      down(error);
    });
    subscriber.on('error', (error: Error) => {
      down(error);
    });
    subscriber.on('close', () => {
      down();
    });
    subscribeOnEveryConnect(subscriber, () => bus.subscribe(), {
      subscribed: () => {
        // Invalidations may have been missed while away: start L1 from empty.
        this.memory?.clear();
        this.epoch += 1;
        this.l1Trusted = true;
        if (reportedDown) this.logger.info('Redis is back: cache tiers restored');
        reportedDown = false;
        this.replayPendingInvalidations();
      },
      failed: (error) => {
        down(error instanceof Error ? error : undefined);
      },
    });
    client.on('ready', () => {
      this.replayPendingInvalidations();
    });
  }

  private replayPendingInvalidations(): void {
    if (this.pendingInvalidations.size === 0 || !this.shared) return;
    const tags = [...this.pendingInvalidations];
    this.pendingInvalidations.clear();
    this.shared.store.invalidateTags(tags).catch(() => {
      for (const tag of tags) this.pendingInvalidations.add(tag);
    });
  }
}
