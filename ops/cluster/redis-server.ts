import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { eventually, freePort } from './local-servers.mjs';
import { isAlive, livePid, startDaemon, stopProcess } from './processes';

/** Generous: a busy machine can take seconds to start a process. */
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * A private, memory-only Redis on its own port, run as a daemon with its pid and log in a directory of its own: a
 * test can stop and start it again (same port, empty), and `npm run cluster` finds it again after it exits.
 */
export class RedisServer {
  private constructor(
    private readonly executable: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a server on a free port (or `port`) in a fresh temporary directory (or `dir`). */
  static async create(
    executable: string,
    options: { port?: number; dir?: string } = {},
  ): Promise<RedisServer> {
    const server = RedisServer.at(executable, options.port ?? (await freePort()), options.dir);
    await server.start();
    return server;
  }

  /** A server that keeps its pid and log in `dir`, started or not. */
  static at(
    executable: string,
    port: number,
    dir = mkdtempSync(path.join(tmpdir(), 'mentorhub-redis-')),
  ): RedisServer {
    return new RedisServer(executable, port, dir);
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  private get pidFile(): string {
    return path.join(this.dir, 'redis.pid');
  }

  pid(): number | undefined {
    return livePid(this.pidFile);
  }

  /** Starts the server and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.pid()) return;
    mkdirSync(this.dir, { recursive: true });
    const pid = startDaemon({
      command: this.executable,
      // Its working directory is its own (nothing is saved there): the process is recognisably this server's.
      args: [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--save', '', '--appendonly', 'no'],
      ],
      logFile: path.join(this.dir, 'redis.log'),
    });
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined); // refusals until the server listens are expected
    try {
      await eventually(async () => {
        if (!isAlive(pid)) throw new Error(`redis-server exited (see ${this.dir}/redis.log)`);
        return probe.connect().then(
          () => true,
          () => false,
        );
      }, STARTUP_TIMEOUT_MS);
    } finally {
      probe.disconnect();
    }
    writeFileSync(this.pidFile, `${pid}\n`);
  }

  /** Stops the server (SIGTERM) and waits until it has exited: clients see their connections closed. */
  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid) await stopProcess(pid);
  }
}
