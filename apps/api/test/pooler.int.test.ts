import { PLANNER_SETTINGS } from '@mentorhub/db';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * The pass through PgBouncer (`.ci/run`: DATABASE_URL on a PgBouncer in transaction mode started by
 * `npm run test:pgbouncer`, DATABASE_TRANSACTION_POOLING=true) really goes through it, in transaction mode, so the
 * rest of the suite passing there shows the API keeps no session state. In the other passes DATABASE_URL is
 * PostgreSQL itself (or unset), with no pooler to inspect.
 */
const pooled = process.env.DATABASE_TRANSACTION_POOLING === 'true';
if (!pooled)
  console.warn(
    'Skipping the pooler tests: they run in the pass through PgBouncer (DATABASE_TRANSACTION_POOLING=true, see .ci/run).',
  );

type Row = Record<string, unknown>;

describe.runIf(pooled)('the test database through PgBouncer in transaction mode', () => {
  let t: TestApp;
  let databaseName: string;
  const clients: pg.Client[] = [];

  /** A client of its own on `database` at DATABASE_URL's address (`pgbouncer`: PgBouncer's admin console). */
  async function connect(database: string): Promise<pg.Client> {
    const url = new URL(t.database.url ?? 'DATABASE_URL is not set');
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    clients.push(client);
    await client.connect();
    return client;
  }

  async function backendPid(client: pg.Client): Promise<number> {
    return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? -1;
  }

  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    databaseName = new URL(t.database.url ?? 'DATABASE_URL is not set').pathname.slice(1);
  });
  afterAll(async () => {
    for (const client of clients) await client.end();
    await t.close();
  });

  it("runs the app's statements on server connections PgBouncer holds for this database, in transaction mode", async () => {
    expect((await t.app.inject('/ready')).statusCode).toBe(200);
    const { rows } = await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(t.app.db);
    const admin = await connect('pgbouncer');
    const servers = (await admin.query<Row>('SHOW SERVERS')).rows.filter(
      (server) => server.database === databaseName,
    );
    expect(servers.map((server) => Number(server.remote_pid))).toContain(rows[0]?.pid);
    const pools = (await admin.query<Row>('SHOW POOLS')).rows.filter(
      (pool) => pool.database === databaseName,
    );
    expect(pools.map((pool) => pool.pool_mode)).toEqual(['transaction']);
  });

  it("hands a client's server connection to another client between its transactions", async () => {
    const [first, second] = [await connect(databaseName), await connect(databaseName)];
    const used = await backendPid(first);
    // PgBouncer gives out the server connection released last: the one `first` just used. `second` keeps it
    // for its open transaction, so `first`'s next statement runs on another one (directly: always the same).
    await second.query('BEGIN');
    expect(await backendPid(second)).toBe(used);
    expect(await backendPid(first)).not.toBe(used);
    await second.query('COMMIT');
  });

  it('gives every server connection the planner settings without setting them (they are the database defaults)', async () => {
    // Transactions open at the same time hold a server connection each.
    const transactions = await Promise.all(
      Array.from({ length: 4 }, () => t.app.db.startTransaction().execute()),
    );
    try {
      const sessions = await Promise.all(
        transactions.map(
          async (trx) =>
            (
              await sql<Row>`SELECT pg_backend_pid() AS pid,
                current_setting('random_page_cost') AS random_page_cost,
                current_setting('plan_cache_mode') AS plan_cache_mode`.execute(trx)
            ).rows[0],
        ),
      );
      expect(new Set(sessions.map((session) => session?.pid)).size).toBe(4);
      for (const session of sessions) expect(session).toMatchObject(PLANNER_SETTINGS);
    } finally {
      for (const trx of transactions) await trx.rollback().execute();
    }
  });
});
