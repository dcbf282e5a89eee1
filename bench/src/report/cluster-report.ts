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
const cores = (cpuMs: number, wallMs: number) => (cpuMs / wallMs).toFixed(2);

/** Cores each piece kept busy over all measured runs of one configuration (CPU time / wall time). */
export function coresByPiece(run: ClusterRun, durationSeconds: number): Record<string, string> {
  const wallMs = run.measurements.length * durationSeconds * 1000;
  const total = (of: (m: Measurement) => number) => run.measurements.reduce((sum, m) => sum + of(m), 0);
  const api = total((m) => m.cpuMsPerRequest * m.total);
  const pieces = Object.fromEntries(
    PIECES.map((name) => [name, total((m) => m.componentCpuMs?.[name] ?? 0)]),
  );
  const machine = total((m) => m.componentCpuMs?.machine ?? 0);
  const known = api + Object.values(pieces).reduce((sum, value) => sum + value, 0);
  return {
    'API processes': cores(api, wallMs),
    ...Object.fromEntries(Object.entries(pieces).map(([name, cpuMs]) => [name, cores(cpuMs, wallMs)])),
    'everything else (load generator, other work)': cores(machine - known, wallMs),
    'whole machine': cores(machine, wallMs),
  };
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
    byPiece: coresByPiece(run, settings.durationSeconds),
  }));
  return [
    `Measured by \`npm run bench -- --cluster${results.profile === 'quick' ? ' --quick' : ''}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC (commit ${machine.commit}); raw numbers in \`bench/results/${name}.json\`.`,
    `\`npm run cluster\`'s topology on one machine (HAProxy → API processes → PgBouncer → PostgreSQL primary with a streaming replica; Redis), the ${results.profile} data set (${int(results.seed.rows.lessons ?? 0)} lessons) seeded into the primary. Each configuration starts from a stopped cluster; each scenario: ${String(settings.warmupSeconds)} s warm-up, then ${String(settings.durationSeconds)} s with ${String(settings.connections)} connections from autocannon on the same machine, through HAProxy. CPU per request is each API process's CPU time over the requests of the run. ${machine.cpu} × ${String(machine.cores)}, ${machine.postgres}, ${machine.redis}; load average ${machine.loadAverage.join(' / ')} before → ${results.loadAverageAfter.join(' / ')} after.`,
    ...(['cache-on', 'cache-off'] as const).flatMap((mode) =>
      results.runs.some((run) => run.mode === mode)
        ? [`### ${MODE_LABELS[mode]}`, scenarioTable(results, mode)]
        : [],
    ),
    '### Where the CPU went',
    'Cores kept busy during the measured runs (CPU time ÷ wall time, all scenarios of a configuration): the API processes, each other piece of the cluster, and what else the machine did (the load generator, and anything else running).',
    table(
      ['configuration', ...Object.keys(cpuByRun[0]?.byPiece ?? {})],
      cpuByRun.map(({ label, byPiece }) => [label, ...Object.values(byPiece)]),
    ),
  ];
}

export function renderClusterReport(results: ClusterResults, reportFile: string): void {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(
    reportFile,
    `${['# Scaling out on one machine', ...clusterSections(results)].join('\n\n')}\n`,
  );
}
