import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findWorkspaceRoot, migrateToLatest, openDatabase, plannerSettingsStatements } from '@mentorhub/db';
import pg from 'pg';
import { ensureBinaries, type Binaries } from './debian';
import { HAProxy, type Backend, type ServerState } from './haproxy';
import { eventually, freePort } from './local-servers.mjs';
import { PgBouncer } from './pgbouncer';
import { PostgresCluster } from './postgres-cluster';
import { isAlive, startDaemon, stopProcess } from './processes';
import { RedisServer } from './redis-server';

const run = promisify(execFile);
const root = findWorkspaceRoot();

/** The application database on the primary (reached through PgBouncer under the same name). */
const DATABASE = 'mentorhub';
const REPLICATION_SLOT = 'replica1';
/** A process that has not answered its health check after this long failed to start (it builds caches, seeds). */
const PROCESS_START_TIMEOUT_MS = 180_000;

export interface ClusterOptions {
  /** Everything the cluster keeps: data, configuration, logs, pids. */
  dir: string;
  apiProcesses: number;
  webProcesses: number;
  /** The port HAProxy listens on, chosen at the first start (default: a free one). */
  port?: number;
  /** Extra environment of the API processes (e.g. rate limits for a load test). */
  apiEnv?: Record<string, string>;
  /** Build the API (and the web app, when it runs) first; off when the build is known to be current. */
  build?: boolean;
}

/** What `start` chose, kept in `<dir>/cluster.json` so `stop`, `status` and `rolling-restart` find every piece. */
interface ClusterState {
  ports: { haproxy: number; primary: number; replica: number; pgbouncer: number; redis: number };
  apiPorts: number[];
  webPorts: number[];
  apiPids: (number | null)[];
  webPids: (number | null)[];
  apiEnv: Record<string, string>;
  /** Secrets every API process must share (production refuses to start without them), made once per cluster. */
  secrets: { unsubscribe: string };
}

export interface ClusterStatus {
  url: string;
  haproxy: {
    pid: number | undefined;
    servers: ServerState[];
  };
  processes: { backend: Backend; index: number; port: number; pid: number | null; alive: boolean }[];
  primary: { url: string; running: boolean; replication: Record<string, unknown>[] };
  replica: {
    url: string;
    running: boolean;
    inRecovery: boolean | null;
    replayLsn: string | null;
    lagSeconds: number | null;
  };
  pgbouncer: { url: string; pid: number | undefined };
  redis: { url: string; pid: number | undefined };
}

/**
 * The whole topology on this machine: HAProxy → N API and N web processes; PostgreSQL primary with a streaming
 * replica (its own clusters, not the machine's); PgBouncer in transaction mode in front of the primary; Redis.
 */
export class Cluster {
  private constructor(
    readonly dir: string,
    private readonly binaries: Binaries,
    private readonly state: ClusterState,
  ) {}

  /**
   * Starts every piece not running yet (a stopped cluster starts again with its data). When a piece fails to
   * start, the whole cluster is stopped before the error is thrown, so no process of a failed start survives.
   */
  static async start(
    options: ClusterOptions,
    log: (line: string) => void = () => undefined,
  ): Promise<Cluster> {
    const binaries = await ensureBinaries(log);
    mkdirSync(options.dir, { recursive: true });
    // PostgreSQL and PgBouncer run as another user: they must be able to reach their directories inside it.
    chmodSync(options.dir, 0o755);
    const previous = Cluster.readState(options.dir);
    const ports = async (count: number, kept: number[] | undefined) => {
      const list = kept?.slice(0, count) ?? [];
      while (list.length < count) list.push(await freePort());
      return list;
    };
    const state: ClusterState = {
      ports: previous?.ports ?? {
        haproxy: options.port ?? (await freePort()),
        primary: await freePort(),
        replica: await freePort(),
        pgbouncer: await freePort(),
        redis: await freePort(),
      },
      apiPorts: await ports(options.apiProcesses, previous?.apiPorts),
      webPorts: await ports(options.webProcesses, previous?.webPorts),
      apiPids: previous?.apiPids ?? [],
      webPids: previous?.webPids ?? [],
      apiEnv: options.apiEnv ?? previous?.apiEnv ?? {},
      secrets: previous?.secrets ?? { unsubscribe: randomBytes(32).toString('hex') },
    };
    const cluster = new Cluster(options.dir, binaries, state);
    cluster.saveState();
    try {
      await cluster.startDatabases(log);
      if (options.build !== false) {
        log(`Building the API${state.webPorts.length > 0 ? ' and the web app' : ''}`);
        await run('npm', ['run', 'build', '--workspace', '@mentorhub/api'], {
          cwd: root,
          maxBuffer: 64 << 20,
        });
        if (state.webPorts.length > 0)
          await run('npm', ['run', 'build', '--workspace', '@mentorhub/web'], {
            cwd: root,
            maxBuffer: 64 << 20,
          });
      }
      // Migrated once, on the primary itself: the API processes then start on a current schema at the same time.
      const database = await openDatabase({
        url: cluster.primary.url(DATABASE),
        dataDir: 'memory://',
        poolSize: 1,
      });
      try {
        await migrateToLatest(database.db);
      } finally {
        await database.close();
      }
      // The first API process alone seeds the demo data of an empty database; the others start after it.
      for (let index = 0; index < state.apiPorts.length; index++)
        await cluster.startProcess('api', index, log);
      for (let index = 0; index < state.webPorts.length; index++)
        await cluster.startProcess('web', index, log);
      log('Starting HAProxy');
      await cluster.haproxy.start();
    } catch (error) {
      // Nothing started by a failed attempt may outlive it: stray servers would hold its ports and data.
      log('Start failed: stopping every piece of the cluster');
      await cluster.stop(log).catch((stopError: unknown) => {
        log(`Stopping after the failed start failed too: ${String(stopError)}`);
      });
      throw error;
    }
    return cluster;
  }

  /** The cluster kept in `dir`, or undefined when none was started there. */
  static async open(dir: string): Promise<Cluster | undefined> {
    const state = Cluster.readState(dir);
    if (!state) return undefined;
    return new Cluster(dir, await ensureBinaries(() => undefined), state);
  }

  get url(): string {
    return this.haproxy.url;
  }

  /** The application database through PgBouncer, as the API processes reach it. */
  get databaseUrl(): string {
    return this.pgbouncer.url(DATABASE);
  }

  get primary(): PostgresCluster {
    return PostgresCluster.at(
      this.binaries.postgres,
      path.join(this.dir, 'primary'),
      this.state.ports.primary,
    );
  }

  get replica(): PostgresCluster {
    return PostgresCluster.at(
      this.binaries.postgres,
      path.join(this.dir, 'replica'),
      this.state.ports.replica,
    );
  }

  get pgbouncer(): PgBouncer {
    return new PgBouncer(this.binaries.pgbouncer, {
      dir: path.join(this.dir, 'pgbouncer'),
      port: this.state.ports.pgbouncer,
      server: { host: '127.0.0.1', port: this.state.ports.primary },
    });
  }

  get redis(): RedisServer {
    return RedisServer.at(this.binaries.redis, this.state.ports.redis, path.join(this.dir, 'redis'));
  }

  get haproxy(): HAProxy {
    return new HAProxy(this.binaries.haproxy, {
      dir: path.join(this.dir, 'haproxy'),
      port: this.state.ports.haproxy,
      apiPorts: this.state.apiPorts,
      webPorts: this.state.webPorts,
    });
  }

  /** Ports and pids of the processes behind HAProxy. */
  processes(backend: Backend): { port: number; pid: number | null }[] {
    const ports = backend === 'api' ? this.state.apiPorts : this.state.webPorts;
    const pids = backend === 'api' ? this.state.apiPids : this.state.webPids;
    return ports.map((port, index) => ({ port, pid: pids[index] ?? null }));
  }

  /** Sends a signal to one process behind HAProxy (SIGKILL: a crash) and waits until it has exited. */
  async kill(backend: Backend, index: number, signal: NodeJS.Signals): Promise<void> {
    const pid = this.processes(backend)[index]?.pid;
    if (pid) await stopProcess(pid, signal);
  }

  /**
   * Replaces every API process, then every web process, one at a time: HAProxy stops sending it requests, it
   * finishes those in progress (an API process also closes its live sockets with "going away", and their clients
   * reconnect through HAProxy to another one) and exits; its successor starts on the same port and takes requests
   * once its health check passes.
   */
  async rollingRestart(log: (line: string) => void = () => undefined): Promise<void> {
    const haproxy = this.haproxy;
    for (const backend of ['api', 'web'] as const) {
      for (let index = 0; index < this.processes(backend).length; index++) {
        log(`Replacing ${backend} process ${index + 1}`);
        await haproxy.setState(backend, index, 'drain');
        // SIGTERM only once HAProxy has no request in progress there that it could not retry elsewhere: the web
        // server stops at once, and an API process answers a request arriving while it closes with 503, which
        // HAProxy retries for idempotent requests only (writes go through `api_writes`; live sockets in `api`
        // are told to reconnect).
        const proxy = backend === 'api' ? 'api_writes' : 'web';
        await eventually(async () => (await haproxy.server(proxy, index))?.current === 0, 60_000);
        await this.kill(backend, index, 'SIGTERM');
        await this.startProcess(backend, index, log);
        await haproxy.setState(backend, index, 'ready');
        await eventually(async () => (await haproxy.server(backend, index))?.status === 'UP', 60_000);
      }
    }
  }

  /**
   * Stops everything, in the reverse order of start; the data stays for the next start. Each piece is stopped even
   * when stopping another failed (the failures are thrown together afterwards).
   */
  async stop(log: (line: string) => void = () => undefined): Promise<void> {
    const failures: unknown[] = [];
    const attempt = async (step: () => Promise<unknown>) => {
      await step().catch((error: unknown) => failures.push(error));
    };
    log('Stopping HAProxy');
    await attempt(() => this.haproxy.stop());
    for (const backend of ['web', 'api'] as const) {
      log(`Stopping the ${backend} processes`);
      await Promise.all(
        this.processes(backend).map((_, index) => attempt(() => this.kill(backend, index, 'SIGTERM'))),
      );
    }
    log('Stopping PgBouncer, Redis, the replica and the primary');
    await attempt(() => this.pgbouncer.stop());
    await attempt(() => this.redis.stop());
    for (const server of [this.replica, this.primary])
      await attempt(async () => {
        if (await server.isRunning()) await server.stop('fast');
      });
    if (failures.length > 0) throw new AggregateError(failures, 'some pieces of the cluster did not stop');
  }

  /** Stops everything and removes the cluster's directory. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async status(): Promise<ClusterStatus> {
    const haproxy = this.haproxy;
    const haproxyPid = haproxy.pid();
    const primaryRunning = await this.primary.isRunning();
    const replicaRunning = await this.replica.isRunning();
    return {
      url: this.url,
      haproxy: { pid: haproxyPid, servers: haproxyPid ? await haproxy.servers() : [] },
      processes: (['api', 'web'] as const).flatMap((backend) =>
        this.processes(backend).map(({ port, pid }, index) => ({
          backend,
          index,
          port,
          pid,
          alive: pid !== null && isAlive(pid),
        })),
      ),
      primary: {
        url: this.primary.url(DATABASE),
        running: primaryRunning,
        replication: primaryRunning
          ? await query(
              this.primary.url(),
              `SELECT application_name, state, sync_state, replay_lsn::text,
                      pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS replay_lag_bytes
               FROM pg_stat_replication`,
            )
          : [],
      },
      replica: {
        url: this.replica.url(DATABASE),
        running: replicaRunning,
        ...(replicaRunning
          ? ((
              await query(
                this.replica.url(),
                `SELECT pg_is_in_recovery() AS "inRecovery", pg_last_wal_replay_lsn()::text AS "replayLsn",
                        extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float AS "lagSeconds"`,
              )
            )[0] as { inRecovery: boolean; replayLsn: string | null; lagSeconds: number | null })
          : { inRecovery: null, replayLsn: null, lagSeconds: null }),
      },
      pgbouncer: { url: this.databaseUrl, pid: this.pgbouncer.pid() },
      redis: { url: this.redis.url, pid: this.redis.pid() },
    };
  }

  private async startDatabases(log: (line: string) => void): Promise<void> {
    const primary = this.primary;
    if (!existsSync(primary.dataDir)) {
      log('Creating the PostgreSQL primary');
      await PostgresCluster.create(this.binaries.postgres, {
        root: path.dirname(primary.dataDir),
        port: this.state.ports.primary,
      });
    } else if (!(await primary.isRunning())) await primary.start();
    const { length: exists } = await query(
      this.primary.url(),
      `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`,
    );
    if (!exists) {
      await query(this.primary.url(), `CREATE DATABASE ${DATABASE}`);
      for (const statement of plannerSettingsStatements(DATABASE)) await query(this.primary.url(), statement);
    }

    const replica = this.replica;
    if (!existsSync(replica.dataDir)) {
      log('Creating the streaming replica (pg_basebackup)');
      await primary.createReplica({
        root: path.dirname(replica.dataDir),
        port: this.state.ports.replica,
        slot: REPLICATION_SLOT,
      });
    } else if (!(await replica.isRunning())) await replica.start();

    log('Starting PgBouncer and Redis');
    await this.pgbouncer.start();
    await this.redis.start();
  }

  private processEnv(backend: Backend, port: number): NodeJS.ProcessEnv {
    const origin = this.url;
    if (backend === 'web')
      return {
        ...process.env,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        HOSTNAME: '127.0.0.1',
        PORT: String(port),
        // The web servers reach the API through the load balancer too.
        API_URL: origin,
      };
    return {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: path.join(this.dir, 'data'),
      DATABASE_URL: this.databaseUrl,
      DATABASE_TRANSACTION_POOLING: 'true',
      // Cache-miss reads go to the replica directly: a refused connection (replica down) falls back to the primary
      // at once, where a pooler would accept the client and hold it until its own connection attempt failed.
      DATABASE_REPLICA_URL: this.replica.url(DATABASE),
      REDIS_URL: this.redis.url,
      // HAProxy and the web servers run on this machine: their X-Forwarded-For names the visitor.
      TRUST_PROXY: '127.0.0.1',
      ALLOWED_ORIGINS: `${origin},http://localhost:${this.state.ports.haproxy}`,
      WEB_APP_URL: `http://localhost:${this.state.ports.haproxy}`,
      // Plain HTTP on this machine; a deployment behind TLS keeps the production default.
      SECURE_COOKIES: 'false',
      SEED_DEMO_DATA: 'true',
      UNSUBSCRIBE_SECRET: this.state.secrets.unsubscribe,
      ...this.state.apiEnv,
    };
  }

  /** Starts one process behind HAProxy and waits until its health check passes. */
  private async startProcess(backend: Backend, index: number, log: (line: string) => void): Promise<void> {
    const { port, pid } = this.processes(backend)[index] ?? {};
    if (port === undefined) throw new Error(`no ${backend} process ${index + 1}`);
    if (pid && isAlive(pid)) return;
    log(`Starting ${backend} process ${index + 1} on port ${port}`);
    const logs = path.join(this.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    const logFile = path.join(logs, `${backend}${index + 1}.log`);
    const started = startDaemon({
      command: process.execPath,
      args: [
        backend === 'api'
          ? path.join(root, 'apps/api/dist/server.js')
          : path.join(root, 'apps/web/server.mjs'),
      ],
      cwd: backend === 'api' ? root : path.join(root, 'apps/web'),
      env: this.processEnv(backend, port),
      logFile,
    });
    (backend === 'api' ? this.state.apiPids : this.state.webPids)[index] = started;
    this.saveState();
    const healthUrl = `http://127.0.0.1:${port}${backend === 'api' ? '/ready' : '/robots.txt'}`;
    const failed = (what: string) =>
      new Error(`${backend} process ${index + 1} ${what}; the end of ${logFile}:\n${logTail(logFile)}`);
    let lastAnswer = 'no answer';
    await eventually(async () => {
      if (!isAlive(started)) throw failed('exited');
      return fetch(healthUrl).then(
        async (response) => {
          lastAnswer = `${response.status} ${await response.text()}`;
          return response.ok;
        },
        () => false,
      );
    }, PROCESS_START_TIMEOUT_MS).catch((error: unknown) => {
      throw error instanceof Error && error.message === 'condition not met in time'
        ? failed(`did not pass its health check (last: ${lastAnswer})`)
        : error;
    });
  }

  private static readState(dir: string): ClusterState | undefined {
    const file = path.join(dir, 'cluster.json');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ClusterState) : undefined;
  }

  private saveState(): void {
    writeFileSync(path.join(this.dir, 'cluster.json'), `${JSON.stringify(this.state, null, 2)}\n`);
  }
}

/** The last lines of a log file, for an error that points at it. */
function logTail(file: string, lines = 30): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '(no log)';
}

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(text)).rows;
  } finally {
    await client.end();
  }
}
