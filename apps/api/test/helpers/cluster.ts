import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { missingPackages } from '../../../../ops/cluster/debian';

/**
 * Whether the cluster tests (`*.cluster.test.ts`, `npm run cluster`'s topology) can run here: they run in the
 * PostgreSQL + Redis pass; without HAProxy, PgBouncer, Redis or PostgreSQL's server programs they are skipped with
 * a message, and CI fails instead.
 */
export async function clusterCanRun(): Promise<boolean> {
  if (!process.env.DATABASE_URL) {
    console.warn('Skipping cluster tests: they run in the PostgreSQL + Redis pass (set DATABASE_URL).');
    return false;
  }
  const missing = await missingPackages();
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`CI requires these Debian packages: ${missing.join(', ')}`);
  console.warn(
    `Skipping cluster tests: install ${missing.join(' ')} (apt-get install -y ${missing.join(' ')}).`,
  );
  return false;
}

/**
 * Processes that belong to the cluster in `dir`: their command line, environment or working directory names it
 * (PostgreSQL's data directories, PgBouncer's and HAProxy's configuration, the API processes' DATA_DIR, Redis's
 * working directory).
 */
export function processesOf(dir: string): { pid: number; command: string }[] {
  // '' when the process exited meanwhile, or is not ours to inspect.
  const read = (pid: string, file: string) => {
    try {
      return file === 'cwd' ? readlinkSync(`/proc/${pid}/cwd`) : readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => ['cmdline', 'environ', 'cwd'].some((file) => read(pid, file).includes(dir)))
    .map((pid) => ({ pid: Number(pid), command: read(pid, 'cmdline').replaceAll('\0', ' ').trim() }));
}
