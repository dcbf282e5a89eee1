import type { LoadResult } from './load';
import { BENCH_METRICS_TOKEN, resourcesOf, runLoad, type ServerProcess } from './processes';
import type { BenchProfile } from './profiles';
import type { ReplicationLag, ReplicationLagSampler } from './replica';
import { writes, type Scenario } from './scenarios';

export interface Measurement extends LoadResult {
  scenario: string;
  /** Statements the endpoint ran for one uncached request (from Server-Timing). */
  statements: number | null;
  /** CPU time of the API processes (all of them) per request. */
  cpuMsPerRequest: number;
  /** The same, process by process, when the load went through a load balancer to several. */
  cpuMsPerRequestByProcess?: number[];
  /**
   * The main thread's share of it, user and kernel time, when one process answered; the rest ran on other threads
   * (V8's collector and compiler helpers, libuv's pool). Absent from results saved before it was recorded.
   */
  mainThreadMsPerRequest?: { user: number; system: number };
  /** CPU time the other pieces used during the measured run, by name (load balancer, pooler, database, …). */
  componentCpuMs?: Record<string, number>;
  /**
   * When the measured run began and ended on the machine's monotonic clock, in µs (see `monotonicMicros`); absent
   * from results saved before it was recorded.
   */
  measuredWindowUs?: MonotonicWindow;
  /** Wall time between the CPU readings around the measured run (it includes the load generator's start). */
  sampledMs?: number;
  rssMiB: number;
  /** Cache hits / (hits + misses) during the run; null when the cache is off. */
  hitRatio: number | null;
  /** Where the run's cache-miss reads went, when the load went to processes with a read replica. */
  cacheMissReads?: CacheMissReads;
  /** The replica's lag, sampled from the primary during the run, when the scenario writes. */
  replicationLag?: ReplicationLag;
}

/** Why the API sent a cache-miss read to the primary although a replica is configured (its metric's labels). */
export const FALLBACK_REASONS = ['own-write', 'lagging', 'unreachable'] as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[number];

/** Cache-miss reads served by the replica, and those sent to the primary by reason. */
export interface CacheMissReads {
  replica: number;
  primary: Record<FallbackReason, number>;
}

/** Several API processes behind one URL (a load balancer), and what else the load runs through. */
export interface LoadTarget {
  url: string;
  /** The API processes: their CPU, memory and cache counters are the measurement's. */
  processes: { pid: number; url: string }[];
  /** CPU time used so far by each of the other pieces, by name. */
  componentCpuMs(): Record<string, number>;
  /** Starts sampling how far the read replica is behind (during runs that write). */
  sampleReplicationLag(): ReplicationLagSampler;
}

/** The Server-Timing of one request: cache status and statement count. */
export async function probe(
  url: string,
): Promise<{ cache: string; statements: number; body: string; headers: Headers }> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
  const timing = response.headers.get('server-timing') ?? '';
  return {
    cache: /cache;desc=(\w+)/.exec(timing)?.[1] ?? 'unknown',
    statements: Number(/desc="(\d+) quer/.exec(timing)?.[1] ?? NaN),
    body,
    headers: response.headers,
  };
}

/** The counters of the API processes' `/metrics` the benchmark reads, summed over every process given. */
export interface ApiCounters {
  cacheHits: number;
  cacheMisses: number;
  reads: CacheMissReads;
}

export async function apiCounters(servers: { url: string }[]): Promise<ApiCounters> {
  const texts = await Promise.all(
    servers.map(async (server) => {
      const scrape = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
      });
      return scrape.text();
    }),
  );
  const sum = (name: string, label = '') =>
    texts
      .flatMap((text) => [
        ...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*${label}[^}]*\\})? ([\\d.e+-]+)$`, 'gm')),
      ])
      .reduce((total, m) => total + Number(m[1]), 0);
  return {
    cacheHits: sum('cache_hits_total'),
    cacheMisses: sum('cache_misses_total'),
    reads: {
      replica: sum('db_replica_reads_total'),
      primary: Object.fromEntries(
        FALLBACK_REASONS.map((reason) => [reason, sum('db_replica_fallback_total', `reason="${reason}"`)]),
      ) as Record<FallbackReason, number>,
    },
  };
}

/** What the counters moved by from `before` to `after`. */
export function readsBetween(before: ApiCounters, after: ApiCounters): CacheMissReads {
  return {
    replica: after.reads.replica - before.reads.replica,
    primary: Object.fromEntries(
      FALLBACK_REASONS.map((reason) => [reason, after.reads.primary[reason] - before.reads.primary[reason]]),
    ) as Record<FallbackReason, number>,
  };
}

/** A span of time on the machine's monotonic clock, in µs: `[from, to)`. */
export type MonotonicWindow = [fromUs: number, toUs: number];

/**
 * Now on the machine's monotonic clock in µs: the clock V8 stamps CPU profile samples with, the same in every
 * process, so a window read here selects the samples of another process's profile.
 */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Warm-up, then a measured run; CPU and memory are read from /proc around the measured run only. */
export async function measure(
  target: ServerProcess | LoadTarget,
  scenario: Scenario,
  profile: BenchProfile,
  label: string,
): Promise<Measurement> {
  const processes = 'processes' in target ? target.processes : [target];
  const components = () => ('processes' in target ? target.componentCpuMs() : {});
  const url = `${target.url}${scenario.path}`;
  const first = scenario.requests ? undefined : await probe(url);
  const load = {
    url,
    connections: profile.connections,
    ...(scenario.requests ? { requests: scenario.requests } : {}),
  };
  await runLoad({ ...load, durationSeconds: profile.warmupSeconds }, `${label} warm-up`);
  const measuredFrom = monotonicMicros();
  const before = processes.map(({ pid }) => resourcesOf(pid));
  const componentsBefore = components();
  const sampledFrom = Date.now();
  const countersBefore = await apiCounters(processes);
  const lag = 'processes' in target && writes(scenario) ? target.sampleReplicationLag() : undefined;
  const result = await runLoad({ ...load, durationSeconds: profile.durationSeconds }, label);
  const after = processes.map(({ pid }) => resourcesOf(pid));
  const measuredWindowUs: MonotonicWindow = [measuredFrom, monotonicMicros()];
  const componentsAfter = components();
  const sampledMs = Date.now() - sampledFrom;
  const replicationLag = await lag?.stop();
  const countersAfter = await apiCounters(processes);
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const hits = countersAfter.cacheHits - countersBefore.cacheHits;
  const misses = countersAfter.cacheMisses - countersBefore.cacheMisses;
  const cpuMs = after.map((resources, i) => resources.cpuMs - (before[i]?.cpuMs ?? 0));
  return {
    ...result,
    scenario: scenario.id,
    statements: !first || first.cache === 'hit' ? null : first.statements,
    cpuMsPerRequest: sum(cpuMs) / result.total,
    measuredWindowUs,
    ...(processes.length > 1 && { cpuMsPerRequestByProcess: cpuMs.map((ms) => ms / result.total) }),
    ...(processes.length === 1 &&
      after[0] &&
      before[0] && {
        mainThreadMsPerRequest: {
          user: (after[0].mainThread.userMs - before[0].mainThread.userMs) / result.total,
          system: (after[0].mainThread.systemMs - before[0].mainThread.systemMs) / result.total,
        },
      }),
    ...('processes' in target && {
      componentCpuMs: Object.fromEntries(
        Object.entries(componentsAfter).map(([name, ms]) => [name, ms - (componentsBefore[name] ?? 0)]),
      ),
      sampledMs,
      cacheMissReads: readsBetween(countersBefore, countersAfter),
    }),
    ...(replicationLag && { replicationLag }),
    rssMiB: Math.round(sum(after.map(({ rssBytes }) => rssBytes)) / 2 ** 20),
    hitRatio: hits + misses > 0 ? hits / (hits + misses) : null,
  };
}

/** The value below which `p` % of the sorted values lie (nearest rank); 0 for none. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
