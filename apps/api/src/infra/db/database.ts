import { openDatabase, type DatabaseHandle } from '@mentorhub/db';
import type { LogEvent } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config/config';
import { isDatabaseUnavailable } from './pg-errors';
import { currentQueryLog } from './query-recorder';
import { currentDatabaseServer, replicaReadRouting } from './read-replica';

/**
 * Kysely's per-statement hook: records the statement in the current request's query log and reports slow ones.
 * Parameters are never logged, only their placeholders, so no user data reaches the logs.
 */
export function createQueryObserver(
  slowQueryMs: number,
  logger: FastifyBaseLogger,
): (event: LogEvent) => void {
  return (event) => {
    const durationMs = event.queryDurationMillis;
    if (event.level === 'error') {
      logger.warn({ sql: event.query.sql, durationMs, err: event.error }, 'Query failed');
      return;
    }
    currentQueryLog()?.queries.push({ sql: event.query.sql, durationMs, server: currentDatabaseServer() });
    if (durationMs >= slowQueryMs) {
      logger.warn({ sql: event.query.sql, durationMs: Math.round(durationMs * 10) / 10 }, 'Slow query');
    }
  };
}

export function connectDatabase(
  config: Config,
  logger: FastifyBaseLogger,
  dataDir: string,
): Promise<DatabaseHandle> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir,
    poolSize: config.DATABASE_POOL_SIZE,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    transactionPooling: config.DATABASE_TRANSACTION_POOLING,
    replica: config.DATABASE_REPLICA_URL
      ? { url: config.DATABASE_REPLICA_URL, routing: replicaReadRouting }
      : undefined,
    log: createQueryObserver(config.SLOW_QUERY_MS, logger),
    onPoolError: (error) => {
      // An idle connection dropped by a restart is an outage the next request answers with 503, not a fault.
      if (isDatabaseUnavailable(error)) logger.warn({ err: error }, 'PostgreSQL connection lost');
      else logger.error({ err: error }, 'PostgreSQL connection error');
    },
  });
}
