import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findOnPath, isExecutable } from './local-servers.mjs';
import { findPostgresBinaries } from './postgres-cluster';

const run = promisify(execFile);

export interface Binaries {
  /** The directory of PostgreSQL's server programs (initdb, pg_ctl, postgres, pg_basebackup). */
  postgres: string;
  haproxy: string;
  pgbouncer: string;
  redis: string;
}

/** Daemons live in sbin, which is not on every user's PATH. */
export const findProgram = (name: string): string | undefined =>
  findOnPath(name) ?? ['/usr/sbin', '/usr/bin'].map((dir) => `${dir}/${name}`).find(isExecutable);

async function findBinaries(): Promise<Partial<Binaries>> {
  return {
    postgres: await findPostgresBinaries(),
    haproxy: findProgram('haproxy'),
    pgbouncer: findProgram('pgbouncer'),
    redis: findProgram('redis-server'),
  };
}

/** The Debian package of each program. */
const PACKAGES: Record<keyof Binaries, string> = {
  postgres: 'postgresql',
  haproxy: 'haproxy',
  pgbouncer: 'pgbouncer',
  redis: 'redis-server',
};

/** The programs that are missing, as Debian package names (empty when everything is installed). */
export async function missingPackages(): Promise<string[]> {
  const found = await findBinaries();
  return (Object.keys(PACKAGES) as (keyof Binaries)[])
    .filter((key) => !found[key])
    .map((key) => PACKAGES[key]);
}

/** Every program the cluster runs, installed from Debian's packages first when some are missing (as root). */
export async function ensureBinaries(log: (line: string) => void): Promise<Binaries> {
  const missing = await missingPackages();
  if (missing.length > 0) {
    if (process.getuid?.() !== 0)
      throw new Error(`Missing programs; install them as root: apt-get install -y ${missing.join(' ')}`);
    log(`Installing from Debian: ${missing.join(', ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', ...missing], { env, maxBuffer: 64 * 1024 * 1024 });
  }
  const found = await findBinaries();
  const { postgres, haproxy, pgbouncer, redis } = found;
  if (!postgres || !haproxy || !pgbouncer || !redis)
    throw new Error('Installed packages did not provide every program');
  return { postgres, haproxy, pgbouncer, redis };
}
