import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findOnPath, freePort, isExecutable } from './local-servers.mjs';
import { asServiceUser, giveToServiceUser } from './service-user';

const run = promisify(execFile);

/** Where Debian's packages put the server binaries, one directory per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

/**
 * The directory holding `initdb`, `pg_ctl` and `postgres`: from the PATH first (symlinks resolved, so pg_ctl finds
 * its siblings), else the newest of Debian's versioned directories.
 */
export async function findPostgresBinaries(): Promise<string | undefined> {
  const hasServer = (dir: string) =>
    ['initdb', 'pg_ctl', 'postgres'].every((name) => isExecutable(path.join(dir, name)));
  const onPath = findOnPath('pg_ctl');
  const resolved = onPath && path.dirname(realpathSync(onPath));
  if (resolved && hasServer(resolved)) return resolved;
  const versions = await readdir(DEBIAN_POSTGRES_ROOT).catch(() => [] as string[]);
  const newest = versions.filter((version) => /^\d+$/.test(version)).sort((a, b) => Number(b) - Number(a));
  return newest.map((version) => path.join(DEBIAN_POSTGRES_ROOT, version, 'bin')).find(hasServer);
}

export interface PostgresClusterOptions {
  /**
   * Off makes start-up and writes fast for tests that restart or kill the server but do not test durability
   * against a power loss; keep it on (the default) when the test is about what survives a crash.
   */
  fsync?: boolean;
  /** Extra server settings (`-c name=value`), e.g. for a primary that streams to replicas. */
  settings?: Record<string, string>;
  /** A directory of its own (kept by `stop()`, e.g. for `npm run cluster`); default: a fresh temporary one. */
  root?: string;
  /** Default: a free port. */
  port?: number;
}

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

/**
 * A private PostgreSQL server (for one test file, or a node of `npm run cluster`): its own data directory and port,
 * owned by the `postgres` user when this process is root (the server refuses to run as root), stopped and removed
 * by `destroy()`.
 */
export class PostgresCluster {
  private constructor(
    private readonly binaries: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly serverOptions: string,
  ) {}

  /** A server whose data directory is (or will be) `<root>/data`; nothing is started. */
  static at(
    binaries: string,
    root: string,
    port: number,
    options: PostgresClusterOptions = {},
  ): PostgresCluster {
    const settings = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: root,
      fsync: options.fsync === false ? 'off' : 'on',
      ...(options.fsync === false && { synchronous_commit: 'off', full_page_writes: 'off' }),
      ...options.settings,
    };
    const serverOptions = [
      `-p ${port}`,
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    return new PostgresCluster(binaries, path.join(root, 'data'), port, serverOptions);
  }

  /** Initializes a data directory on a free port and starts the server on it. */
  static async create(binaries: string, options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
    const root = PostgresCluster.makeRoot(options.root);
    const cluster = PostgresCluster.at(binaries, root, options.port ?? (await freePort()), options);
    const { dataDir } = cluster;
    try {
      await giveToServiceUser(root);
      await cluster.asServiceUser('initdb', [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--no-instructions',
        // The new files are not synced: the tests stop the server, never the machine. The server's own fsync
        // (the setting above) is what keeps acknowledged writes across a crash of the server.
        '--no-sync',
      ]);
      await cluster.start();
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
    return cluster;
  }

  /**
   * A streaming replica of this server (which must run): a base backup taken with `pg_basebackup`, configured to
   * follow this server through a replication slot of its own, started and accepting read-only connections.
   */
  async createReplica(options: PostgresClusterOptions & { slot: string }): Promise<PostgresCluster> {
    const root = PostgresCluster.makeRoot(options.root);
    const replica = PostgresCluster.at(this.binaries, root, options.port ?? (await freePort()), options);
    try {
      await giveToServiceUser(root);
      await replica.asServiceUser('pg_basebackup', [
        ...['-D', replica.dataDir, '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres'],
        // -R writes the standby signal and primary_conninfo; -C -S creates the slot that keeps the WAL it needs.
        ...['-R', '-C', '-S', options.slot, '-X', 'stream', '--checkpoint=fast', '--no-sync'],
      ]);
      await replica.start();
    } catch (error) {
      rmSync(root, { recursive: true, force: true });
      throw error;
    }
    return replica;
  }

  /** Whether the server runs (`pg_ctl status`). */
  async isRunning(): Promise<boolean> {
    return this.asServiceUser('pg_ctl', ['status', '-D', this.dataDir]).then(
      () => true,
      () => false,
    );
  }

  /** postgres:// URL of a database on this server (`postgres` by default). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    await this.asServiceUser('pg_ctl', [
      'start',
      '--wait',
      '-D',
      this.dataDir,
      '-l',
      path.join(path.dirname(this.dataDir), 'server.log'),
      '-o',
      this.serverOptions,
    ]);
  }

  /** `fast` rolls back open transactions and closes every connection; `immediate` is a crash (recovery on start). */
  async stop(mode: ShutdownMode = 'fast'): Promise<void> {
    await this.asServiceUser('pg_ctl', ['stop', '--wait', '-D', this.dataDir, '-m', mode]);
  }

  /** Stops the server if it runs and removes every file it had. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
  }

  private static makeRoot(root: string | undefined): string {
    if (!root) return mkdtempSync(path.join(tmpdir(), 'mentorhub-pg-'));
    if (existsSync(path.join(root, 'data'))) throw new Error(`${root} already holds a data directory`);
    return root;
  }

  /** Runs one of the server's programs, as the `postgres` user when this process is root. */
  private async asServiceUser(program: string, args: string[]): Promise<void> {
    await asServiceUser(run, path.join(this.binaries, program), args);
  }
}
