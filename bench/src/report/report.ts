import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { measurementOf, scenarioLabel, type RunSummary } from '../results';
import { int, ms, table } from './markdown';
import { median, type Measurement } from '../measure';
import type { Scenario } from '../scenarios';
import { repositoryRoot } from '../processes';
import { latestOutboxSection } from './outbox-report';
import { comparisonSection, previousFullRun } from './previous-run';
import { groupedBarChart, lineChart } from './svg-charts';

export type ModeName = 'cache-on' | 'redis-only' | 'cache-off';

interface PlanSummary {
  name: string;
  executionMs: number;
  indexesUsed: string[];
  largeSeqScans: string[];
}

export interface BenchResults extends RunSummary {
  settings: {
    connections: number;
    durationSeconds: number;
    warmupSeconds: number;
    ratioRounds: number;
    ratioSeconds: number;
  };
  seed: { rows: Record<string, number>; seconds: number };
  scenarios: Scenario[];
  modes: { mode: ModeName; measurements: Measurement[] }[];
  statementsBySize: { path: string; limit1: number; limit100: number }[];
  bareRatios: { scenario: string; api: number[]; bare: number[]; ratio: number; bytes: number }[];
  indexes: { explainBefore: PlanSummary[]; explainAfter: PlanSummary[]; throughputBefore: Measurement[] };
  pagination: { page: number; page1: Measurement; pageN: Measurement };
  growth: { lessons: number; measurements: Measurement[] }[];
  skipped: string[];
}

const modeLabels: Record<ModeName, string> = {
  'cache-on': 'cache on (L1 + L2)',
  'redis-only': 'Redis only (L1 off)',
  'cache-off': 'cache off',
};

const verdict = (met: boolean) => (met ? '✅ met' : '❌ not met');

/** API CPU per request on a cache miss (cache off), by scenario: what an uncached read may cost the API process. */
const missCpuTargets: { scenarios: string[]; microseconds: number; minimumRps: number | null }[] = [
  {
    scenarios: ['mentors', 'mentors-filtered', 'mentors-deep', 'mentors-search', 'courses'],
    microseconds: 250,
    minimumRps: 2500,
  },
  { scenarios: ['mentor', 'course', 'user'], microseconds: 120, minimumRps: 5000 },
  { scenarios: ['availability'], microseconds: 400, minimumRps: null },
  { scenarios: ['graphql-mentor'], microseconds: 300, minimumRps: null },
];

/** The API CPU per request (µs) a scenario may cost on a cache miss, if it has a target. */
export function missCpuTargetOf(scenario: string): number | undefined {
  return missCpuTargets.find((target) => target.scenarios.includes(scenario))?.microseconds;
}

/** The mixed read/write scenario with the cache on, against the previous full run. */
const MIXED_SPEEDUP = 1.5;

function targets(results: BenchResults, previous: BenchResults | null): string {
  const label = (id: string) => scenarioLabel(results, id);
  const rows: string[][] = [];
  for (const ratio of results.bareRatios) {
    const hit = measurementOf(results, 'cache-on', ratio.scenario);
    if (!hit) continue;
    const met = ratio.ratio >= 0.6 && hit.latency.p99 <= 5;
    rows.push([
      `cache hit ${label(ratio.scenario)}: ≥ 0.6 × bare, p99 ≤ 5 ms`,
      `${ratio.ratio.toFixed(2)} ×, p99 ${hit.latency.p99} ms`,
      verdict(met),
    ]);
  }
  for (const { scenarios, microseconds, minimumRps } of missCpuTargets) {
    for (const id of scenarios) {
      const off = measurementOf(results, 'cache-off', id);
      if (!off) continue;
      const cpu = off.cpuMsPerRequest * 1000;
      const fastEnough = minimumRps === null || off.requestsPerSecond >= minimumRps;
      rows.push([
        `cache off ${label(id)}: API CPU ≤ ${microseconds} µs per request${minimumRps === null ? '' : `, ≥ ${int(minimumRps)} req/s`}`,
        `${cpu.toFixed(0)} µs, ${int(off.requestsPerSecond)} req/s`,
        verdict(cpu <= microseconds && fastEnough),
      ]);
    }
  }
  const mixed = measurementOf(results, 'cache-on', 'mixed');
  const mixedBefore = previous && measurementOf(previous, 'cache-on', 'mixed');
  if (mixed && mixedBefore) {
    rows.push([
      `cache on ${label('mixed')}: ≥ ${MIXED_SPEEDUP} × the previous full run`,
      `${int(mixed.requestsPerSecond)} vs ${int(mixedBefore.requestsPerSecond)} req/s`,
      verdict(mixed.requestsPerSecond >= MIXED_SPEEDUP * mixedBefore.requestsPerSecond),
    ]);
  }
  const mentorPage = measurementOf(results, 'cache-off', 'mentor')?.statements;
  if (mentorPage !== null && mentorPage !== undefined) {
    rows.push([`statements ${label('mentor')}: 1`, String(mentorPage), verdict(mentorPage === 1)]);
  }
  for (const scenario of results.scenarios) {
    const statements = measurementOf(results, 'cache-off', scenario.id)?.statements;
    if (statements === null || statements === undefined) continue;
    const before = previous ? measurementOf(previous, 'cache-off', scenario.id)?.statements : undefined;
    const fromPreviousRun = before !== undefined && before !== null;
    const limit = fromPreviousRun ? before : scenario.kind === 'list' ? 2 : 3;
    rows.push([
      `statements ${scenario.label}: ≤ ${limit}${fromPreviousRun ? ' (the previous full run)' : ''}`,
      String(statements),
      verdict(statements <= limit),
    ]);
  }
  const sameAtEverySize = results.statementsBySize.every((s) => s.limit1 === s.limit100);
  rows.push([
    'statements identical at every page size (limit 1 vs 100)',
    results.statementsBySize.map((s) => `${s.limit1}/${s.limit100}`).join(', '),
    verdict(sameAtEverySize),
  ]);
  const { page1, pageN, page } = results.pagination;
  rows.push([
    `page ${page} of a cursor walk within 1.5 × page 1 (p50)`,
    `${pageN.latency.p50} ms vs ${page1.latency.p50} ms`,
    verdict(pageN.latency.p50 <= 1.5 * Math.max(page1.latency.p50, 1)),
  ]);
  const smallest = results.growth[0];
  const largest = results.growth.at(-1);
  for (const scenario of ['courses', 'course']) {
    const small = smallest?.measurements.find((m) => m.scenario === scenario);
    const large = largest?.measurements.find((m) => m.scenario === scenario);
    if (!small || !large || smallest === largest) continue;
    rows.push([
      `${label(scenario)}: p50 at ${int(largest?.lessons ?? 0)} lessons within 1.5 × p50 at ${int(smallest?.lessons ?? 0)}`,
      `${large.latency.p50} ms vs ${small.latency.p50} ms`,
      verdict(large.latency.p50 <= 1.5 * Math.max(small.latency.p50, 1)),
    ]);
  }
  return table(['target', 'measured', 'verdict'], rows);
}

function modeTable(results: BenchResults, mode: ModeName): string {
  const measurements = results.modes.find((m) => m.mode === mode)?.measurements ?? [];
  return table(
    ['scenario', 'req/s', 'p50', 'p97.5', 'p99', 'errors', 'statements', 'hit ratio', 'CPU/request', 'RSS'],
    measurements.map((m) => [
      results.scenarios.find((s) => s.id === m.scenario)?.label ?? m.scenario,
      int(m.requestsPerSecond),
      `${m.latency.p50} ms`,
      `${m.latency.p97_5} ms`,
      `${m.latency.p99} ms`,
      m.errors + m.non2xx,
      m.statements ?? '—',
      m.hitRatio === null ? '—' : `${(m.hitRatio * 100).toFixed(2)} %`,
      `${(m.cpuMsPerRequest * 1000).toFixed(0)} µs`,
      `${m.rssMiB} MiB`,
    ]),
  );
}

function charts(results: BenchResults, chartsDir: string): Record<string, string> {
  mkdirSync(chartsDir, { recursive: true });
  const labels = results.scenarios.map((s) => s.label);
  const files: Record<string, string> = {
    'throughput.svg': groupedBarChart({
      title: 'Throughput by scenario and cache mode',
      unit: 'req/s',
      categories: labels,
      series: results.modes.map(({ mode, measurements }) => ({
        name: modeLabels[mode],
        values: results.scenarios.map(
          (s) => measurements.find((m) => m.scenario === s.id)?.requestsPerSecond ?? NaN,
        ),
      })),
    }),
    'latency.svg': groupedBarChart({
      title: 'Latency percentiles with the cache on',
      unit: 'ms',
      categories: labels,
      series: (['p50', 'p97_5', 'p99'] as const).map((key) => ({
        name: key.replace('_', '.'),
        values: results.scenarios.map((s) => measurementOf(results, 'cache-on', s.id)?.latency[key] ?? NaN),
      })),
    }),
    'indexes.svg': groupedBarChart({
      title: 'EXPLAIN ANALYZE execution time, without and with the index set',
      unit: 'ms (log scale)',
      logScale: true,
      categories: results.indexes.explainAfter.map((p) => p.name),
      series: [
        { name: 'without 0002_indexes', values: results.indexes.explainBefore.map((p) => p.executionMs) },
        { name: 'with 0002_indexes', values: results.indexes.explainAfter.map((p) => p.executionMs) },
      ],
    }),
    'growth.svg': lineChart({
      title: 'p50 latency (cache off) as the data grows',
      xLabel: 'lessons in the database',
      yLabel: 'p50 latency, ms',
      logX: true,
      series: ['mentors', 'courses', 'course'].map((id) => ({
        name: scenarioLabel(results, id),
        points: results.growth.flatMap((level) => {
          const m = level.measurements.find((x) => x.scenario === id);
          return m ? [{ x: level.lessons, y: m.latency.p50 }] : [];
        }),
      })),
    }),
  };
  for (const [name, svg] of Object.entries(files)) writeFileSync(join(chartsDir, name), svg);
  return Object.fromEntries(Object.keys(files).map((name) => [name, name]));
}

/** The web pages' scores from `npm run lighthouse` (lighthouse.md next to the report), when measured. */
function lighthouseSection(reportFile: string): string[] {
  const file = join(dirname(reportFile), 'lighthouse.md');
  if (!existsSync(file)) return [];
  const body = readFileSync(file, 'utf8')
    .replace(/^# .*\n+/, '')
    .replace(/^(#+) /gm, '#$1 ');
  return ['## Web pages (Lighthouse)', body.trim()];
}

/** Writes the Markdown report and its SVG charts. */
export function renderReport(results: BenchResults, reportFile: string, chartsDir: string): void {
  const chartNames = charts(results, chartsDir);
  const image = (name: string, alt: string) =>
    `![${alt}](${relative(dirname(reportFile), join(chartsDir, chartNames[name] ?? name))})`;
  const { machine, settings, seed } = results;
  const totalRows = Object.values(seed.rows).reduce((sum, rows) => sum + rows, 0);
  const label = (id: string) => scenarioLabel(results, id);
  const before = new Map(results.indexes.explainBefore.map((p) => [p.name, p]));
  const previous = previousFullRun(results);

  const sections = [
    `# MentorHub benchmarks (${results.profile} run)`,
    `Generated by \`npm run bench${results.profile === 'quick' ? ' -- --quick' : ''}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC ` +
      `(commit ${machine.commit}); raw numbers in \`bench/results/${results.startedAt.slice(0, 10)}-${results.profile}.json\`. ` +
      'Absolute numbers depend on the machine; the ratio to the bare `node:http` server measured in the same run does not.',
    '## Machine and settings',
    table(
      ['', ''],
      [
        ['CPU', `${machine.cpu} × ${machine.cores}`],
        ['memory', `${machine.memoryGiB} GiB`],
        ['system', machine.os],
        ['Node.js', machine.node],
        ['database', machine.postgres],
        ['cache', machine.redis],
        [
          'load average (1/5/15 min) before → after',
          `${machine.loadAverage.join(' / ')} → ${results.loadAverageAfter.join(' / ')}`,
        ],
        [
          'load',
          `autocannon in its own process, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up, ${settings.durationSeconds} s measured`,
        ],
        [
          'data set',
          `${int(totalRows)} rows seeded in ${seed.seconds.toFixed(1)} s (${int(totalRows / seed.seconds)} rows/s): ${Object.entries(
            seed.rows,
          )
            .map(([t, n]) => `${t} ${int(n)}`)
            .join(', ')}`,
        ],
      ],
    ),
    '## Targets',
    targets(results, previous),
    '## Throughput by scenario and cache mode',
    image('throughput.svg', 'Throughput by scenario and cache mode'),
    table(
      ['scenario', ...results.modes.map((m) => modeLabels[m.mode])],
      results.scenarios.map((s) => [
        s.label,
        ...results.modes.map((m) =>
          int(m.measurements.find((x) => x.scenario === s.id)?.requestsPerSecond ?? 0),
        ),
      ]),
    ),
    ...results.modes.flatMap((m) => [`### ${modeLabels[m.mode]}`, modeTable(results, m.mode)]),
    image('latency.svg', 'Latency percentiles with the cache on'),
    '## Ratio to the hardware limit',
    `A bare \`node:http\` server sends the identical bytes and headers; the two alternate (A B A B, ${settings.ratioRounds} rounds of ${settings.ratioSeconds} s) and the medians are compared.`,
    table(
      ['scenario', 'MentorHub req/s (median)', 'bare node:http req/s (median)', 'ratio', 'body'],
      results.bareRatios.map((r) => [
        label(r.scenario),
        int(median(r.api)),
        int(median(r.bare)),
        `${r.ratio.toFixed(2)} ×`,
        `${int(r.bytes)} B`,
      ]),
    ),
    ...(previous ? comparisonSection(results, previous) : []),
    '## Statements per request',
    table(
      ['list', 'limit=1', 'limit=100'],
      results.statementsBySize.map((s) => [`\`${s.path}\``, s.limit1, s.limit100]),
    ),
    '## Indexes: before and after',
    'The index set (`0002_indexes`) dropped and restored on the same data: execution time of every hot query under `EXPLAIN (ANALYZE, BUFFERS)`, and endpoint throughput with the cache off.',
    image('indexes.svg', 'EXPLAIN ANALYZE before and after the index migration'),
    table(
      ['hot query', 'without indexes', 'with indexes', 'speed-up', 'indexes used'],
      results.indexes.explainAfter.map((after) => {
        const old = before.get(after.name);
        return [
          after.name,
          old
            ? `${ms(old.executionMs)}${old.largeSeqScans.length ? ` (seq scan: ${old.largeSeqScans.join(', ')})` : ''}`
            : '—',
          ms(after.executionMs),
          old ? `${(old.executionMs / after.executionMs).toFixed(0)} ×` : '—',
          after.indexesUsed.join(', '),
        ];
      }),
    ),
    table(
      ['endpoint, cache off', 'req/s without indexes', 'p99 without', 'req/s with indexes', 'p99 with'],
      results.indexes.throughputBefore.map((old) => {
        const now = measurementOf(results, 'cache-off', old.scenario);
        return [
          label(old.scenario),
          int(old.requestsPerSecond),
          `${old.latency.p99} ms`,
          int(now?.requestsPerSecond ?? 0),
          `${now?.latency.p99 ?? '—'} ms`,
        ];
      }),
    ),
    '## Growth',
    image('growth.svg', 'Latency as the data grows'),
    table(
      ['lessons', ...['mentors', 'courses', 'course'].map((id) => `${label(id)} p50 / p99`)],
      results.growth.map((level) => [
        int(level.lessons),
        ...['mentors', 'courses', 'course'].map((id) => {
          const m = level.measurements.find((x) => x.scenario === id);
          return m ? `${m.latency.p50} / ${m.latency.p99} ms` : '—';
        }),
      ]),
    ),
    table(
      ['cursor walk, cache off', 'req/s', 'p50', 'p99'],
      [
        [
          'page 1',
          int(results.pagination.page1.requestsPerSecond),
          `${results.pagination.page1.latency.p50} ms`,
          `${results.pagination.page1.latency.p99} ms`,
        ],
        [
          `page ${results.pagination.page}`,
          int(results.pagination.pageN.requestsPerSecond),
          `${results.pagination.pageN.latency.p50} ms`,
          `${results.pagination.pageN.latency.p99} ms`,
        ],
      ],
    ),
    ...(results.skipped.length ? ['## Skipped', results.skipped.map((s) => `- ${s}`).join('\n')] : []),
    ...latestOutboxSection(join(repositoryRoot, 'bench', 'results')),
    ...lighthouseSection(reportFile),
  ];
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${sections.join('\n\n')}\n`);
}
