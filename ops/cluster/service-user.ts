import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * PostgreSQL and PgBouncer refuse to run as root: when this process is root they run as the `postgres` user
 * (which Debian's packages create), in directories it owns.
 */
export const SERVICE_USER = 'postgres';

const isRoot = () => process.getuid?.() === 0;

/** Creates `dir` if needed and, when this process is root, gives it to the service user. */
export async function giveToServiceUser(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (!isRoot()) return;
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    run('id', ['-u', SERVICE_USER]),
    run('id', ['-g', SERVICE_USER]),
  ]);
  chownSync(dir, Number(uid), Number(gid));
  if (statSync(dir).uid !== Number(uid)) throw new Error(`${dir} could not be given to ${SERVICE_USER}`);
}

/** Runs a program as the service user when this process is root, else as this process's user. */
export async function asServiceUser(
  runner: typeof run,
  executable: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  const [command, commandArgs] = isRoot()
    ? ['runuser', ['-u', SERVICE_USER, '--', executable, ...args]]
    : [executable, args];
  return runner(command, commandArgs, { cwd: tmpdir() });
}
