import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GC_BUCKET, NATIVE_BUCKET, NODE_BUCKET, type ProfileSummary } from '../cpu-profile';
import type { Measurement } from '../measure';
import type { RunSummary } from '../results';
import { int, table } from './markdown';
import { missCpuTargetOf } from './report';

export type ProfiledMode = 'cache-off' | 'cache-on';

export interface ProfileResults extends RunSummary {
  settings: {
    connections: number;
    warmupSeconds: number;
    durationSeconds: number;
    samplingIntervalUs: number;
  };
  profiles: {
    mode: ProfiledMode;
    scenario: { id: string; label: string };
    measurement: Measurement;
    summary: ProfileSummary;
  }[];
}

/** Buckets below this share are summed into one row. */
const SMALL_SHARE = 0.01;

const modeTitles: Record<ProfiledMode, string> = {
  'cache-off': 'cache off (a miss: every request reads the database)',
  'cache-on': 'cache on (reads from L1, but what a write invalidated)',
};

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/**
 * The CPU per request the profile's shares divide: the main thread's, which is the thread V8 samples (the whole
 * process's in results saved before the main thread's was recorded).
 */
function sampledThreadMsPerRequest(measurement: Measurement): number {
  const main = measurement.mainThreadMsPerRequest;
  return main ? main.user + main.system : measurement.cpuMsPerRequest;
}

/** A share of the sampled busy time as µs of the main thread's CPU per request over the same run. */
const usPerRequest = (share: number, measurement: Measurement) =>
  (share * sampledThreadMsPerRequest(measurement) * 1000).toFixed(1);

/** Where the process's CPU per request ran: the main thread in user space and in the kernel, other threads. */
function threadSplit(measurement: Measurement): string {
  const main = measurement.mainThreadMsPerRequest;
  if (!main) return '';
  const us = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
  const others = measurement.cpuMsPerRequest - main.user - main.system;
  return ` Per request, the main thread ran ${us(main.user)} in user space and ${us(main.system)} in the kernel; other threads ${us(Math.max(0, others))}.`;
}

function scenarioSection({ mode, scenario, measurement, summary }: ProfileResults['profiles'][number]) {
  const cpu = measurement.cpuMsPerRequest * 1000;
  const target = mode === 'cache-off' ? missCpuTargetOf(scenario.id) : undefined;
  const verdict =
    target === undefined ? '' : `; target ≤ ${String(target)} µs: ${cpu <= target ? 'met' : 'not met'}`;
  const large = summary.buckets.filter((bucket) => bucket.share >= SMALL_SHARE);
  const small = summary.buckets.filter((bucket) => bucket.share < SMALL_SHARE);
  const smallShare = small.reduce((total, bucket) => total + bucket.share, 0);
  const bucketRows = [
    ...large.map((bucket) => [
      `\`${bucket.name}\``,
      percent(bucket.share),
      usPerRequest(bucket.share, measurement),
    ]),
    ...(small.length > 0
      ? [
          [
            `${String(small.length)} more under 1 %`,
            percent(smallShare),
            usPerRequest(smallShare, measurement),
          ],
        ]
      : []),
  ];
  return [
    `### ${scenario.label}, ${modeTitles[mode]}`,
    `${int(measurement.requestsPerSecond)} req/s, **${cpu.toFixed(0)} µs of API CPU per request**${verdict}. ` +
      `${int(summary.samples)} samples: the main thread busy for ${int(summary.busyMs)} ms and idle for ${int(summary.idleMs)} ms of wall time; ` +
      `the process used ${int(measurement.cpuMsPerRequest * measurement.total)} ms of CPU on all its threads.` +
      threadSplit(measurement),
    table(['bucket', 'share', 'µs/request'], bucketRows),
    table(
      ['function (top 10 by self time)', 'where', 'bucket', 'share', 'µs/request'],
      summary.functions.map((fn) => [
        `\`${fn.name}\``,
        fn.location,
        fn.bucket,
        percent(fn.share),
        usPerRequest(fn.share, measurement),
      ]),
    ),
  ];
}

export function renderProfiles(results: ProfileResults, reportFile: string): void {
  const { machine, settings } = results;
  const quick = results.profile === 'quick' ? ' --quick' : '';
  const sections = [
    '# Where the API CPU goes, scenario by scenario',
    `Measured by \`npm run bench -- --profile${quick}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC; raw numbers in \`bench/results/${results.startedAt.slice(0, 10)}-profile${quick ? '-quick' : ''}.json\`. ${machine.cpu} × ${String(machine.cores)}, ${String(machine.memoryGiB)} GiB, ${machine.os}, Node ${machine.node}, ${machine.postgres}, cache: ${machine.redis}; commit ${machine.commit}; load average ${machine.loadAverage.join(' / ')} before → ${results.loadAverageAfter.join(' / ')} after. The ${results.profile} data set; each scenario ${String(settings.warmupSeconds)} s of warm-up, then ${String(settings.durationSeconds)} s profiled with ${String(settings.connections)} connections.`,
    '## How to read it',
    [
      `The built API ran under \`node --cpu-prof\` (a sample every ${String(settings.samplingIntervalUs)} µs), one process per cache mode, loaded by the benchmark's load generator one scenario at a time. A scenario's profile is the samples taken during its measured run; the time spent on top of the stack (self time) is summed by bucket and by function, and idle time is left out.`,
      `- **share** is a bucket's part of the busy time sampled on the main thread; **µs/request** is that share of the main thread's CPU per request, read from \`/proc\` over the same run (user + system time). Each scenario also says how much of that CPU was the kernel's (system time: the sockets' reads and writes, the event loop's waits) and how much ran on other threads (V8's collector and compiler helpers, libuv's pool), which the profile does not sample.`,
      "- V8 samples by the wall clock: busy time is the time the main thread was out of its event loop's wait, including any time it waited for a core. Busy time above the CPU the process used means the machine was short of cores; that waiting is charged to whatever the thread was doing when it lost its core, often a call that woke another process (`writev`'s send wakes the load generator), so read the shares from an idle machine.",
      `- **Buckets**: \`${NATIVE_BUCKET}\` is code with no script: Node's C++ bindings (\`writev\` sends the HTTP responses: most of it kernel time, which over loopback includes the receiving side's), V8's \`(program)\` and built-ins; \`${GC_BUCKET}\` is V8's collector on the main thread; \`${NODE_BUCKET}\` is Node's JavaScript (\`node:*\`: HTTP parsing, streams, timers, AsyncLocalStorage); an npm package by its name (\`fastify\`, \`pg\`, \`kysely\`, \`zod\`, …); the app's own code and workspace packages by module path (\`apps/api/modules/mentors/mentors.reads\`, \`packages/db/…\`).`,
      '- **Functions**: the ten with the most self time, with their file and line. A function that calls into a package is charged only for its own statements; the package gets the rest.',
      '- Profiling slows the process a little, so the CPU per request here is somewhat above the benchmark report’s; compare shares within a profile, and absolute µs between runs of the same machine only.',
    ].join('\n'),
    ...(['cache-off', 'cache-on'] as const).flatMap((mode) => {
      const ofMode = results.profiles.filter((p) => p.mode === mode);
      return ofMode.length === 0 ? [] : [`## ${modeTitles[mode]}`, ...ofMode.flatMap(scenarioSection)];
    }),
  ];
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${sections.join('\n\n')}\n`);
}
