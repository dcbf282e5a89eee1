import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineInfo } from '../machine';
import type { Measurement } from '../measure';
import type { Scenario } from '../scenarios';
import { int, ms, table } from './markdown';

export interface ClusterRun {
  mode: 'cache-on' | 'cache-off';
  apiProcesses: number;
  measurements: Measurement[];
}

export interface ClusterResults {
  profile: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  loadAverageAfter: number[];
  settings: { connections: number; durationSeconds: number; warmupSeconds: number };
  seed: { rows: Record<string, number>; seconds: number };
  scenarios: Scenario[];
  runs: ClusterRun[];
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

/** The cluster measurements as Markdown sections (without a title). */
export function clusterSections(results: ClusterResults): string[] {
  const { machine, settings } = results;
  const name = `${results.startedAt.slice(0, 10)}-cluster${results.profile === 'quick' ? '-quick' : ''}`;
  const cpuByRun = results.runs.map((run) => ({
    label: `${run.mode}, ${String(run.apiProcesses)} API proc.`,
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
  ];
}

export function renderClusterReport(results: ClusterResults, reportFile: string): void {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(
    reportFile,
    `${['# Scaling out on one machine', ...clusterSections(results)].join('\n\n')}\n`,
  );
}
