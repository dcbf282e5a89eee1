// npm run bench -- --profile [--only id,id] [--quick]: where the API's CPU goes, scenario by scenario. One API
// process per cache mode runs under `node --cpu-prof`; each scenario is warmed and then loaded as `measure` does,
// and the samples taken during its measured run (by the monotonic clock both processes share) are summed by
// bucket and function, then turned into µs per request with the CPU per request /proc gave over the same run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCpuProfile, summarizeCpuProfile } from './cpu-profile';
import { createBenchDatabase, seedBenchDatabase } from './databases';
import { describeMachine } from './machine';
import { measure } from './measure';
import { repositoryRoot, startApi } from './processes';
import type { BenchProfile } from './profiles';
import { progressLog } from './progress';
import { renderProfiles, type ProfileResults, type ProfiledMode } from './report/profile-report';
import { runSummary, saveResults } from './results';
import { mixedScenario, resolveScenarios, scenariosNamed, type Scenario } from './scenarios';

/** The scenarios of the cache-off CPU targets: what an uncached read costs, and where. */
const MISS_SCENARIOS = [
  'mentors',
  'mentors-filtered',
  'mentor',
  'courses',
  'course',
  'user',
  'availability',
  'graphql-mentor',
];
/** Two small cache hits, the fixed cost of answering from L1, and the mixed reads and writes of its target. */
const HIT_SCENARIOS = ['user', 'mentor', 'mixed'];

/** µs between samples: finer than V8's default (1 ms), for requests that take a few hundred µs. */
const SAMPLING_INTERVAL_US = 500;

export async function runProfiles(
  profile: BenchProfile,
  only: string[] | undefined,
  databaseUrl: string | undefined,
  redisUrl: string | undefined,
): Promise<void> {
  const started = Date.now();
  const { step, item } = progressLog(started);
  const machine = await describeMachine(databaseUrl, redisUrl);
  const modes: { mode: ProfiledMode; env: Record<string, string>; ids: string[] }[] = [
    { mode: 'cache-off', env: { CACHE_ENABLED: 'false' }, ids: only ?? MISS_SCENARIOS },
    {
      mode: 'cache-on',
      env: redisUrl ? { REDIS_URL: redisUrl } : {},
      ids: HIT_SCENARIOS.filter((id) => !only || only.includes(id)),
    },
  ];
  const cachePrefix = `mhprofile:${randomBytes(4).toString('hex')}:`;
  const profileDirectory = mkdtempSync(join(tmpdir(), 'mentorhub-profile-'));
  // The API's files: the mixed scenario signs up its account through the verification mail written here.
  const dataDirectory = join(profileDirectory, 'data');

  step(`Seeding the ${profile.name} data set (${profile.data.lessons?.toLocaleString('en')} lessons)`);
  const database = await createBenchDatabase('profile', databaseUrl);
  await seedBenchDatabase(database, profile.data);
  const profiles: ProfileResults['profiles'] = [];
  let scenarios: Scenario[] = [];
  try {
    for (const { mode, env, ids } of modes.filter((m) => m.ids.length > 0)) {
      step(`Mode ${mode}: ${ids.join(', ')}`);
      const directory = join(profileDirectory, mode);
      const server = await startApi(
        { ...database.env, DATA_DIR: dataDirectory, CACHE_PREFIX: cachePrefix, ...env },
        {
          nodeFlags: [
            '--cpu-prof',
            `--cpu-prof-dir=${directory}`,
            `--cpu-prof-interval=${String(SAMPLING_INTERVAL_US)}`,
          ],
        },
      );
      const measured = [];
      try {
        if (scenarios.length === 0) scenarios = await resolveScenarios(server.url);
        const chosen = scenariosNamed(
          ids.includes('mixed')
            ? [...scenarios, await mixedScenario(server.url, scenarios, join(dataDirectory, 'mail'))]
            : scenarios,
          ids,
        );
        for (const [index, scenario] of chosen.entries()) {
          item(index + 1, chosen.length, scenario.label);
          measured.push({ scenario, measurement: await measure(server, scenario, profile, scenario.label) });
        }
      } finally {
        await server.stop(); // a graceful exit writes the profile
      }
      const cpuProfile = readCpuProfile(directory, server.pid);
      for (const { scenario, measurement } of measured) {
        profiles.push({
          mode,
          scenario: { id: scenario.id, label: scenario.label },
          measurement,
          summary: summarizeCpuProfile(cpuProfile, {
            root: repositoryRoot,
            ...(measurement.measuredWindowUs && { window: measurement.measuredWindowUs }),
          }),
        });
      }
    }
  } finally {
    await database.drop();
    rmSync(profileDirectory, { recursive: true, force: true });
  }

  const results: ProfileResults = {
    ...runSummary(profile.name, started, machine),
    settings: {
      connections: profile.connections,
      warmupSeconds: profile.warmupSeconds,
      durationSeconds: profile.durationSeconds,
      samplingIntervalUs: SAMPLING_INTERVAL_US,
    },
    profiles,
  };
  const { jsonFile, reportFile } = saveResults(
    results,
    'profile',
    profile.name,
    'profiles.md',
    renderProfiles,
  );
  step(`Done: ${jsonFile} and ${reportFile}`);
}
