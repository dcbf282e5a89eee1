import type { FastifyInstance } from 'fastify';
import { QueryLog, withQueryLog } from '../db/query-recorder';

declare module 'fastify' {
  interface FastifyRequest {
    queryLog: QueryLog;
  }
}

/** `db;dur=1.3;desc="2 queries"`: what the database cost this response, visible in browser dev tools. */
function serverTiming(log: QueryLog): string {
  return `db;dur=${log.totalMs.toFixed(1)};desc="${log.count} ${log.count === 1 ? 'query' : 'queries'}"`;
}

/**
 * Gives each request its own query log (AsyncLocalStorage, so statements are attributed however deep they run),
 * reports it in a Server-Timing header, and writes one summary line per request: route template, status,
 * duration and statement count.
 */
export function registerRequestTracking(app: FastifyInstance, options: { serverTiming: boolean }): void {
  app.decorateRequest('queryLog', null as unknown as QueryLog);
  app.addHook('onRequest', (request, _reply, done) => {
    request.queryLog = new QueryLog();
    withQueryLog(request.queryLog, done);
  });
  if (options.serverTiming) {
    app.addHook('onSend', (request, reply, payload, done) => {
      reply.header('server-timing', serverTiming(request.queryLog));
      done(null, payload);
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
        queries: request.queryLog.count,
      },
      'request completed',
    );
    done();
  });
}
