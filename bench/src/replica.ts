// The read replica under load: its lag sampled from the primary during a measured run, and a run in which the
// replica is stopped and started again while the load goes on.
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { Cluster } from '../../ops/cluster/cluster';
import type { TimedResponse } from './load';
import {
  apiCounters,
  FALLBACK_REASONS,
  percentile,
  readsBetween,
  type ApiCounters,
  type CacheMissReads,
  type LoadTarget,
} from './measure';
import { runLoad } from './processes';
import type { BenchProfile } from './profiles';
import type { Scenario } from './scenarios';

/** How often the replica's lag and the API processes' read counters are sampled. */
export const SAMPLE_INTERVAL_MS = 100;
/** The outage run's responses this long after the stop count as "around the stop". */
export const AROUND_STOP_MS = 1000;

export interface Spread {
  /** How many values: none leaves the others 0. */
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** The replica's lag as the primary saw it (`pg_stat_replication`), over the samples of one run. */
export interface ReplicationLag {
  samples: number;
  /** Samples in which no replica was streaming (stopped, or not yet reconnected). */
  withoutReplica: number;
  writeLagMs: Spread;
  flushLagMs: Spread;
  replayLagMs: Spread;
  /** WAL the replica had not replayed yet: `pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)`. */
  bytesBehind: Spread;
}

export interface ReplicationLagSampler {
  stop(): Promise<ReplicationLag>;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}

/** Samples until stopped, each at most every SAMPLE_INTERVAL_MS; returns what `sample` returned, in order. */
function sampleEvery<T>(sample: () => Promise<T>): { stop(): Promise<T[]> } {
  const samples: T[] = [];
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const started = Date.now();
      samples.push(await sample());
      await delay(Math.max(0, SAMPLE_INTERVAL_MS - (Date.now() - started)));
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
      return samples;
    },
  };
}

// The lag columns are null once a replica has replayed everything and no WAL arrives: it is not behind.
const LAG_QUERY = `
  SELECT coalesce(extract(epoch FROM write_lag) * 1000, 0)::float8 AS write_ms,
         coalesce(extract(epoch FROM flush_lag) * 1000, 0)::float8 AS flush_ms,
         coalesce(extract(epoch FROM replay_lag) * 1000, 0)::float8 AS replay_ms,
         coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 AS bytes
  FROM pg_stat_replication`;

interface LagRow {
  write_ms: number;
  flush_ms: number;
  replay_ms: number;
  bytes: number;
}

/** Samples the streaming replica's lag on the primary (`primaryUrl`, any database) until stopped. */
export function sampleReplicationLag(primaryUrl: string): ReplicationLagSampler {
  const client = new pg.Client({ connectionString: primaryUrl });
  const connected = client.connect();
  const sampler = sampleEvery(async () => {
    await connected;
    return (await client.query<LagRow>(LAG_QUERY)).rows[0];
  });
  return {
    async stop() {
      const samples = await sampler.stop();
      await client.end();
      const rows = samples.filter((row) => row !== undefined);
      const of = (column: keyof LagRow) => spread(rows.map((row) => row[column]));
      return {
        samples: samples.length,
        withoutReplica: samples.length - rows.length,
        writeLagMs: of('write_ms'),
        flushLagMs: of('flush_ms'),
        replayLagMs: of('replay_ms'),
        bytesBehind: of('bytes'),
      };
    },
  };
}

/** A run with the replica stopped in its middle and started again before its end. */
export interface ReplicaOutage {
  scenario: string;
  apiProcesses: number;
  durationSeconds: number;
  /** When the replica was stopped and started again, after the load began. */
  stopAfterSeconds: number;
  restartAfterSeconds: number;
  requests: number;
  /** Non-2xx answers, errors and timeouts: the run stops on any, so a finished run has none. */
  failedRequests: number;
  /** How long the replica's fast shutdown took, and its start until it accepted connections. */
  stopTookMs: number;
  startTookMs: number;
  /** From the stop until the first read sent to the primary because the replica was unreachable. */
  stopToPrimaryReadsMs: number | null;
  /** From the restart until the first read served by the replica again. */
  restartToReplicaReadsMs: number | null;
  /** The longest latency of the responses within AROUND_STOP_MS after the stop (null: none arrived). */
  longestLatencyAroundStopMs: number | null;
  /** Latency before the stop, from the stop until reads were back on the replica, and after. */
  latencyMs: { before: Spread; outage: Spread; after: Spread };
  cacheMissReads: CacheMissReads;
  replicationLag: ReplicationLag;
}

/** The first sample at or after `from` whose counter passed its value at `from`, as ms after `from`. */
function firstMoveAfter(
  samples: { at: number; counters: ApiCounters }[],
  from: number,
  baseline: number,
  counter: (counters: ApiCounters) => number,
): number | null {
  const moved = samples.find(({ at, counters }) => at >= from && counter(counters) > baseline);
  return moved ? moved.at - from : null;
}

/** Every cache-miss read counted, wherever it went. */
export function cacheMissReadCount(reads: CacheMissReads): number {
  return reads.replica + FALLBACK_REASONS.reduce((total, reason) => total + reads.primary[reason], 0);
}

function latencies(timeline: TimedResponse[], from: number, to: number): number[] {
  return timeline.filter(([at]) => at >= from && at < to).map(([, latency]) => latency);
}

/**
 * Warm-up, then a run four times the profile's length: the replica is stopped (fast shutdown) a quarter of the way
 * in and started again halfway, leaving the second half for reads to return to it, while the API processes' read
 * counters are sampled to time the fallback to the primary and the return to the replica.
 */
export async function measureReplicaOutage(
  cluster: Cluster,
  target: LoadTarget,
  scenario: Scenario,
  profile: BenchProfile,
  label: string,
): Promise<ReplicaOutage> {
  const durationSeconds = profile.durationSeconds * 4;
  const stopAfterSeconds = durationSeconds / 4;
  const restartAfterSeconds = durationSeconds / 2;
  const load = {
    url: `${target.url}${scenario.path}`,
    connections: profile.connections,
    ...(scenario.requests ? { requests: scenario.requests } : {}),
  };
  await runLoad({ ...load, durationSeconds: profile.warmupSeconds }, `${label} warm-up`);
  const counters = sampleEvery(async () => ({
    at: Date.now(),
    counters: await apiCounters(target.processes),
  }));
  const lag = target.sampleReplicationLag();
  const countersBefore = await apiCounters(target.processes);
  const replica = cluster.replica;
  const loadDone = new AbortController();
  const loading = runLoad({ ...load, durationSeconds, timeline: true }, label).finally(() => {
    loadDone.abort();
  });
  // The stop and the restart are timed from the first reads: the load generator takes a moment to start.
  const outage = (async () => {
    const { signal } = loadDone;
    const readsBefore = cacheMissReadCount(countersBefore.reads);
    while (cacheMissReadCount((await apiCounters(target.processes)).reads) === readsBefore)
      await delay(SAMPLE_INTERVAL_MS, undefined, { signal });
    const loadStarted = Date.now();
    await delay(stopAfterSeconds * 1000, undefined, { signal });
    const beforeStop = await apiCounters(target.processes);
    const stoppedAt = Date.now();
    await replica.stop('fast');
    const stopTookMs = Date.now() - stoppedAt;
    await delay(Math.max(0, loadStarted + restartAfterSeconds * 1000 - Date.now()), undefined, { signal });
    const beforeRestart = await apiCounters(target.processes);
    const restartedAt = Date.now();
    await replica.start();
    return {
      beforeStop,
      stoppedAt,
      stopTookMs,
      beforeRestart,
      restartedAt,
      startTookMs: Date.now() - restartedAt,
    };
  })();
  const [loaded, stopped] = await Promise.allSettled([loading, outage]);
  const samples = await counters.stop();
  const replicationLag = await lag.stop();
  if (loaded.status === 'rejected') throw loaded.reason;
  if (stopped.status === 'rejected')
    throw new Error(`${label}: the replica was not stopped and started again within the run`, {
      cause: stopped.reason,
    });
  const { timeline = [], ...result } = loaded.value;
  const { beforeStop, stoppedAt, stopTookMs, beforeRestart, restartedAt, startTookMs } = stopped.value;
  const stopToPrimaryReadsMs = firstMoveAfter(
    samples,
    stoppedAt,
    beforeStop.reads.primary.unreachable,
    (c) => c.reads.primary.unreachable,
  );
  const restartToReplicaReadsMs = firstMoveAfter(
    samples,
    restartedAt,
    beforeRestart.reads.replica,
    (c) => c.reads.replica,
  );
  const aroundStop = latencies(timeline, stoppedAt, stoppedAt + AROUND_STOP_MS);
  const readsBack = restartedAt + (restartToReplicaReadsMs ?? Infinity);
  return {
    scenario: scenario.id,
    apiProcesses: target.processes.length,
    durationSeconds,
    stopAfterSeconds,
    restartAfterSeconds,
    requests: result.total,
    failedRequests: result.non2xx + result.errors + result.timeouts,
    stopTookMs,
    startTookMs,
    stopToPrimaryReadsMs,
    restartToReplicaReadsMs,
    longestLatencyAroundStopMs: aroundStop.length > 0 ? Math.max(...aroundStop) : null,
    latencyMs: {
      before: spread(latencies(timeline, 0, stoppedAt)),
      outage: spread(latencies(timeline, stoppedAt, readsBack)),
      after: spread(latencies(timeline, readsBack, Infinity)),
    },
    cacheMissReads: readsBetween(countersBefore, await apiCounters(target.processes)),
    replicationLag,
  };
}
