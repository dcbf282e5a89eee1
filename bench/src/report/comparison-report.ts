import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { median, type Measurement } from '../measure';
import type { RunSummary } from '../results';
import { int, ms, table } from './markdown';

export type ComparedMode = 'cache-off' | 'cache-on';
type Build = 'this' | 'other';

export interface ComparisonResults extends RunSummary {
  /** The commits compared: this checkout's, and the other checkout's. */
  builds: Record<Build, string>;
  settings: { connections: number; rounds: number; warmupSeconds: number; durationSeconds: number };
  scenarios: { id: string; label: string }[];
  runs: ({ mode: ComparedMode; scenario: string } & Record<Build, Measurement[]>)[];
}

/** The median over a build's rounds of one number of its measurements. */
const middle = (rounds: Measurement[], of: (m: Measurement) => number): number => median(rounds.map(of));

const ratio = (value: number, base: number) => (base > 0 ? `${(value / base).toFixed(2)}×` : '—');
const µs = (msPerRequest: number) => `${int(msPerRequest * 1000)} µs`;

/** The spread of a build's rounds: the largest round over the smallest, as the noise to read a ratio against. */
const spread = (rounds: Measurement[]) => {
  const rates = rounds.map((m) => m.requestsPerSecond);
  return Math.max(...rates) / Math.min(...rates);
};

function modeTable(results: ComparisonResults, mode: ComparedMode): string {
  const { builds } = results;
  const rows = results.runs
    .filter((run) => run.mode === mode)
    .map((run) => {
      const rps = (build: Build) => middle(run[build], (m) => m.requestsPerSecond);
      const cpu = (build: Build) => middle(run[build], (m) => m.cpuMsPerRequest);
      const p99 = (build: Build) => middle(run[build], (m) => m.latency.p99);
      const noise = Math.max(spread(run.this), spread(run.other));
      return [
        results.scenarios.find((s) => s.id === run.scenario)?.label ?? run.scenario,
        int(rps('this')),
        int(rps('other')),
        ratio(rps('this'), rps('other')),
        `±${((noise - 1) * 100).toFixed(0)} %`,
        µs(cpu('this')),
        µs(cpu('other')),
        ratio(cpu('this'), cpu('other')),
        `${ms(p99('this'))} / ${ms(p99('other'))}`,
      ];
    });
  return table(
    [
      'scenario',
      `req/s ${builds.this}`,
      `req/s ${builds.other}`,
      'throughput ratio',
      'round spread',
      `CPU/req ${builds.this}`,
      `CPU/req ${builds.other}`,
      'CPU ratio',
      'p99 (this / other)',
    ],
    rows,
  );
}

export function renderComparison(results: ComparisonResults, reportFile: string): void {
  const { machine, settings, builds } = results;
  const command = `npm run bench -- --against <checkout of ${builds.other}>${results.profile === 'quick' ? ' --quick' : ''}`;
  const sections = [
    `# API build comparison: ${builds.this} against ${builds.other}`,
    `Measured by \`${command}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC; raw numbers in \`bench/results/${results.startedAt.slice(0, 10)}-comparison${results.profile === 'quick' ? '-quick' : ''}.json\`. Both builds ran at the same time on the same seeded ${results.profile} data set (${machine.postgres}; cache: ${machine.redis}), each with its own cache namespace. Each scenario ran ${String(settings.rounds)} rounds per build, the order swapped every round (${builds.this} first, then ${builds.other} first, …); a round is ${String(settings.warmupSeconds)} s of warm-up and ${String(settings.durationSeconds)} s measured with ${String(settings.connections)} connections. The numbers are medians over the rounds. Ratios are ${builds.this} over ${builds.other}: above 1× in throughput and below 1× in CPU per request is faster. The round spread is the larger build's fastest round over its slowest: a ratio inside it is no difference. ${machine.cpu} × ${String(machine.cores)}, load average ${machine.loadAverage.join(' / ')} before → ${results.loadAverageAfter.join(' / ')} after.`,
    '## Cache off (every request reads the database)',
    modeTable(results, 'cache-off'),
    '## Cache on',
    modeTable(results, 'cache-on'),
  ];
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${sections.join('\n\n')}\n`);
}
