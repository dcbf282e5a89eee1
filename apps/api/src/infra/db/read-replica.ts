import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, ReadRouting } from '@mentorhub/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import { hashSecretToken } from '../auth/secret-token';
import type { LoadRouting } from '../cache/index';

export type DatabaseServer = 'primary' | 'replica';

/** Why a cache-miss load went to the primary although a replica is configured. */
export type ReplicaFallbackReason = 'unreachable' | 'lagging' | 'own-write';

/** Counters the metrics module plugs in. */
export interface ReplicaObserver {
  servedRead(): void;
  fellBack(reason: ReplicaFallbackReason): void;
  lag(seconds: number): void;
}

/** The replica's state as last checked: what it has replayed (a WAL position in bytes) and how far behind it is. */
interface ReplicaStatus {
  state: 'up' | 'lagging' | 'down';
  replayedLsn: number;
  lagMs: number;
  checkedAt: number;
}

/** What one request (or one cache-miss load within it) reads from, and what it wrote. */
interface ReadScope {
  /** The session cookie the request came with: a reader's own writes are remembered under it. */
  sessionToken: string | undefined;
  server: DatabaseServer;
  /** The WAL position after this request's latest write. */
  writtenLsn?: number;
  replica?: ReadReplica;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** The server the statement running now was sent to (for the query log). */
export function currentDatabaseServer(): DatabaseServer {
  return scopes.getStore()?.server ?? 'primary';
}

/** What the database connection asks before taking a connection: only a cache-miss load may read the replica. */
export const replicaReadRouting: ReadRouting = {
  readsFromReplica: () => scopes.getStore()?.server === 'replica',
  onReplicaUnreachable(error) {
    const scope = scopes.getStore();
    if (scope?.server !== 'replica') return;
    scope.server = 'primary';
    scope.replica?.reportUnreachable(error);
  },
};

/** The replica's status is reused this long, so routing costs no round trip per request. */
const STATUS_REUSE_MS = 25;
/** An unreachable replica is tried again this often (requests never wait for that attempt). */
const DOWN_RETRY_MS = 1000;

/**
 * The WAL position after every committed write (the insert position: with asynchronous commit the write position
 * may still be behind the commit record), and how far the replica has replayed and how long ago; both in bytes.
 */
const primaryPosition = sql<{
  lsn: number;
}>`SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8 AS lsn`;
const replicaPosition = sql<{ replayed: number | null; lag_ms: number }>`
  SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::float8 AS replayed,
         CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
              ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000, 0)
         END::float8 AS lag_ms`;

/**
 * Where writes were last seen to end in the WAL: per session (read-your-writes) and overall (a load from a replica
 * behind the latest write is served but not cached). In-process, and shared through Redis when it is configured.
 */
export class WrittenPositions {
  private latest = 0;
  private readonly bySession = new Map<string, { lsn: number; until: number }>();

  constructor(
    private readonly options: {
      redis: Redis | undefined;
      prefix: string;
      clock: () => number;
    },
  ) {}

  async remember(sessionToken: string | undefined, lsn: number): Promise<void> {
    this.latest = Math.max(this.latest, lsn);
    const session = sessionToken && this.sessionKey(sessionToken);
    const { redis, clock } = this.options;
    if (session) {
      if (this.bySession.size >= MAX_REMEMBERED_SESSIONS) this.forgetExpired();
      this.bySession.set(session, { lsn, until: clock() + REMEMBER_WRITES_MS });
    }
    if (!redis) return;
    const keys = session ? [this.latestKey(), this.redisKey(session)] : [this.latestKey()];
    await redis.eval(REMEMBER_SCRIPT, keys.length, ...keys, String(lsn), String(REMEMBER_WRITES_MS));
  }

  /** The session's latest write and the latest write of anyone; undefined when Redis could not be asked. */
  async read(sessionToken: string | undefined): Promise<{ own: number; latest: number } | undefined> {
    const session = sessionToken && this.sessionKey(sessionToken);
    const local = session ? this.bySession.get(session) : undefined;
    let own = local && local.until > this.options.clock() ? local.lsn : 0;
    let latest = this.latest;
    const { redis } = this.options;
    if (redis) {
      try {
        const [shared, sessionShared] = await redis.mget(
          this.latestKey(),
          session ? this.redisKey(session) : this.latestKey(),
        );
        latest = Math.max(latest, Number(shared ?? 0));
        if (session) own = Math.max(own, Number(sessionShared ?? 0));
      } catch {
        return undefined;
      }
    }
    return { own, latest };
  }

  private sessionKey(token: string): string {
    return hashSecretToken(token).toString('base64url');
  }

  private latestKey(): string {
    return `${this.options.prefix}replica:written`;
  }

  private redisKey(session: string): string {
    return `${this.options.prefix}replica:written:${session}`;
  }

  private forgetExpired(): void {
    const now = this.options.clock();
    for (const [session, { until }] of this.bySession) if (until <= now) this.bySession.delete(session);
  }
}

const MAX_REMEMBERED_SESSIONS = 10_000;
/** A session's write is remembered this long: far beyond the largest lag limit, after which the replica has it. */
const REMEMBER_WRITES_MS = 5 * 60_000;

/** KEYS[1] keeps the highest position written; KEYS[2] (optional) the session's, for ARGV[2] ms. */
const REMEMBER_SCRIPT = `
if tonumber(ARGV[1]) > tonumber(redis.call('GET', KEYS[1]) or '0') then redis.call('SET', KEYS[1], ARGV[1]) end
if KEYS[2] then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
return 1`;

export interface ReadReplicaOptions {
  /** The replica alone, to ask how far it has replayed. */
  replica: Kysely<Database>;
  /** The routed database: outside a cache-miss load it is the primary. */
  primary: Kysely<Database>;
  written: WrittenPositions;
  maxLagMs: number;
  clock: () => number;
  logger: FastifyBaseLogger;
  observer: ReplicaObserver;
}

/**
 * Sends cache-miss loads to the streaming replica while it is reachable, within the lag limit, and has replayed
 * the reader's own latest write; everything else (writes, reads inside them, uncached reads) stays on the primary.
 */
export class ReadReplica implements LoadRouting {
  private status: ReplicaStatus = { state: 'up', replayedLsn: 0, lagMs: 0, checkedAt: -Infinity };
  private checking: Promise<ReplicaStatus> | undefined;

  constructor(private readonly options: ReadReplicaOptions) {}

  /** Runs the rest of a request in its own read scope (a Fastify onRequest hook's `done`). */
  enterRequest(sessionToken: string | undefined, next: () => void): void {
    scopes.run({ sessionToken, server: 'primary' }, next);
  }

  async run<T>(load: () => Promise<T>): Promise<{ value: T; storable: boolean }> {
    const outer = scopes.getStore();
    const { server, storable } = await this.choose(outer);
    const scope: ReadScope = { sessionToken: outer?.sessionToken, server, replica: this };
    const value = await scopes.run(scope, load);
    // A load whose replica connection failed ran on the primary: its answer is current.
    return { value, storable: storable || scope.server === 'primary' };
  }

  /** Remembers where the write that just committed ends in the WAL, for the writer and for the cache. */
  async beforeInvalidation(): Promise<void> {
    const scope = scopes.getStore();
    try {
      const { rows } = await primaryPosition.execute(this.options.primary);
      const lsn = rows[0]?.lsn ?? 0;
      if (scope) scope.writtenLsn = lsn;
      await this.options.written.remember(scope?.sessionToken, lsn);
    } catch (error) {
      this.options.logger.warn(
        { err: error },
        'Could not remember the position of a write for replica reads',
      );
    }
  }

  reportUnreachable(error: unknown): void {
    this.options.observer.fellBack('unreachable');
    this.update({ state: 'down', replayedLsn: 0, lagMs: 0, checkedAt: this.options.clock() }, error);
  }

  private async choose(outer: ReadScope | undefined): Promise<{ server: DatabaseServer; storable: boolean }> {
    const primary = { server: 'primary', storable: true } as const;
    const status = await this.currentStatus();
    if (status.state !== 'up') {
      this.options.observer.fellBack(status.state === 'down' ? 'unreachable' : 'lagging');
      return primary;
    }
    // Unknown (Redis unreachable) counts as not yet replayed: the primary has every write.
    const written = await this.options.written.read(outer?.sessionToken);
    if (!written || Math.max(written.own, outer?.writtenLsn ?? 0) > status.replayedLsn) {
      this.options.observer.fellBack('own-write');
      return primary;
    }
    this.options.observer.servedRead();
    return { server: 'replica', storable: status.replayedLsn >= written.latest };
  }

  /** The last status while it is fresh; else a new check (shared), never awaited while the replica is down. */
  private currentStatus(): Promise<ReplicaStatus> | ReplicaStatus {
    const age = this.options.clock() - this.status.checkedAt;
    const down = this.status.state === 'down';
    if (age < (down ? DOWN_RETRY_MS : STATUS_REUSE_MS)) return this.status;
    const checking = (this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    }));
    return down ? this.status : checking;
  }

  private async check(): Promise<ReplicaStatus> {
    const checkedAt = this.options.clock();
    try {
      const { rows } = await replicaPosition.execute(this.options.replica);
      const replayed = rows[0]?.replayed;
      // A server that is not replaying (promoted, or not a standby at all) does not follow the primary.
      if (replayed === null || replayed === undefined)
        return this.update({ state: 'down', replayedLsn: 0, lagMs: 0, checkedAt }, 'not a standby');
      const lagMs = rows[0]?.lag_ms ?? 0;
      this.options.observer.lag(lagMs / 1000);
      const state = lagMs > this.options.maxLagMs ? 'lagging' : 'up';
      return this.update({ state, replayedLsn: replayed, lagMs, checkedAt });
    } catch (error) {
      return this.update({ state: 'down', replayedLsn: 0, lagMs: 0, checkedAt }, error);
    }
  }

  /** Takes the new status, with one log line when the state changes (never one per request). */
  private update(next: ReplicaStatus, error?: unknown): ReplicaStatus {
    const previous = this.status.state;
    this.status = next;
    if (next.state === previous) return next;
    const { logger, maxLagMs } = this.options;
    if (next.state === 'up')
      logger.info({ lagMs: next.lagMs }, 'Read replica in use: cache-miss reads go to it');
    else if (next.state === 'lagging')
      logger.warn(
        { lagMs: Math.round(next.lagMs), maxLagMs },
        'Read replica lagging beyond REPLICA_MAX_LAG_MS: reads go to the primary',
      );
    else logger.warn({ err: error }, 'Read replica unreachable: reads go to the primary');
    return next;
  }
}
