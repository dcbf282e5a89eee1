// `npm run bench -- --cluster [--quick]`: the read and mixed scenarios through HAProxy on `npm run cluster`'s
// topology (PgBouncer, PostgreSQL primary and replica, Redis), with 1 and then 2 API processes, on the bench's
// seeded data; CPU of every piece is read around each measured run to show what saturates first, the replica's lag
// is sampled while the load writes, and one more run stops the replica in its middle to time the fallback.
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from '../../ops/cluster/cluster';
import { seedBenchDatabase } from './databases';
import { describeMachine } from './machine';
import { measure, type LoadTarget, type Measurement } from './measure';
import { BENCH_API_SETTINGS, repositoryRoot, resourcesOf } from './processes';
import { measureReplicaOutage, sampleReplicationLag } from './replica';
import { runSummary, saveResults } from './results';
import type { BenchProfile } from './profiles';
import { progressLog } from './progress';
import { renderClusterReport, type ClusterResults, type ClusterRun } from './report/cluster-report';
import { mixedScenario, resolveScenarios, type Scenario } from './scenarios';

/** The application database of `npm run cluster`. */
const DATABASE = 'mentorhub';
const API_PROCESS_COUNTS = [1, 2];
const CACHE_OFF = { CACHE_ENABLED: 'false' };
const CACHE_MODES: { mode: ClusterRun['mode']; env: Record<string, string> }[] = [
  { mode: 'cache-on', env: {} },
  { mode: 'cache-off', env: CACHE_OFF },
];
/** The replica outage run: every read reaches the database, spread over two processes. */
const OUTAGE_API_PROCESSES = 2;

/** CPU time every core of the machine has been busy so far (all processes, from /proc/stat). */
function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal: all but idle and iowait is work.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) * 10;
}

function cpuMsOf(pids: (number | undefined)[]): number {
  let total = 0;
  for (const pid of pids) {
    if (pid === undefined) continue;
    try {
      total += resourcesOf(pid).cpuMs;
    } catch {
      // exited since it was listed
    }
  }
  return total;
}

/** Processes of a PostgreSQL server: the server and its backends work in its data directory. */
function pidsWorkingIn(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dataDir;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Where the load goes (HAProxy), the API processes behind it, and the CPU of every other piece. */
function loadTarget(cluster: Cluster): LoadTarget {
  const api = cluster.processes('api').map(({ port, pid }) => {
    if (!pid) throw new Error(`the API process on port ${String(port)} is not running`);
    return { pid, url: `http://127.0.0.1:${String(port)}` };
  });
  return {
    url: cluster.url,
    processes: api,
    componentCpuMs: () => ({
      HAProxy: cpuMsOf([cluster.haproxy.pid()]),
      PgBouncer: cpuMsOf([cluster.pgbouncer.pid()]),
      'PostgreSQL primary': cpuMsOf(pidsWorkingIn(cluster.primary.dataDir)),
      'PostgreSQL replica': cpuMsOf(pidsWorkingIn(cluster.replica.dataDir)),
      Redis: cpuMsOf([cluster.redis.pid()]),
      machine: machineBusyMs(),
    }),
    sampleReplicationLag: () => sampleReplicationLag(cluster.primary.url()),
  };
}

export async function runClusterBench(profile: BenchProfile): Promise<void> {
  const started = Date.now();
  const { step, item } = progressLog(started);
  const dir = mkdtempSync(join(tmpdir(), 'mentorhub-bench-cluster-'));
  const apiEnv = {
    ...BENCH_API_SETTINGS,
    // The origin the mixed scenario's profile edits come from.
    ALLOWED_ORIGINS: 'http://localhost:3000',
  };
  const start = (apiProcesses: number, env: Record<string, string>, build = false) =>
    Cluster.start({ dir, apiProcesses, webProcesses: 0, apiEnv: { ...apiEnv, ...env }, build }, step);
  let cluster = await start(1, {}, !existsSync(join(repositoryRoot, 'apps/api/dist/server.js')));
  const runs: ClusterRun[] = [];
  let scenarios: Scenario[] = [];
  try {
    const machine = await describeMachine(cluster.primary.url(DATABASE), cluster.redis.url);
    step(`Seeding the ${profile.name} data set (${profile.data.lessons?.toLocaleString('en')} lessons)`);
    const seed = await seedBenchDatabase(
      {
        label: 'cluster',
        env: { DATABASE_URL: cluster.primary.url(DATABASE) },
        drop: () => Promise.resolve(),
      },
      profile.data,
    );
    // Every run starts from a stopped cluster: empty caches, and processes that never saw the empty database.
    await cluster.stop(step);
    for (const { mode, env } of CACHE_MODES) {
      for (const apiProcesses of API_PROCESS_COUNTS) {
        const label = `${mode}, ${String(apiProcesses)} API process${apiProcesses > 1 ? 'es' : ''}`;
        step(label);
        cluster = await start(apiProcesses, env);
        if (scenarios.length === 0) {
          const reads = await resolveScenarios(cluster.url, Math.max(2, Math.floor(profile.deepPage / 2)));
          scenarios = [...reads, await mixedScenario(cluster.url, reads, join(dir, 'data', 'mail'))];
        }
        const target = loadTarget(cluster);
        const measurements: Measurement[] = [];
        for (const [index, scenario] of scenarios.entries()) {
          item(index + 1, scenarios.length, scenario.label);
          measurements.push(await measure(target, scenario, profile, `${label} ${scenario.label}`));
        }
        runs.push({ mode, apiProcesses, measurements });
        await cluster.stop(step);
      }
    }
    const mixed = scenarios.find((scenario) => scenario.kind === 'mixed');
    if (!mixed) throw new Error('the mixed scenario was not resolved');
    step(`Replica outage: cache-off, ${String(OUTAGE_API_PROCESSES)} API processes, ${mixed.label}`);
    cluster = await start(OUTAGE_API_PROCESSES, CACHE_OFF);
    const replicaOutage = await measureReplicaOutage(
      cluster,
      loadTarget(cluster),
      mixed,
      profile,
      `replica outage ${mixed.label}`,
    );
    await cluster.stop(step);
    const results: ClusterResults = {
      ...runSummary(profile.name, started, machine),
      settings: {
        connections: profile.connections,
        durationSeconds: profile.durationSeconds,
        warmupSeconds: profile.warmupSeconds,
      },
      seed: { rows: seed.rows, seconds: seed.seconds },
      scenarios,
      runs,
      replicaOutage,
    };
    const { jsonFile, reportFile } = saveResults(
      results,
      'cluster',
      profile.name,
      'cluster-scaling.md',
      renderClusterReport,
    );
    step(`Done: ${jsonFile} and ${reportFile}`);
  } finally {
    await (await Cluster.open(dir))?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
