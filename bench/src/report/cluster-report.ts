import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunSummary } from '../results';
import { FALLBACK_REASONS, type CacheMissReads, type Measurement } from '../measure';
import {
  AROUND_STOP_MS,
  cacheMissReadCount,
  SAMPLE_INTERVAL_MS,
  type ReplicaOutage,
  type Spread,
} from '../replica';
import { writes, type Scenario } from '../scenarios';
import { int, ms, table } from './markdown';

export interface ClusterRun {
  mode: 'cache-on' | 'cache-off';
  apiProcesses: number;
  measurements: Measurement[];
}

export interface ClusterResults extends RunSummary {
  settings: { connections: number; durationSeconds: number; warmupSeconds: number };
  seed: { rows: Record<string, number>; seconds: number };
  scenarios: Scenario[];
  runs: ClusterRun[];
  /** Absent from results measured before the outage run existed. */
  replicaOutage?: ReplicaOutage;
}

const MODE_LABELS: Record<ClusterRun['mode'], string> = {
  'cache-on': 'cache on (L1 + Redis), as deployed',
  'cache-off': 'cache off: every request reaches PostgreSQL through PgBouncer',
};
const PIECES = ['PostgreSQL primary', 'PostgreSQL replica', 'PgBouncer', 'HAProxy', 'Redis'] as const;

/**
 * CPU time of each piece over all measured runs of one configuration: as cores kept busy (CPU time ÷ wall time)
 * and per request answered.
 */
export function cpuByPiece(run: ClusterRun): { name: string; cores: number; msPerRequest: number }[] {
  const total = (of: (m: Measurement) => number) => run.measurements.reduce((sum, m) => sum + of(m), 0);
  const wallMs = total((m) => m.sampledMs ?? 0);
  const requests = total((m) => m.total);
  const api = total((m) => m.cpuMsPerRequest * m.total);
  const pieces = PIECES.map((name) => ({ name, cpuMs: total((m) => m.componentCpuMs?.[name] ?? 0) }));
  const machine = total((m) => m.componentCpuMs?.machine ?? 0);
  const known = api + pieces.reduce((sum, piece) => sum + piece.cpuMs, 0);
  return [
    { name: 'API processes', cpuMs: api },
    ...pieces,
    { name: 'everything else (load generator, other work)', cpuMs: machine - known },
    { name: 'whole machine', cpuMs: machine },
  ].map(({ name, cpuMs }) => ({ name, cores: cpuMs / wallMs, msPerRequest: cpuMs / requests }));
}

function scenarioTable(results: ClusterResults, mode: ClusterRun['mode']): string {
  const runs = results.runs.filter((run) => run.mode === mode);
  const header = ['scenario'];
  for (const run of runs) {
    const n = `${String(run.apiProcesses)} proc.`;
    header.push(`${n} req/s`, 'p50', 'p99', 'CPU/req per process');
  }
  if (runs.length === 2) header.push('req/s 2 ÷ 1');
  const rows = results.scenarios.map((scenario) => {
    const row: string[] = [scenario.label];
    const measured = runs.map((run) => run.measurements.find((m) => m.scenario === scenario.id));
    for (const m of measured) {
      if (!m) {
        row.push('–', '–', '–', '–');
        continue;
      }
      const perProcess = m.cpuMsPerRequestByProcess ?? [m.cpuMsPerRequest];
      row.push(
        int(m.requestsPerSecond),
        ms(m.latency.p50),
        ms(m.latency.p99),
        perProcess.map((value) => ms(value)).join(' + '),
      );
    }
    const [one, two] = measured;
    if (runs.length === 2)
      row.push(one && two ? `${(two.requestsPerSecond / one.requestsPerSecond).toFixed(2)}×` : '–');
    return row;
  });
  return table(header, rows);
}

const runLabel = (run: ClusterRun) => `${run.mode}, ${String(run.apiProcesses)} API proc.`;
const spreadOf = (values: Spread, format: (n: number) => string) =>
  values.count === 0 ? '–' : [values.p50, values.p99, values.max].map(format).join(' / ');
const bytes = (n: number) => `${int(n)} B`;
const seconds = (n: number | null) => (n === null ? 'not seen' : `${(n / 1000).toFixed(2)} s`);

function totalReads(all: CacheMissReads[]): CacheMissReads {
  const sum = (of: (reads: CacheMissReads) => number) => all.reduce((total, reads) => total + of(reads), 0);
  return {
    replica: sum((reads) => reads.replica),
    primary: Object.fromEntries(
      FALLBACK_REASONS.map((reason) => [reason, sum((reads) => reads.primary[reason])]),
    ) as CacheMissReads['primary'],
  };
}

/** "replica 1,234 (96 %); primary: own-write 3, lagging 0, unreachable 40". */
function readsSplit(reads: CacheMissReads): string {
  const all = cacheMissReadCount(reads);
  const share = all > 0 ? ` (${((100 * reads.replica) / all).toFixed(0)} %)` : '';
  return `replica ${int(reads.replica)}${share}; primary: ${FALLBACK_REASONS.map((reason) => `${reason} ${int(reads.primary[reason])}`).join(', ')}`;
}

/** Replica lag and where cache-miss reads went, per configuration, for every run that measured them. */
function replicaUnderLoadSections(results: ClusterResults): string[] {
  const rows = results.runs.flatMap((run) =>
    run.measurements.flatMap((m) => (m.replicationLag ? [{ run, m, lag: m.replicationLag }] : [])),
  );
  if (rows.length === 0) return [];
  const label = (run: ClusterRun, m: Measurement) =>
    `${runLabel(run)}${results.scenarios.filter(writes).length > 1 ? `, ${m.scenario}` : ''}`;
  return [
    '### The read replica under load',
    `While a scenario writes (the mixed one), the primary's \`pg_stat_replication\` is sampled every ${String(SAMPLE_INTERVAL_MS)} ms: how long the replica took to write, flush and replay the WAL it was sent (null lag columns, once it has replayed everything, count as 0), and how much WAL it had not replayed yet. Cache-miss reads are counted from every API process's \`db_replica_reads_total\` and \`db_replica_fallback_total{reason}\` around each measured run: \`own-write\` reads waited for a write the replica had not replayed (read-your-writes), \`lagging\` ones found it beyond \`REPLICA_MAX_LAG_MS\`.`,
    table(
      [
        'configuration',
        'replay lag p50 / p99 / max',
        'write lag p99',
        'flush lag p99',
        'WAL not replayed p50 / p99 / max',
        'samples',
      ],
      rows.map(({ run, m, lag }) => [
        label(run, m),
        spreadOf(lag.replayLagMs, ms),
        ms(lag.writeLagMs.p99),
        ms(lag.flushLagMs.p99),
        spreadOf(lag.bytesBehind, bytes),
        int(lag.samples),
      ]),
    ),
    table(
      ['configuration', 'cache-miss reads, mixed scenario', 'cache-miss reads, read scenarios'],
      results.runs.map((run) => [
        runLabel(run),
        ...[true, false].map((writing) => {
          const reads = run.measurements
            .filter((m) => results.scenarios.some((s) => s.id === m.scenario && writes(s) === writing))
            .flatMap((m) => (m.cacheMissReads ? [m.cacheMissReads] : []));
          return reads.length > 0 ? readsSplit(totalReads(reads)) : '–';
        }),
      ]),
    ),
  ];
}

function replicaOutageSections(outage: ReplicaOutage | undefined): string[] {
  if (!outage) return [];
  const { before, outage: during, after } = outage.latencyMs;
  const lag = outage.replicationLag;
  const latencyOf = (window: Spread) => `${spreadOf(window, ms)} (${int(window.count)} responses)`;
  return [
    '### Replica outage under load',
    `The mixed scenario for ${String(outage.durationSeconds)} s, cache off (every read reaches PostgreSQL), ${String(outage.apiProcesses)} API processes: the replica is stopped (fast shutdown) ${String(outage.stopAfterSeconds)} s in and started again ${String(outage.restartAfterSeconds)} s in. The API processes' read counters are sampled every ${String(SAMPLE_INTERVAL_MS)} ms, so the times below are that precise; the outage window runs from the stop until reads are back on the replica.`,
    table(
      ['', 'measured'],
      [
        ['requests (failed)', `${int(outage.requests)} (${int(outage.failedRequests)})`],
        ['fast shutdown took / start took', `${seconds(outage.stopTookMs)} / ${seconds(outage.startTookMs)}`],
        ['stop → first read on the primary (`unreachable`)', seconds(outage.stopToPrimaryReadsMs)],
        ['restart → first read on the replica again', seconds(outage.restartToReplicaReadsMs)],
        [
          `longest latency within ${String(AROUND_STOP_MS / 1000)} s after the stop`,
          outage.longestLatencyAroundStopMs === null ? '–' : ms(outage.longestLatencyAroundStopMs),
        ],
        ['p50 / p99 / max before the stop', latencyOf(before)],
        ['p50 / p99 / max in the outage window', latencyOf(during)],
        ['p50 / p99 / max after reads are back', latencyOf(after)],
        ['cache-miss reads', readsSplit(outage.cacheMissReads)],
        ['replay lag p50 / p99 / max (replica streaming)', spreadOf(lag.replayLagMs, ms)],
        ['WAL not replayed p50 / p99 / max', spreadOf(lag.bytesBehind, bytes)],
        ['lag samples without a streaming replica', `${int(lag.withoutReplica)} of ${int(lag.samples)}`],
      ],
    ),
  ];
}

/** The cluster measurements as Markdown sections (without a title). */
export function clusterSections(results: ClusterResults): string[] {
  const { machine, settings } = results;
  const name = `${results.startedAt.slice(0, 10)}-cluster${results.profile === 'quick' ? '-quick' : ''}`;
  const cpuByRun = results.runs.map((run) => ({
    label: runLabel(run),
    pieces: cpuByPiece(run),
  }));
  const cpuTable = (value: (piece: { cores: number; msPerRequest: number }) => string) =>
    table(
      ['configuration', ...(cpuByRun[0]?.pieces.map(({ name }) => name) ?? [])],
      cpuByRun.map(({ label, pieces }) => [label, ...pieces.map(value)]),
    );
  return [
    `Measured by \`npm run bench -- --cluster${results.profile === 'quick' ? ' --quick' : ''}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC (commit ${machine.commit}); raw numbers in \`bench/results/${name}.json\`.`,
    `\`npm run cluster\`'s topology on one machine (HAProxy → API processes → PgBouncer → PostgreSQL primary with a streaming replica; Redis), the ${results.profile} data set (${int(results.seed.rows.lessons ?? 0)} lessons) seeded into the primary. Each configuration starts from a stopped cluster; each scenario: ${String(settings.warmupSeconds)} s warm-up, then ${String(settings.durationSeconds)} s with ${String(settings.connections)} connections from autocannon on the same machine, through HAProxy. CPU per request is each API process's CPU time over the requests of the run. ${machine.cpu} × ${String(machine.cores)}, ${machine.postgres}, ${machine.redis}; load average ${machine.loadAverage.join(' / ')} before → ${results.loadAverageAfter.join(' / ')} after.`,
    ...(['cache-on', 'cache-off'] as const).flatMap((mode) =>
      results.runs.some((run) => run.mode === mode)
        ? [`### ${MODE_LABELS[mode]}`, scenarioTable(results, mode)]
        : [],
    ),
    '### Where the CPU went',
    'CPU time per request answered, over all scenarios of a configuration: the API processes (together), each other piece of the cluster, and what else the machine did (the load generator, and anything else running on it). The piece with the most CPU per request is the first to run out of cores when they are shared.',
    cpuTable(({ msPerRequest }) => ms(msPerRequest)),
    'Cores kept busy during the measured runs (CPU time ÷ wall time between the readings):',
    cpuTable(({ cores }) => cores.toFixed(2)),
    ...replicaUnderLoadSections(results),
    ...replicaOutageSections(results.replicaOutage),
  ];
}

export function renderClusterReport(results: ClusterResults, reportFile: string): void {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(
    reportFile,
    `${['# Scaling out on one machine', ...clusterSections(results)].join('\n\n')}\n`,
  );
}
