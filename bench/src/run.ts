// npm run bench [-- --quick]: MentorHub under load against the bare node:http limit and its own "before".
// Writes bench/results/<date>-<mode>.json and a Markdown report with SVG charts; fails loudly on any error.
// npm run bench -- --scenario outbox [--quick]: outbox delivery latency and throughput instead (bench/src/outbox.ts).
// npm run bench -- --cluster [--quick]: the same scenarios through HAProxy on the cluster (bench/src/cluster.ts).
// npm run bench -- --against <checkout> [--only id,id] [--quick]: this build against another checkout's build, in
// alternating rounds on the same data (bench/src/compare.ts).
// npm run bench -- --profile [--only id,id] [--quick]: a CPU profile of the API per scenario, summed by package and
// module (bench/src/profile.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBenchDatabase, seedBenchDatabase, setIndexes, type BenchDatabase } from './databases';
import { describeMachine } from './machine';
import { measure, median, probe, type Measurement } from './measure';
import {
  repositoryRoot,
  runLoad,
  runNodeScript,
  startApi,
  startBareServer,
  type ServerProcess,
} from './processes';
import { profiles, scaledData, type BenchProfile } from './profiles';
import { progressLog } from './progress';
import { renderLatestFullReport } from './report/latest';
import { renderReport, type BenchResults, type ModeName } from './report/report';
import { runClusterBench } from './cluster';
import { runComparison } from './compare';
import { runOutboxBench } from './outbox';
import { runProfiles } from './profile';
import { runSummary } from './results';
import { messagingScenario, mixedScenario, pathOfPage, resolveScenarios, type Scenario } from './scenarios';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', default: 'http' },
    cluster: { type: 'boolean', default: false },
    against: { type: 'string' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
if (values.scenario !== 'http' && values.scenario !== 'outbox') {
  console.error(`Unknown --scenario ${values.scenario}: http (the default) or outbox`);
  process.exit(2);
}
const profile: BenchProfile = profiles[values.quick ? 'quick' : 'full'];
const databaseUrl = process.env.DATABASE_URL || undefined;
const redisUrl = process.env.REDIS_URL || undefined;
const started = Date.now();

const { step, item: progress } = progressLog(started);

const cacheModes: { mode: ModeName; env: Record<string, string> }[] = [
  { mode: 'cache-off', env: { CACHE_ENABLED: 'false' } },
  ...(redisUrl
    ? [{ mode: 'redis-only' as const, env: { REDIS_URL: redisUrl, CACHE_L1_ENABLED: 'false' } }]
    : []),
  { mode: 'cache-on', env: redisUrl ? { REDIS_URL: redisUrl } : {} },
];

async function withServer<T>(
  env: Record<string, string>,
  use: (server: ServerProcess) => Promise<T>,
): Promise<T> {
  const server = await startApi(env);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

async function measureAll(
  server: ServerProcess,
  scenarios: Scenario[],
  label: string,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const [index, scenario] of scenarios.entries()) {
    progress(index + 1, scenarios.length, `${label}: ${scenario.label}`);
    results.push(await measure(server, scenario, profile, `${label} ${scenario.label}`));
  }
  return results;
}

/** API and bare server alternate (A B A B …) so both see the same machine conditions. */
async function ratioToBare(server: ServerProcess, scenario: Scenario, workDir: string) {
  const sample = await probe(`${server.url}${scenario.path}`);
  const headers: Record<string, string> = {};
  // The bare server sends what the API sends, security headers included, so the ratio compares like with like.
  const replayed = ['content-type', 'etag', 'cache-control', 'vary', 'server-timing'];
  const security = [
    'content-security-policy',
    'x-content-type-options',
    'x-frame-options',
    'referrer-policy',
  ];
  for (const name of [...replayed, ...security, 'cross-origin-resource-policy']) {
    const value = sample.headers.get(name);
    if (value) headers[name] = value;
  }
  const file = join(workDir, `${scenario.id}.json`);
  writeFileSync(file, JSON.stringify({ headers, body: sample.body }));
  const bare = await startBareServer(file);
  const load = { connections: profile.connections, durationSeconds: profile.ratioSeconds };
  const api: number[] = [];
  const limit: number[] = [];
  try {
    await runLoad({ url: bare.url, ...load, durationSeconds: profile.warmupSeconds }, 'bare warm-up');
    for (let round = 0; round < profile.ratioRounds; round++) {
      api.push(
        (await runLoad({ url: `${server.url}${scenario.path}`, ...load }, `ratio ${scenario.label}`))
          .requestsPerSecond,
      );
      limit.push((await runLoad({ url: bare.url, ...load }, `bare ${scenario.label}`)).requestsPerSecond);
    }
  } finally {
    await bare.stop();
  }
  return {
    scenario: scenario.id,
    api,
    bare: limit,
    ratio: median(api) / median(limit),
    bytes: sample.body.length,
  };
}

async function explainJson(database: BenchDatabase) {
  const stdout = await runNodeScript(
    ['--import', 'tsx', 'apps/api/src/cli/explain.ts', '--json'],
    database.env,
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as BenchResults['indexes']['explainAfter'];
}

async function main(): Promise<void> {
  if (!databaseUrl)
    console.warn(
      '⚠ DATABASE_URL is not set: benchmarking the embedded PGlite database (not representative of production).',
    );
  if (!redisUrl)
    console.warn(
      '⚠ REDIS_URL is not set: the "Redis only" mode is skipped and the cache is in-process only.',
    );
  const machine = await describeMachine(databaseUrl, redisUrl);
  const workDir = join(tmpdir(), `mentorhub-bench-${randomBytes(4).toString('hex')}`);
  mkdirSync(workDir, { recursive: true });
  const cachePrefix = `mhbench:${randomBytes(4).toString('hex')}:`;
  const skipped: string[] = [];
  if (!redisUrl) skipped.push('Redis-only mode (no REDIS_URL)');

  step(`Seeding the ${profile.name} data set (${profile.data.lessons?.toLocaleString('en')} lessons)`);
  const main = await createBenchDatabase('main', databaseUrl);
  const seed = await seedBenchDatabase(main, profile.data);

  const modes: BenchResults['modes'] = [];
  let scenarios: Scenario[] = [];
  let statementsBySize: BenchResults['statementsBySize'] = [];
  let pagination: BenchResults['pagination'] | undefined;
  let bareRatios: BenchResults['bareRatios'] = [];

  for (const { mode, env } of cacheModes) {
    step(`Mode ${mode}`);
    // Mail is written to DATA_DIR/mail (no SMTP server): the mixed scenario reads its sign-up link there.
    const dataDir = main.env.DATA_DIR ?? join(workDir, 'data');
    await withServer(
      { DATA_DIR: dataDir, ...main.env, CACHE_PREFIX: cachePrefix, ...env },
      async (server) => {
        if (mode === 'cache-off') {
          const reads = await resolveScenarios(server.url, Math.max(2, Math.floor(profile.deepPage / 2)));
          scenarios = [
            ...reads,
            await mixedScenario(server.url, reads, join(dataDir, 'mail')),
            await messagingScenario(server.url, join(dataDir, 'mail')),
          ];
          statementsBySize = [];
          for (const path of ['/api/mentors', '/api/courses', '/api/mentors?q=a&expertise=react']) {
            const sep = path.includes('?') ? '&' : '?';
            statementsBySize.push({
              path,
              limit1: (await probe(`${server.url}${path}${sep}limit=1`)).statements,
              limit100: (await probe(`${server.url}${path}${sep}limit=100`)).statements,
            });
          }
        }
        const measurements = await measureAll(server, scenarios, mode);
        modes.push({ mode, measurements });

        if (mode === 'cache-off') {
          step(`Cursor walk: page 1 vs page ${profile.deepPage} of GET /api/courses (cache off)`);
          const deep: Scenario = {
            id: 'courses-deep',
            label: `GET /api/courses (cursor page ${profile.deepPage})`,
            path: await pathOfPage(server.url, '/api/courses', profile.deepPage),
            kind: 'list',
          };
          const first = measurements.find((m) => m.scenario === 'courses');
          if (!first) throw new Error('courses scenario missing');
          pagination = {
            page: profile.deepPage,
            page1: first,
            pageN: await measure(server, deep, profile, deep.label),
          };
        }
        if (mode === 'cache-on') {
          step('Ratio to the bare node:http server (A B A B …)');
          bareRatios = [];
          const single = scenarios.filter((scenario) => !scenario.requests); // a bare server cannot replay a write mix
          for (const [index, scenario] of single.entries()) {
            progress(index + 1, single.length, scenario.label);
            bareRatios.push(await ratioToBare(server, scenario, workDir));
          }
        }
      },
    );
  }

  step('Index migration: EXPLAIN ANALYZE and cache-off throughput, rolled back vs applied');
  const explainAfter = await explainJson(main);
  await setIndexes(main, false);
  const explainBefore = await explainJson(main);
  const beforeScenarios = scenarios.filter((s) =>
    ['mentors', 'mentors-search', 'courses', 'user'].includes(s.id),
  );
  const throughputBefore = await withServer({ ...main.env, CACHE_ENABLED: 'false' }, (server) =>
    measureAll(server, beforeScenarios, 'without indexes'),
  );
  await setIndexes(main, true);

  step('Growth: the same endpoints at smaller data sizes (cache off)');
  const growthScenarios = scenarios.filter((s) => ['mentors', 'courses', 'course'].includes(s.id));
  const growth: BenchResults['growth'] = [];
  for (const lessons of profile.growthLessons.slice(0, -1)) {
    const database = await createBenchDatabase(`growth_${lessons}`, databaseUrl);
    try {
      await seedBenchDatabase(database, scaledData(profile.data, lessons));
      const measured = await withServer({ ...database.env, CACHE_ENABLED: 'false' }, async (server) => {
        const local = await resolveScenarios(server.url);
        return measureAll(
          server,
          local.filter((s) => growthScenarios.some((g) => g.id === s.id)),
          `${lessons} lessons`,
        );
      });
      growth.push({ lessons, measurements: measured });
    } finally {
      await database.drop();
    }
  }
  const offMode = modes.find((m) => m.mode === 'cache-off');
  growth.push({
    lessons: profile.data.lessons ?? 0,
    measurements: offMode?.measurements.filter((m) => growthScenarios.some((g) => g.id === m.scenario)) ?? [],
  });

  if (!pagination) throw new Error('pagination was not measured');
  const results: BenchResults = {
    ...runSummary(profile.name, started, machine),
    settings: {
      connections: profile.connections,
      durationSeconds: profile.durationSeconds,
      warmupSeconds: profile.warmupSeconds,
      ratioRounds: profile.ratioRounds,
      ratioSeconds: profile.ratioSeconds,
    },
    seed: { rows: seed.rows, seconds: seed.seconds },
    scenarios,
    modes,
    statementsBySize,
    bareRatios,
    indexes: { explainBefore, explainAfter, throughputBefore },
    pagination,
    growth,
    skipped,
  };

  const date = results.startedAt.slice(0, 10);
  const resultsDir = join(repositoryRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonFile = join(resultsDir, `${date}-${profile.name}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  const reportFile =
    profile.name === 'full'
      ? join(repositoryRoot, 'docs', 'benchmarks.md')
      : join(resultsDir, `${date}-quick.md`);
  const chartsDir =
    profile.name === 'full'
      ? join(repositoryRoot, 'docs', 'benchmarks')
      : join(resultsDir, `${date}-quick-charts`);
  renderReport(results, reportFile, chartsDir);
  await main.drop();
  step(`Done: ${jsonFile} and ${reportFile}`);
}

async function outbox(): Promise<void> {
  await runOutboxBench(profile.name, databaseUrl);
  // docs/benchmarks.md includes the latest full outbox measurement.
  if (profile.name === 'full') step(`Rendered ${renderLatestFullReport()}`);
}

function chosen(): Promise<unknown> {
  if (values.against)
    return runComparison(profile, values.against, values.only?.split(','), databaseUrl, redisUrl);
  if (values.profile) return runProfiles(profile, values.only?.split(','), databaseUrl, redisUrl);
  if (values.cluster) return runClusterBench(profile);
  return values.scenario === 'outbox' ? outbox() : main();
}

chosen().catch((error: unknown) => {
  console.error(`\n✖ Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
