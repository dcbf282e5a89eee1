import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findOnPath, freePort, isExecutable } from './local-servers';

const run = promisify(execFile);

/** Where Debian's packages put the server binaries, one directory per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
const SERVICE_USER = 'postgres';

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
}

export type ShutdownMode = 'smart' | 'fast' | 'immediate';

/**
 * A private PostgreSQL server for one test file: its own data directory and port, owned by the `postgres` user
 * when the tests run as root (the server refuses to run as root), stopped and removed by `destroy()`.
 */
export class PostgresCluster {
  private constructor(
    private readonly binaries: string,
    readonly dataDir: string,
    readonly port: number,
    private readonly serverOptions: string,
  ) {}

  /** Initializes a data directory on a free port and starts the server on it. */
  static async create(binaries: string, options: PostgresClusterOptions = {}): Promise<PostgresCluster> {
    const root = mkdtempSync(path.join(tmpdir(), 'mentorhub-pg-'));
    const dataDir = path.join(root, 'data');
    const settings = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: root,
      fsync: options.fsync === false ? 'off' : 'on',
      ...(options.fsync === false && { synchronous_commit: 'off', full_page_writes: 'off' }),
      ...options.settings,
    };
    const port = await freePort();
    const serverOptions = [
      `-p ${port}`,
      ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    const cluster = new PostgresCluster(binaries, dataDir, port, serverOptions);
    try {
      await cluster.ownRootDirectory(root);
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

  private async ownRootDirectory(root: string): Promise<void> {
    if (process.getuid?.() !== 0) return;
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', SERVICE_USER]),
      run('id', ['-g', SERVICE_USER]),
    ]);
    chownSync(root, Number(uid), Number(gid));
    if (statSync(root).uid !== Number(uid)) throw new Error(`${root} could not be given to ${SERVICE_USER}`);
  }

  /** Runs one of the server's programs, as the `postgres` user when this process is root. */
  private async asServiceUser(program: string, args: string[]): Promise<void> {
    const executable = path.join(this.binaries, program);
    const [command, commandArgs] =
      process.getuid?.() === 0
        ? ['runuser', ['-u', SERVICE_USER, '--', executable, ...args]]
        : [executable, args];
    await run(command, commandArgs, { cwd: tmpdir() });
  }
}
