import type { LoadResult } from './load';
import { BENCH_METRICS_TOKEN, resourcesOf, runLoad, type ServerProcess } from './processes';
import type { BenchProfile } from './profiles';
import type { Scenario } from './scenarios';

export interface Measurement extends LoadResult {
  scenario: string;
  /** Statements the endpoint ran for one uncached request (from Server-Timing). */
  statements: number | null;
  cpuMsPerRequest: number;
  rssMiB: number;
  /** Cache hits / (hits + misses) during the run; null when the cache is off. */
  hitRatio: number | null;
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

async function cacheCounters(server: ServerProcess): Promise<{ hits: number; misses: number }> {
  const scrape = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
  });
  const text = await scrape.text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+-]+)$`, 'gm'))].reduce(
      (total, m) => total + Number(m[1]),
      0,
    );
  return { hits: sum('cache_hits_total'), misses: sum('cache_misses_total') };
}

/** Warm-up, then a measured run; CPU and memory are read from /proc around the measured run only. */
export async function measure(
  server: ServerProcess,
  scenario: Scenario,
  profile: BenchProfile,
  label: string,
): Promise<Measurement> {
  const url = `${server.url}${scenario.path}`;
  const first = scenario.requests ? undefined : await probe(url);
  const load = {
    url,
    connections: profile.connections,
    ...(scenario.requests ? { requests: scenario.requests } : {}),
  };
  await runLoad({ ...load, durationSeconds: profile.warmupSeconds }, `${label} warm-up`);
  const before = resourcesOf(server.pid);
  const countersBefore = await cacheCounters(server);
  const result = await runLoad({ ...load, durationSeconds: profile.durationSeconds }, label);
  const after = resourcesOf(server.pid);
  const countersAfter = await cacheCounters(server);
  const hits = countersAfter.hits - countersBefore.hits;
  const lookups = hits + countersAfter.misses - countersBefore.misses;
  return {
    ...result,
    scenario: scenario.id,
    statements: !first || first.cache === 'hit' ? null : first.statements,
    cpuMsPerRequest: (after.cpuMs - before.cpuMs) / result.total,
    rssMiB: Math.round(after.rssBytes / 2 ** 20),
    hitRatio: lookups > 0 ? hits / lookups : null,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
