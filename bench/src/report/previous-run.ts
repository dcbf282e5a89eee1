import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { median } from '../measure';
import { repositoryRoot } from '../processes';
import { measurementOf, scenarioLabel } from '../results';
import { int, table } from './markdown';
import type { BenchResults } from './report';

/** The committed full run before `results` (by start time), or null on the first one. */
export function previousFullRun(results: BenchResults): BenchResults | null {
  const resultsDir = join(repositoryRoot, 'bench', 'results');
  if (!existsSync(resultsDir)) return null;
  const earlier = readdirSync(resultsDir)
    .filter((name) => name.endsWith('-full.json'))
    .map((name) => JSON.parse(readFileSync(join(resultsDir, name), 'utf8')) as BenchResults)
    .filter((run) => run.startedAt < results.startedAt)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return earlier.at(-1) ?? null;
}

/**
 * How much faster or slower the machine itself was than in the previous run: the bare `node:http` server's
 * throughput now ÷ then, per scenario it served. The code under it never changes, so its spread across scenarios is
 * the run-to-run spread of the machine.
 */
export function machineFactors(results: BenchResults, previous: BenchResults): number[] {
  return results.bareRatios.flatMap((now) => {
    const then = previous.bareRatios.find((r) => r.scenario === now.scenario);
    return then ? [median(now.bare) / median(then.bare)] : [];
  });
}

/**
 * Every scenario's throughput against the previous full run, flagged where it fell by more than the machine did:
 * below the lowest factor of the bare server between the two runs.
 */
export function comparisonSection(results: BenchResults, previous: BenchResults): string[] {
  const factors = machineFactors(results, previous);
  if (factors.length === 0) return [];
  const lowest = Math.min(...factors);
  const rows = results.modes.flatMap(({ mode, measurements }) =>
    measurements.flatMap((now) => {
      const then = measurementOf(previous, mode, now.scenario)?.requestsPerSecond;
      if (then === undefined) return [];
      const factor = now.requestsPerSecond / then;
      return [
        [
          `${scenarioLabel(results, now.scenario)}, ${mode}`,
          int(then),
          int(now.requestsPerSecond),
          `${factor.toFixed(2)} ×`,
          factor < lowest ? '⚠ slower than the machine' : 'within the machine’s spread',
        ],
      ];
    }),
  );
  return [
    '## Compared with the previous full run',
    `The previous full run: ${previous.startedAt.slice(0, 16).replace('T', ' ')} UTC (commit ${previous.machine.commit}). ` +
      `The bare \`node:http\` server, whose code does not change, served ${factors.map((f) => f.toFixed(2)).join(', ')} × ` +
      `its throughput of then in the scenarios it serves (median ${median(factors).toFixed(2)} ×): that is the machine's ` +
      'own change and spread between the two runs. A scenario is flagged when it fell below the lowest of these.',
    table(['scenario, mode', 'then req/s', 'now req/s', 'now ÷ then', ''], rows),
  ];
}
