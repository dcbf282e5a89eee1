import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCpuProfile, summarizeCpuProfile, type CpuProfile, type ProfileSummary } from './cpu-profile';
import type { MonotonicWindow } from './measure';
import { repositoryRoot } from './processes';

/**
 * Burns CPU in a function of its own file, then in zod's parsing (a package of the repository's node_modules),
 * and prints its process id and when each phase began and ended on the monotonic clock. It runs bundled with a
 * source map, as the API does.
 */
const burner = `
import { createRequire } from 'node:module';
const { z } = createRequire(process.argv[2])('zod');
const mark = () => Number(process.hrtime.bigint() / 1000n);

function spinInOwnCode(ms) {
  const end = Date.now() + ms;
  let x = 1;
  while (Date.now() < end) for (let i = 0; i < 10000; i++) x = (x * 31 + i) % 1000003;
  return x;
}

const people = z.array(z.object({ name: z.string().min(1), tags: z.array(z.string().max(20)), age: z.number().int() }));
const input = Array.from({ length: 200 }, (_, i) => ({ name: 'Ada', tags: ['a', 'b', String(i)], age: i }));
function parseWithZod(ms) {
  const end = Date.now() + ms;
  let parsed = 0;
  while (Date.now() < end) parsed += people.parse(input).length;
  return parsed;
}

const own = [mark()];
spinInOwnCode(400);
own.push(mark());
const zod = [mark()];
parseWithZod(400);
zod.push(mark());
console.log(JSON.stringify({ pid: process.pid, own, zod }));
`;

const spinLine = burner.split('\n').findIndex((line) => line.includes('function spinInOwnCode')) + 1;

interface Phases {
  pid: number;
  own: MonotonicWindow;
  zod: MonotonicWindow;
}

/** Bundles the burner into `directory`/dist with a source map, runs it under `--cpu-prof` and reads its profile. */
function profileBurner(directory: string): { phases: Phases; profile: CpuProfile } {
  mkdirSync(join(directory, 'src'));
  writeFileSync(join(directory, 'src/burner.ts'), burner);
  execFileSync(join(repositoryRoot, 'node_modules/.bin/esbuild'), [
    join(directory, 'src/burner.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--sourcemap',
    '--log-level=warning',
    `--outfile=${join(directory, 'dist/burner.mjs')}`,
  ]);
  const output = execFileSync(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${directory}`, 'dist/burner.mjs', join(repositoryRoot, 'package.json')],
    { cwd: directory, encoding: 'utf8' },
  );
  const phases = JSON.parse(output) as Phases;
  return { phases, profile: readCpuProfile(directory, phases.pid) };
}

describe('the CPU profile summary', () => {
  const directory = mkdtempSync(join(tmpdir(), 'mentorhub-cpu-profile-test-'));
  let phases: Phases;
  let profile: CpuProfile;
  beforeAll(() => {
    ({ phases, profile } = profileBurner(directory));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  const summarize = (window?: MonotonicWindow): ProfileSummary =>
    summarizeCpuProfile(profile, { root: directory, ...(window && { window }) });
  const share = (summary: ProfileSummary, bucket: string) =>
    summary.buckets.find((b) => b.name === bucket)?.share ?? 0;

  it("puts a loop's self time on its function and on its source file's bucket, through the source map", () => {
    const summary = summarize(phases.own);
    expect(summary.functions[0]).toMatchObject({
      name: 'spinInOwnCode',
      bucket: 'burner',
      location: `src/burner.ts:${String(spinLine)}`,
    });
    expect(share(summary, 'burner')).toBeGreaterThan(0.8);
    expect(share(summary, 'zod')).toBe(0);
  });

  it("puts a package's self time on the package, and only the window's samples in a window", () => {
    const summary = summarize(phases.zod);
    expect(summary.buckets[0]?.name).toBe('zod');
    expect(share(summary, 'zod')).toBeGreaterThan(0.5);
    expect(share(summary, 'burner')).toBeLessThan(0.1);
    expect(summary.functions.filter((f) => f.name === 'spinInOwnCode')).toEqual([]);
  });

  it('leaves idle time out of the shares, which add up to the whole', () => {
    const whole = summarize();
    expect(whole.samples).toBe(profile.samples.length);
    expect(whole.buckets.map((b) => b.name)).toEqual(expect.arrayContaining(['burner', 'zod']));
    expect(whole.buckets.reduce((total, b) => total + b.share, 0)).toBeCloseTo(1, 6);
    expect(whole.buckets.some((b) => b.name.includes('idle'))).toBe(false);
  });
});
