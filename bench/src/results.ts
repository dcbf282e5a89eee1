import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { MachineInfo } from './machine';
import type { Measurement } from './measure';
import type { BenchResults, ModeName } from './report/report';
import { repositoryRoot } from './processes';

/**
 * Keeps a scenario's results: `bench/results/<date>-<scenario>[-quick].json`, and its report rendered into
 * `docsReport` (`docs/…`) after a full run, beside the JSON after a quick one (quick results are not committed).
 */
export function saveResults<Results extends { startedAt: string }>(
  results: Results,
  scenario: string,
  profileName: string,
  docsReport: string,
  render: (results: Results, file: string) => void,
): { jsonFile: string; reportFile: string } {
  const resultsDir = join(repositoryRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const name = `${results.startedAt.slice(0, 10)}-${scenario}${profileName === 'quick' ? '-quick' : ''}`;
  const jsonFile = join(resultsDir, `${name}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const reportFile =
    profileName === 'full' ? join(repositoryRoot, 'docs', docsReport) : join(resultsDir, `${name}.md`);
  render(results, reportFile);
  return { jsonFile, reportFile };
}

/** What every scenario's results begin with: its profile, when it ran, the machine, and the load it left. */
export interface RunSummary {
  profile: 'full' | 'quick';
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  loadAverageAfter: number[];
}

export function runSummary(
  profile: RunSummary['profile'],
  started: number,
  machine: MachineInfo,
): RunSummary {
  return {
    profile,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** What `scenario` measured in `mode` of a run of the read benchmark. */
export function measurementOf(
  results: BenchResults,
  mode: ModeName,
  scenario: string,
): Measurement | undefined {
  return results.modes.find((m) => m.mode === mode)?.measurements.find((m) => m.scenario === scenario);
}

/** A scenario's label as the reports print it (its id when the run does not know it). */
export function scenarioLabel(results: BenchResults, id: string): string {
  return results.scenarios.find((s) => s.id === id)?.label ?? id;
}
