// Reads the `.cpuprofile` files `node --cpu-prof` writes and sums their self time by where the code lives: the
// app's own modules, each npm package, Node's internals, native code and the garbage collector.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MonotonicWindow } from './measure';

/** A function's frame: its name and where its code starts (0-based line and column). */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

/** The parts of V8's CPU profile format (Chrome DevTools protocol `Profiler.Profile`) read here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  /** Monotonic clock, µs. */
  startTime: number;
  endTime: number;
  /** The node on top of the stack at each sample. */
  samples: number[];
  /** µs from the previous sample (the first: from `startTime`). */
  timeDeltas: number[];
}

/** Where self time went, as a share of the busy (non-idle) time sampled. */
export interface TimeShare {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  /** Busy time sampled in the window: everything but `(idle)`. */
  busyMs: number;
  idleMs: number;
  samples: number;
  /** Every bucket, largest first. */
  buckets: TimeShare[];
  /** The functions with the most self time, largest first, each with its source file and line and its bucket. */
  functions: (TimeShare & { location: string; bucket: string })[];
}

/** Buckets that are not a file's: V8's pseudo-frames and native code. */
export const NATIVE_BUCKET = 'native (bindings, kernel I/O, (program))';
export const GC_BUCKET = 'garbage collector';
export const NODE_BUCKET = 'node (internals)';

/** Where a frame's code comes from: its bucket, and its file and line for people to open. */
interface Origin {
  bucket: string;
  location: string;
}

/** A script's path: V8 names ES modules by `file://` URL and CommonJS files by path. */
function pathOf(url: string): string {
  return url.startsWith('file://') ? fileURLToPath(url) : url;
}

/**
 * Finds the origin of frames. The app's bundles (`apps/api/dist/*.js`) are read through their source maps, so their
 * code is charged to the module it was written in: `apps/api/modules/users/users.reads` for
 * `apps/api/src/modules/users/users.reads.ts`, `packages/db/connect` for a workspace package's.
 */
class OriginFinder {
  private readonly sourceMaps = new Map<string, SourceMap | null>();

  constructor(private readonly root: string) {}

  /**
   * The garbage collector, native code, Node's internals, the npm package a file belongs to (its innermost
   * `node_modules` folder), or a module of `root` by its path without `src/` or `dist/` folder and extension.
   */
  of({ functionName, url, lineNumber, columnNumber }: CallFrame): Origin {
    if (functionName === '(garbage collector)') return { bucket: GC_BUCKET, location: '' };
    if (url === '') return { bucket: NATIVE_BUCKET, location: '' };
    const line = (n: number) => `:${String(n + 1)}`;
    if (url.startsWith('node:')) return { bucket: NODE_BUCKET, location: `${url}${line(lineNumber)}` };
    const path = pathOf(url);
    const packagePath = path.split('/node_modules/').at(-1) ?? '';
    if (packagePath !== path) {
      const [scopeOrName = '', name = ''] = packagePath.split('/');
      const bucket = scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
      return { bucket, location: `${packagePath}${line(lineNumber)}` };
    }
    if (!isAbsolute(path) || relative(this.root, path).startsWith('..'))
      return { bucket: `other: ${path}`, location: `${path}${line(lineNumber)}` };
    const original = this.sourceMapOf(path)?.findEntry(lineNumber, columnNumber);
    const source =
      original && 'originalSource' in original
        ? { file: join(dirname(path), original.originalSource), line: original.originalLine }
        : { file: path, line: lineNumber };
    const own = relative(this.root, source.file);
    return {
      bucket: own.replace(/(^|\/)(src|dist)\//, '$1').replace(/\.[cm]?[jt]sx?$/, ''),
      location: `${own}${line(source.line)}`,
    };
  }

  private sourceMapOf(path: string): SourceMap | null {
    if (!this.sourceMaps.has(path)) {
      const mapFile = `${path}.map`;
      this.sourceMaps.set(
        path,
        existsSync(mapFile)
          ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload)
          : null,
      );
    }
    return this.sourceMaps.get(path) ?? null;
  }
}

/** The self time of every sample, by node: up to the next sample, the last up to the profile's end. */
function sampleDurations(profile: CpuProfile): { node: number; at: number; us: number }[] {
  const stamps: number[] = [];
  let at = profile.startTime;
  for (const delta of profile.timeDeltas) stamps.push((at += delta));
  return profile.samples.map((node, i) => ({
    node,
    at: stamps[i] ?? at,
    us: (stamps[i + 1] ?? profile.endTime) - (stamps[i] ?? at),
  }));
}

function shares(totals: Map<string, number>, busyUs: number): TimeShare[] {
  return [...totals]
    .map(([name, us]) => ({ name, ms: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
}

/** Self time by bucket and by function of the samples taken in `window` (all of them without one). */
export function summarizeCpuProfile(
  profile: CpuProfile,
  { root, window, top = 10 }: { root: string; window?: MonotonicWindow; top?: number },
): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const origins = new OriginFinder(root);
  const byBucket = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const functionInfo = new Map<string, Origin & { name: string }>();
  let busyUs = 0;
  let idleUs = 0;
  let samples = 0;
  for (const { node, at, us } of sampleDurations(profile)) {
    if (window && (at < window[0] || at >= window[1])) continue;
    const frame = frames.get(node);
    if (!frame) continue;
    samples++;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const key = `${frame.functionName} ${frame.url}:${String(frame.lineNumber)}:${String(frame.columnNumber)}`;
    let info = functionInfo.get(key);
    if (!info) {
      info = { name: frame.functionName || '(anonymous)', ...origins.of(frame) };
      functionInfo.set(key, info);
    }
    byBucket.set(info.bucket, (byBucket.get(info.bucket) ?? 0) + us);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    samples,
    buckets: shares(byBucket, busyUs),
    functions: shares(byFunction, busyUs)
      .slice(0, top)
      .map((entry) => {
        const info = functionInfo.get(entry.name);
        if (!info) throw new Error(`no frame recorded for ${entry.name}`);
        return { ...entry, ...info };
      }),
  };
}

/**
 * The profile of the main thread of process `pid` in `directory`, as `--cpu-prof` names it
 * (`CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile`, thread 0 the main one).
 */
export function readCpuProfile(directory: string, pid: number): CpuProfile {
  const file = readdirSync(directory).find((name) => name.includes(`.${String(pid)}.0.`));
  if (!file)
    throw new Error(`no CPU profile of process ${String(pid)} in ${directory}: did it exit cleanly?`);
  return JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile;
}
