import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheObserver } from '../cache/index';
import type { QueryLog } from '../db/query-recorder';
import type { ReplicaObserver } from '../db/read-replica';
import { AppError } from '../errors/app-error';
import { RequestMetrics } from './request-series';

/** Outbox counts in gauges stop here, so a scrape stays cheap however large a backlog grows. */
export const OUTBOX_GAUGE_COUNT_CAP = 100_000;

const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** The outbox as its gauges show it, read from the database at scrape time. */
export interface OutboxGaugeReading {
  pending: number;
  dead: number;
  oldestDueAgeSeconds: number;
}

export interface MetricsOptions {
  /** Reads the outbox for its gauges on every scrape, so any process shows the shared queue, delivering or not. */
  readOutbox?: () => Promise<OutboxGaugeReading>;
}

/**
 * One read per scrape shared by the gauges that show it (the registry collects them in parallel). A failed read
 * leaves the gauges as they were, so the rest of the scrape still answers.
 */
function sharedReading(read: (() => Promise<OutboxGaugeReading>) | undefined) {
  let inFlight: Promise<OutboxGaugeReading | undefined> | undefined;
  return (): Promise<OutboxGaugeReading | undefined> => {
    if (!read) return Promise.resolve(undefined);
    inFlight ??= read()
      .catch(() => undefined)
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}

/** The metric names of the seed report, plus cache and process metrics, on a registry owned by one app. */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  const readOutbox = sharedReading(options.readOutbox);
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const registers = [registry];
  return {
    registry,
    http: new RequestMetrics(registry, latencyBuckets),
    errors: new Counter({
      name: 'errors_total',
      help: 'Responses with an error status: kind is client (4xx) or server (5xx)',
      labelNames: ['route', 'status_code', 'kind'] as const,
      registers,
    }),
    dbDuration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database statement duration by statement type',
      labelNames: ['query_type'] as const,
      buckets: latencyBuckets,
      registers,
    }),
    dbQueriesPerRequest: new Histogram({
      name: 'db_queries_per_request',
      help: 'Statements per request that reached the database (cache hits run none), by route template',
      labelNames: ['route'] as const,
      buckets: [0, 1, 2, 3, 5, 10, 20, 50],
      registers,
    }),
    replicaReads: new Counter({
      name: 'db_replica_reads_total',
      help: 'Cache-miss loads sent to the read replica',
      registers,
    }),
    replicaFallbacks: new Counter({
      name: 'db_replica_fallback_total',
      help: 'Cache-miss loads sent to the primary although a replica is configured: unreachable, lagging (beyond REPLICA_MAX_LAG_MS) or own-write (the reader wrote something the replica has not replayed yet)',
      labelNames: ['reason'] as const,
      registers,
    }),
    replicaLag: new Gauge({
      name: 'db_replica_lag_seconds',
      help: 'How far the read replica was behind the primary when last checked (0 when it has replayed all it received)',
      registers,
    }),
    cacheHits: new Counter({
      name: 'cache_hits_total',
      help: 'Cache hits by tier (l1 memory, l2 Redis)',
      labelNames: ['tier'] as const,
      registers,
    }),
    cacheMisses: new Counter({
      name: 'cache_misses_total',
      help: 'Cache misses answered from the database',
      registers,
    }),
    cacheCoalesced: new Counter({
      name: 'cache_coalesced_total',
      help: 'Requests that shared another request’s in-flight cache read or load of the same key',
      registers,
    }),
    cacheErrors: new Counter({
      name: 'cache_errors_total',
      help: 'Redis operations that failed or timed out (the request fell through to the database)',
      labelNames: ['operation'] as const,
      registers,
    }),
    rateLimitLocalDecisions: new Counter({
      name: 'rate_limit_local_decisions_total',
      help: 'Rate-limit decisions made in process because Redis failed or timed out (not shared with other instances)',
      registers,
    }),
    cacheInvalidations: new Counter({
      name: 'cache_invalidations_total',
      help: 'Cache tags invalidated',
      registers,
    }),
    liveConnections: new Gauge({
      name: 'live_connections',
      help: 'Open live WebSocket connections on this instance',
      registers,
    }),
    liveMessages: new Counter({
      name: 'live_messages_sent_total',
      help: 'Live events sent to sockets of this instance, by event type',
      labelNames: ['type'] as const,
      registers,
    }),
    livePublishErrors: new Counter({
      name: 'live_publish_errors_total',
      help: 'Live events that could not be published to Redis (other instances missed them)',
      registers,
    }),
    outboxPending: new Gauge({
      name: 'outbox_pending_messages',
      help: `Outbox messages waiting for delivery, read at scrape time (counted up to ${String(OUTBOX_GAUGE_COUNT_CAP)})`,
      registers,
      async collect() {
        const reading = await readOutbox();
        if (reading) this.set(reading.pending);
      },
    }),
    outboxOldestPendingAge: new Gauge({
      name: 'outbox_oldest_pending_age_seconds',
      help: 'How long the most overdue pending outbox message has been due, read at scrape time (0 when none is due; a message scheduled for later is not late)',
      registers,
      async collect() {
        const reading = await readOutbox();
        if (reading) this.set(reading.oldestDueAgeSeconds);
      },
    }),
    outboxDeadLetterCount: new Gauge({
      name: 'outbox_dead_letter_messages',
      help: `Dead letters waiting for an admin to retry them, read at scrape time (counted up to ${String(OUTBOX_GAUGE_COUNT_CAP)})`,
      registers,
      async collect() {
        const reading = await readOutbox();
        if (reading) this.set(reading.dead);
      },
    }),
    outboxDeliveries: new Counter({
      name: 'outbox_deliveries_total',
      help: 'Outbox messages delivered, by channel',
      labelNames: ['channel'] as const,
      registers,
    }),
    outboxFailures: new Counter({
      name: 'outbox_delivery_failures_total',
      help: 'Failed delivery attempts of outbox messages, by channel (each is retried until it is a dead letter)',
      labelNames: ['channel'] as const,
      registers,
    }),
    outboxDeadLetters: new Counter({
      name: 'outbox_dead_letters_total',
      help: 'Outbox messages parked as dead letters after their last failed attempt, by channel',
      labelNames: ['channel'] as const,
      registers,
    }),
    outboxDropped: new Counter({
      name: 'outbox_dropped_total',
      help: 'Outbox messages settled unsent because they no longer apply (a moved session, an opted-out kind), by channel',
      labelNames: ['channel'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function replicaObserver(metrics: Metrics): ReplicaObserver {
  return {
    servedRead: () => {
      metrics.replicaReads.inc();
    },
    fellBack: (reason) => {
      metrics.replicaFallbacks.inc({ reason });
    },
    lag: (seconds) => {
      metrics.replicaLag.set(seconds);
    },
  };
}

export function cacheObserver(metrics: Metrics): CacheObserver {
  return {
    hit: (tier) => {
      metrics.cacheHits.inc({ tier });
    },
    miss: () => {
      metrics.cacheMisses.inc();
    },
    coalesced: () => {
      metrics.cacheCoalesced.inc();
    },
    error: (operation) => {
      metrics.cacheErrors.inc({ operation });
    },
    invalidated: (tags) => {
      metrics.cacheInvalidations.inc(tags);
    },
  };
}

function statementType(sql: string): string {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase();
  return verb === 'select' || verb === 'insert' || verb === 'update' || verb === 'delete' || verb === 'with'
    ? verb
    : 'other';
}

function observeQueries(metrics: Metrics, route: string, log: QueryLog): void {
  if (log.count === 0) return; // cache hits, health checks: nothing to record
  metrics.dbQueriesPerRequest.observe({ route }, log.count);
  for (const query of log.queries)
    metrics.dbDuration.observe({ query_type: statementType(query.sql) }, query.durationMs / 1000);
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Only the scraper may read /metrics: without a configured token the route answers 404 like any unknown path, and
 * with one a request must carry it as a bearer token (compared in constant time, so timing reveals nothing).
 */
function metricsAccess(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (request) => {
    if (!expected) throw new AppError('NOT_FOUND', 'No route for GET /metrics');
    const given = request.headers.authorization;
    if (given === undefined || !timingSafeEqual(digest(given), expected))
      throw new AppError('UNAUTHENTICATED', 'GET /metrics needs the metrics bearer token');
  };
}

/**
 * Records every response and serves the registry at GET /metrics (Prometheus text format) to callers presenting
 * `metricsToken`.
 */
export function registerMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  metricsToken: string | undefined,
): void {
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.http.seriesOf(request.method, route, status).observe(reply.elapsedTime / 1000);
    if (status >= 400) {
      metrics.errors.inc({ route, status_code: String(status), kind: status >= 500 ? 'server' : 'client' });
    }
    observeQueries(metrics, route, request.queryLog);
    done();
  });

  app.get(
    '/metrics',
    { schema: { hide: true }, onRequest: metricsAccess(metricsToken) },
    async (_request, reply) =>
      reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
