// npm run bench -- --against <checkout> [--only id,id] [--quick]: this build's API against another checkout's
// built API (an earlier commit, say), on the same seeded data, scenario by scenario in alternating rounds
// (A B, then B A, …) so that both see the same machine. Timings on a shared machine move by more than most
// changes between two commits; rounds of one run side by side do not, so this is how a change is shown to be
// faster, or no slower, than what came before it.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createBenchDatabase, seedBenchDatabase } from './databases';
import { describeMachine, gitCommit } from './machine';
import { measure, type Measurement } from './measure';
import { startApi, type ServerProcess } from './processes';
import type { BenchProfile } from './profiles';
import { progressLog } from './progress';
import { renderComparison, type ComparisonResults, type ComparedMode } from './report/comparison-report';
import { runSummary, saveResults } from './results';
import {
  messagingScenario,
  mixedScenario,
  resolveScenarios,
  scenariosNamed,
  type Scenario,
} from './scenarios';

export async function runComparison(
  profile: BenchProfile,
  against: string,
  only: string[] | undefined,
  databaseUrl: string | undefined,
  redisUrl: string | undefined,
): Promise<void> {
  const other = resolve(against);
  if (!existsSync(join(other, 'apps/api/dist/server.js')))
    throw new Error(`${other} has no built API: run npm run build --workspace @mentorhub/api there first`);
  const started = Date.now();
  const { step, item } = progressLog(started);
  const machine = await describeMachine(databaseUrl, redisUrl);
  const builds = { this: machine.commit, other: gitCommit(other) };
  const dataDir = join(tmpdir(), `mentorhub-compare-${randomBytes(4).toString('hex')}`);
  // One cache namespace per build: neither answers from entries the other made.
  const prefix = (build: string) => `mhcompare:${randomBytes(4).toString('hex')}:${build}:`;
  const modes: { mode: ComparedMode; env: Record<string, string> }[] = [
    { mode: 'cache-off', env: { CACHE_ENABLED: 'false' } },
    { mode: 'cache-on', env: redisUrl ? { REDIS_URL: redisUrl } : {} },
  ];

  step(`Seeding the ${profile.name} data set (${profile.data.lessons?.toLocaleString('en')} lessons)`);
  const database = await createBenchDatabase('compare', databaseUrl);
  await seedBenchDatabase(database, profile.data);
  const runs: ComparisonResults['runs'] = [];
  let scenarios: Scenario[] = [];
  try {
    for (const { mode, env } of modes) {
      step(`Mode ${mode}: ${builds.this} (this checkout) against ${builds.other} (${other})`);
      const common = { DATA_DIR: dataDir, ...database.env, ...env };
      const servers = {
        this: await startApi({ ...common, CACHE_PREFIX: prefix('this') }),
        other: await startApi({ ...common, CACHE_PREFIX: prefix('other') }, { checkout: other }),
      };
      try {
        if (scenarios.length === 0) scenarios = await comparedScenarios(servers.this.url, dataDir, only);
        for (const [index, scenario] of scenarios.entries()) {
          item(index + 1, scenarios.length, scenario.label);
          runs.push({ mode, scenario: scenario.id, ...(await alternate(servers, scenario, profile)) });
        }
      } finally {
        await Promise.all([servers.this.stop(), servers.other.stop()]);
      }
    }
  } finally {
    await database.drop();
  }

  const results: ComparisonResults = {
    ...runSummary(profile.name, started, machine),
    builds,
    settings: {
      connections: profile.connections,
      rounds: profile.ratioRounds,
      warmupSeconds: profile.warmupSeconds,
      durationSeconds: profile.ratioSeconds,
    },
    scenarios: scenarios.map(({ id, label }) => ({ id, label })),
    runs,
  };
  const { jsonFile, reportFile } = saveResults(
    results,
    'comparison',
    profile.name,
    'comparison.md',
    renderComparison,
  );
  step(`Done: ${jsonFile} and ${reportFile}`);
}

/** The read scenarios and the two write mixes, or those of them `only` names. */
async function comparedScenarios(url: string, dataDir: string, only: string[] | undefined) {
  const reads = await resolveScenarios(url);
  const all = [
    ...reads,
    await mixedScenario(url, reads, join(dataDir, 'mail')),
    await messagingScenario(url, join(dataDir, 'mail')),
  ];
  return only ? scenariosNamed(all, only) : all;
}

/** Rounds of both builds, the order swapped every round, each with its own warm-up and measured run. */
async function alternate(
  servers: Record<'this' | 'other', ServerProcess>,
  scenario: Scenario,
  profile: BenchProfile,
): Promise<Record<'this' | 'other', Measurement[]>> {
  const measured: Record<'this' | 'other', Measurement[]> = { this: [], other: [] };
  const round = { ...profile, durationSeconds: profile.ratioSeconds };
  for (let n = 0; n < profile.ratioRounds; n++) {
    for (const build of n % 2 === 0 ? (['this', 'other'] as const) : (['other', 'this'] as const)) {
      measured[build].push(await measure(servers[build], scenario, round, `${build} ${scenario.label}`));
    }
  }
  return measured;
}
