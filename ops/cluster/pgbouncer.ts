import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually } from './local-servers.mjs';
import { asServiceUser, giveToServiceUser } from './service-user';
import { livePid, stopProcess } from './processes';

const run = promisify(execFile);

export interface PgBouncerOptions {
  /** Its configuration, log and pid file live here (given to the `postgres` user, as PgBouncer refuses root). */
  dir: string;
  port: number;
  /** The PostgreSQL server every database name is passed on to. */
  server: { host: string; port: number };
}

/**
 * The configuration: transaction pooling, and a `*` entry so every database of the server is reachable under its
 * own name (tests create one per file). Authentication is PostgreSQL's (trust on this machine): PgBouncer only
 * needs the user names it may log in with.
 */
export function pgBouncerConfig(options: PgBouncerOptions): string {
  return `[databases]
* = host=${options.server.host} port=${options.server.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${options.port}
unix_socket_dir =
auth_type = trust
auth_file = ${path.join(options.dir, 'userlist.txt')}
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
max_db_connections = 80
logfile = ${path.join(options.dir, 'pgbouncer.log')}
pidfile = ${path.join(options.dir, 'pgbouncer.pid')}
`;
}

/** PgBouncer (transaction mode) in front of one PostgreSQL server, run as a daemon. */
export class PgBouncer {
  constructor(
    readonly executable: string,
    readonly options: PgBouncerOptions,
  ) {}

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.options.port}/${database}`;
  }

  private get pidFile(): string {
    return path.join(this.options.dir, 'pgbouncer.pid');
  }

  pid(): number | undefined {
    return livePid(this.pidFile);
  }

  /** Writes its configuration, starts it and waits until it answers on its admin console. */
  async start(): Promise<void> {
    if (this.pid()) return;
    await giveToServiceUser(this.options.dir);
    const configFile = path.join(this.options.dir, 'pgbouncer.ini');
    writeFileSync(configFile, pgBouncerConfig(this.options));
    writeFileSync(path.join(this.options.dir, 'userlist.txt'), '"postgres" ""\n');
    await asServiceUser(run, this.executable, ['-d', configFile]);
    await eventually(
      () =>
        this.pools().then(
          () => true,
          () => false,
        ),
      30_000,
    );
  }

  async stop(): Promise<void> {
    const pid = this.pid();
    // SIGINT: safe shutdown, waiting for the transactions in flight.
    if (pid) await stopProcess(pid, 'SIGINT');
  }

  /** `SHOW POOLS` of the admin console: per database, clients active and waiting, server connections in use. */
  async pools(): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: this.url('pgbouncer') });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>('SHOW POOLS')).rows;
    } finally {
      await client.end();
    }
  }
}
