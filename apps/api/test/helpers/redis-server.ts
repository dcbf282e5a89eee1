import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { freePort } from './local-servers';
import { eventually } from './services';

/** Generous: a busy machine can take seconds to start a process. */
const STARTUP_TIMEOUT_MS = 30_000;

/** A private, memory-only Redis on a free port that a test can stop and start again (same port, empty). */
export class RedisServer {
  private process: ChildProcess | undefined;

  private constructor(
    private readonly executable: string,
    readonly port: number,
  ) {}

  static async create(executable: string): Promise<RedisServer> {
    const server = new RedisServer(executable, await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  /** Starts the server and waits until it answers PING. */
  async start(): Promise<void> {
    const child = spawn(
      this.executable,
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.process = child;
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined); // refusals until the server listens are expected
    try {
      await eventually(async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
        return probe.connect().then(
          () => true,
          () => false,
        );
      }, STARTUP_TIMEOUT_MS);
    } finally {
      probe.disconnect();
    }
  }

  /** Stops the server (SIGTERM) and waits until it has exited: clients see their connections closed. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
