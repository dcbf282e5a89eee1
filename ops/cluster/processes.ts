import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { eventually } from './local-servers.mjs';

export interface DaemonSpec {
  command: string;
  args: string[];
  /** Output and errors are appended here. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Starts a process that outlives this one (a session of its own, output to its log file) and returns its pid. */
export function startDaemon(spec: DaemonSpec): number {
  const log = openSync(spec.logFile, 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
      cwd: spec.cwd,
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.command} did not start`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid a daemon wrote to `pidFile`, while that process lives; undefined when there is no file or no process. */
export function livePid(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  return pid > 0 && isAlive(pid) ? pid : undefined;
}

/** Sends `signal` and waits until the process has exited. */
export async function stopProcess(
  pid: number,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 60_000,
): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, signal);
  await eventually(() => !isAlive(pid), timeoutMs);
}
