import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
  commit: string;
  loadAverage: number[];
}

async function postgresVersion(url: string | undefined): Promise<string> {
  if (!url) return 'embedded PGlite (no DATABASE_URL)';
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'}`;
  } finally {
    await client.end();
  }
}

async function redisVersion(url: string | undefined): Promise<string> {
  if (!url) return 'none (no REDIS_URL): in-process cache only';
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    return `Redis ${/redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?'}`;
  } finally {
    redis.disconnect();
  }
}

/** The commit checked out in `checkout` (this repository by default). */
export function gitCommit(checkout = '.'): string {
  try {
    return execFileSync('git', ['-C', checkout, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(
  databaseUrl: string | undefined,
  redisUrl: string | undefined,
): Promise<MachineInfo> {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: await postgresVersion(databaseUrl),
    redis: await redisVersion(redisUrl),
    commit: gitCommit(),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}
