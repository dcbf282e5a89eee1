import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type LogEvent, type PostgresPool, type PostgresPoolClient } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { withTransactionMigrationLock } from './migration-lock';
import { PLANNER_SETTINGS } from './planner-settings';
import { readRoutingDialect, type ReadRouting } from './read-routing';
import type { Database } from './schema';

const DATE_OID = 1082;
/** A calendar date stays the 'YYYY-MM-DD' string PostgreSQL sends: as a JS Date it would shift with the timezone. */
const keepText = (value: string): string => value;
const dateAsText = new pg.TypeOverrides();
dateAsText.setTypeParser(DATE_OID, keepText);

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseOptions {
  /** postgres:// URL of a real server; absent means embedded PGlite. */
  url?: string | undefined;
  /** Where embedded PGlite keeps its files; 'memory://' keeps nothing. */
  dataDir: string;
  /** Connections in the pool (real PostgreSQL only). */
  poolSize?: number;
  /** Give up opening a connection after this long (real PostgreSQL only); unset waits as long as the OS does. */
  connectTimeoutMs?: number;
  /**
   * DATABASE_URL reaches PostgreSQL through a pooler in transaction mode (PgBouncer): consecutive transactions of
   * one client may run on different server connections, so statements are sent unnamed, never prepared by name.
   */
  transactionPooling?: boolean | undefined;
  /** Called after every statement with its SQL and duration: the profiler and slow-query log hook in here. */
  log?: (event: LogEvent) => void;
  /** Reports connection-level failures that happen outside any query (a server restart, a dropped socket). */
  onPoolError?: (error: Error) => void;
  /**
   * A streaming replica of `url` (connected directly, statements prepared by name) that `routing` may send reads
   * to; `db` then takes each connection from the server the routing chooses. Real PostgreSQL only.
   */
  replica?: { url: string; routing: ReadRouting } | undefined;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The replica alone, for asking it how far it has replayed (its statements are not logged). */
  replica?: Kysely<Database>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const replica = options.url ? options.replica : undefined;
  const primaryDialect = options.url
    ? postgresDialect(options.url, options, !options.transactionPooling)
    : await pgliteDialect(options.dataDir);
  const dialect = replica
    ? readRoutingDialect(primaryDialect, postgresDialect(replica.url, options, true), replica.routing)
    : primaryDialect;
  const db = new Kysely<Database>({
    dialect: withTransactionMigrationLock(dialect),
    ...(options.log ? { log: options.log } : {}),
  });
  const replicaDb =
    replica &&
    new Kysely<Database>({ dialect: postgresDialect(replica.url, { ...options, poolSize: 1 }, false) });
  return {
    db,
    kind: options.url ? 'postgres' : 'pglite',
    ...(replicaDb && { replica: replicaDb }),
    close: async () => {
      await db.destroy();
      await replicaDb?.destroy();
    },
  };
}

const MAX_NAMED_STATEMENTS = 500;
const statementNames = new Map<string, string>();

/** Reads are sent as named prepared statements; anything else (DDL, writes) goes unnamed as usual. */
function preparedName(sql: string): string | undefined {
  const known = statementNames.get(sql);
  if (known !== undefined || statementNames.size >= MAX_NAMED_STATEMENTS) return known;
  if (!/^\s*(select|with)\b/i.test(sql)) return undefined;
  const name = `mh_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  statementNames.set(sql, name);
  return name;
}

/**
 * A pool whose connections prepare each distinct read statement once and reuse it: PostgreSQL then skips parsing
 * and analysis (planning stays per execution, see PLANNER_SETTINGS). Without `prepare`, every statement is sent
 * unnamed (what a transaction pooler supports).
 * The set of statements is bounded (the API builds a fixed set of query shapes; past the cap, queries run unnamed).
 */
function preparingPool(pool: pg.Pool, prepare: boolean, onError: (error: Error) => void): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      // pg's pool listens for a connection's errors only while it is idle, and an unheard 'error' crashes the
      // process: a connection cut while checked out (a restart between two statements) is reported here, its
      // next statement fails, and the pool drops it on release.
      client.on('error', onError);
      return {
        query: ((sql: string, parameters: readonly unknown[]) => {
          const name = prepare ? preparedName(sql) : undefined;
          return client.query(
            name ? { name, text: sql, values: [...parameters] } : { text: sql, values: [...parameters] },
          );
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.removeListener('error', onError);
          client.release(destroy);
        },
      };
    },
    end: () => pool.end(),
  };
}

function postgresDialect(url: string, options: DatabaseOptions, prepare: boolean): PostgresDialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A black-holed server would otherwise hold each request for the operating system's TCP timeout.
    ...(options.connectTimeoutMs !== undefined && { connectionTimeoutMillis: options.connectTimeoutMs }),
    application_name: 'mentorhub',
    types: dateAsText,
  });
  // Without a listener an idle client's error (e.g. PostgreSQL restarting) would crash the process.
  const onError = (error: Error) => options.onPoolError?.(error);
  pool.on('error', onError);
  return new PostgresDialect({ pool: preparingPool(pool, prepare, onError) });
}

async function pgliteDialect(dataDir: string): Promise<PGliteDialect> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    dataDir,
    extensions: { btree_gist, pg_trgm },
    parsers: { [DATE_OID]: keepText },
  });
  // Its one session is open before any migration could store the settings as the database's defaults.
  for (const [name, value] of Object.entries(PLANNER_SETTINGS)) await pglite.exec(`SET ${name} = ${value}`);
  return new PGliteDialect(pglite);
}
