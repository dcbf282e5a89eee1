import type { ErrorBody } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { CACHE_STATUSES, type CacheStatus } from '../cache/index';
import { QueryLog, withQueryLog } from '../db/query-recorder';
import { findRepeatedStatements } from '../profiler/n-plus-one';

declare module 'fastify' {
  interface FastifyRequest {
    queryLog: QueryLog;
    cacheStatus: CacheStatus;
  }
}

export interface RequestTrackingOptions {
  serverTiming: boolean;
  nPlusOneThreshold: number;
  nPlusOneMode: 'warn' | 'error';
  /** Write the per-request summary line (off above `info`, so production pays nothing for it). */
  logRequests: boolean;
}

const statements = (count: number) => `${count} ${count === 1 ? 'query' : 'queries'}`;

/**
 * `cache;desc=hit, db;dur=1.3;desc="2 queries"` (and `, replica;desc="2 queries"` when the read replica answered
 * some of them): what this response cost, visible in browser dev tools.
 */
function serverTiming(cacheStatus: CacheStatus, log: QueryLog): string {
  if (log.count === 0) return withoutQueries[cacheStatus];
  const onReplica = log.replicaCount;
  return `cache;desc=${cacheStatus}, db;dur=${log.totalMs.toFixed(1)};desc="${statements(log.count)}"${onReplica > 0 ? `, replica;desc="${statements(onReplica)}"` : ''}`;
}

/** The header of an answer that ran no statement (every cache hit), built once per cache status. */
const withoutQueries = Object.fromEntries(
  CACHE_STATUSES.map((status) => [status, `cache;desc=${status}, db;dur=0.0;desc="${statements(0)}"`]),
) as Record<CacheStatus, string>;

const nPlusOneBody: ErrorBody = {
  error: {
    code: 'INTERNAL',
    message: 'N+1 query detected: the same statement ran once per row',
    details: [],
  },
};

/**
 * Gives each request its own query log (AsyncLocalStorage, so statements are attributed however deep they run),
 * flags N+1 patterns, reports the cost in a Server-Timing header, and writes one summary line per request.
 */
export function registerRequestTracking(app: FastifyInstance, options: RequestTrackingOptions): void {
  app.decorateRequest('queryLog', null as unknown as QueryLog);
  app.decorateRequest('cacheStatus', 'bypass');
  app.addHook('onRequest', (request, _reply, done) => {
    request.queryLog = new QueryLog();
    withQueryLog(request.queryLog, done);
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    const repeated = findRepeatedStatements(request.queryLog.queries, options.nPlusOneThreshold);
    for (const { shape, count } of repeated) {
      request.log.warn({ route: request.routeOptions.url, statement: shape, count }, 'N+1 query detected');
    }
    if (options.serverTiming)
      reply.header('server-timing', serverTiming(request.cacheStatus, request.queryLog));
    if (repeated.length > 0 && options.nPlusOneMode === 'error') {
      reply.code(500).type('application/json; charset=utf-8').removeHeader('content-encoding');
      done(null, JSON.stringify(nPlusOneBody));
      return;
    }
    done(null, payload);
  });

  if (!options.logRequests) return;
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        queries: request.queryLog.count,
        cache: request.cacheStatus,
      },
      'request completed',
    );
    done();
  });
}
