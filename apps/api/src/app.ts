import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import type { DatabaseHandle } from '@mentorhub/db';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '@mentorhub/db';
import type { Config } from './config/config';
import { RateLimiter } from './infra/auth/rate-limiter';
import {
  registerSessions,
  sessionCookie,
  sessionDeadline,
  sessionLifetime,
  type SessionCookie,
  type SessionLifetime,
} from './infra/auth/session';
import { registerSessionSecurity } from './infra/auth/session-security';
import { createResponseCache, type ResponseCache } from './infra/cache/index';
import type { ServiceContext } from './infra/context';
import { connectRedis } from './infra/redis';
import { ReadReplica, WrittenPositions } from './infra/db/read-replica';
import {
  cacheObserver,
  createMetrics,
  registerMetrics,
  replicaObserver,
  type Metrics,
} from './infra/metrics/metrics';
import {
  clientErrorHandler,
  malformedRequestHandler,
  registerErrorHandling,
} from './infra/errors/error-handler';
import { registerOpenApi } from './infra/http/openapi';
import { registerRequestTracking } from './infra/http/request-tracking';
import { registerSecurityHeaders, securityHeaders, setSecurityHeaders } from './infra/http/security-headers';
import { authRoutes } from './modules/auth/auth.routes';
import { availabilityRoutes } from './modules/availability/availability.routes';
import { bookingsRoutes } from './modules/bookings/bookings.routes';
import { calendarRoutes } from './modules/calendar/calendar.routes';
import { coursesRoutes } from './modules/courses/courses.routes';
import { healthRoutes } from './modules/health/health.routes';
import { learningRoutes } from './modules/learning/learning.routes';
import { graphqlRoutes } from './modules/graphql/graphql.routes';
import { LiveEvents } from './modules/live/live-events';
import { liveRoutes } from './modules/live/live.routes';
import { mediaRoutes } from './modules/media/media.routes';
import { mentorsRoutes } from './modules/mentors/mentors.routes';
import { messagingRoutes } from './modules/messaging/messaging.routes';
import { moderationRoutes } from './modules/moderation/moderation.routes';
import { reviewsRoutes } from './modules/reviews/reviews.routes';
import { notificationsRoutes } from './modules/notifications/notifications.routes';
import { mailboxRoutes } from './modules/outbox/mailbox.routes';
import { outboxRoutes } from './modules/outbox/outbox.routes';
import { readOutboxGauges } from './modules/outbox/outbox.service';
import { createOutboxWorker, type OutboxWorker } from './modules/outbox/outbox.worker';
import { preferencesRoutes } from './modules/preferences/preferences.routes';
import { recommendationsRoutes } from './modules/recommendations/recommendations.routes';
import { reliabilityRoutes } from './modules/reliability/reliability.routes';
import { usersRoutes } from './modules/users/users.routes';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Kysely<Database>;
    cache: ResponseCache;
    /** What services get from the infrastructure, built once for every route. */
    services: ServiceContext;
    live: LiveEvents;
    metrics: Metrics;
    outbox: OutboxWorker;
    rateLimiter: RateLimiter;
    sessionCookie: SessionCookie;
    sessionLifetime: SessionLifetime;
    /** The app's one clock (milliseconds since the epoch): every time-dependent rule reads it. */
    clock: () => number;
  }
}

export interface AppDependencies {
  database: DatabaseHandle;
  /** The process logger (the database logs slow queries to it too); one is made from the config if absent. */
  logger?: FastifyBaseLogger;
  /**
   * The clock every time-dependent rule goes by (sessions, bookings, reminders, outbox deliveries), in milliseconds
   * since the epoch; tests move it instead of waiting.
   */
  clock?: () => number;
}

/** Builds the app without listening: infrastructure → modules → error handling. Closing the app closes the database. */
export async function buildApp(config: Config, deps: AppDependencies): Promise<FastifyInstance> {
  const headers = securityHeaders({ https: config.SECURE_COOKIES });
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: config.LOG_LEVEL } }),
    // Fastify's two lines per request are replaced by one summary line (infra/http/request-tracking.ts).
    logController: new LogController({ disableRequestLogging: true }),
    // Requests refused before routing skip the hooks, so they get the security headers here.
    frameworkErrors: (error, request, reply) => {
      setSecurityHeaders(reply, headers, request.url);
      malformedRequestHandler(error, request, reply);
    },
    clientErrorHandler,
    bodyLimit: 1024 * 1024,
    // A client that trickles its headers or body is answered 408 and cut, instead of holding a connection.
    requestTimeout: config.REQUEST_TIMEOUT_SECONDS * 1000,
    // Node checks the timeout on this interval (30 s by default): checked every second, a cut comes on time.
    http: {
      connectionsCheckingInterval: 1000,
      headersTimeout: Math.min(60, config.REQUEST_TIMEOUT_SECONDS) * 1000,
    },
    // request.ip is the socket's address unless the socket is a configured proxy, whose X-Forwarded-For counts.
    trustProxy: config.TRUST_PROXY.length > 0 ? config.TRUST_PROXY : false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('db', deps.database.db);
  const clock = deps.clock ?? Date.now;
  app.decorate('clock', clock);
  const metrics = createMetrics({
    readOutbox: () => readOutboxGauges(deps.database.db, new Date(clock())),
  });
  app.decorate('metrics', metrics);
  const redis = connectRedis(config);
  const lifetime = sessionLifetime(config, clock);
  app.decorate('sessionLifetime', lifetime);
  const readReplica =
    deps.database.replica &&
    new ReadReplica({
      replica: deps.database.replica,
      primary: deps.database.db,
      written: new WrittenPositions({
        redis: redis?.client,
        prefix: config.CACHE_PREFIX,
        clock,
      }),
      maxLagMs: config.REPLICA_MAX_LAG_MS,
      clock,
      logger: app.log,
      observer: replicaObserver(metrics),
    });
  app.decorate('cache', createResponseCache(config, app.log, cacheObserver(metrics), redis, readReplica));
  app.decorate('services', { db: app.db, cache: app.cache });
  app.decorate(
    'live',
    new LiveEvents(
      {
        prefix: config.CACHE_PREFIX,
        heartbeatMs: config.LIVE_HEARTBEAT_SECONDS * 1000,
        maxConnectionsPerUser: config.LIVE_MAX_CONNECTIONS_PER_USER,
        now: lifetime.now,
        sessionDeadline: (sessionId) => sessionDeadline(deps.database.db, lifetime, sessionId),
      },
      redis,
      metrics,
      app.log,
    ),
  );
  app.decorate(
    'rateLimiter',
    new RateLimiter(redis?.client, config.CACHE_PREFIX, () => {
      metrics.rateLimitLocalDecisions.inc();
    }),
  );
  app.decorate('sessionCookie', sessionCookie(config.SECURE_COOKIES, lifetime));
  const outbox = createOutboxWorker(config, {
    db: deps.database.db,
    metrics,
    log: app.log,
    clock,
  });
  app.decorate('outbox', outbox);
  if (config.OUTBOX_POLL_SECONDS > 0)
    app.addHook('onReady', async () => {
      outbox.start(config.OUTBOX_POLL_SECONDS * 1000);
    });
  app.addHook('onClose', async () => {
    // The worker finishes its pass before the database it settles into closes.
    await outbox.stop();
    await redis?.close();
    await deps.database.close();
  });

  registerSecurityHeaders(app, headers);
  registerRequestTracking(app, {
    serverTiming: config.SERVER_TIMING,
    nPlusOneThreshold: config.N_PLUS_ONE_THRESHOLD,
    nPlusOneMode: config.N_PLUS_ONE_MODE,
    logRequests: ['trace', 'debug', 'info'].includes(config.LOG_LEVEL),
  });
  registerMetrics(app, metrics, config.METRICS_TOKEN);
  registerErrorHandling(app);
  await app.register(cookie);
  if (readReplica)
    app.addHook('onRequest', (request, _reply, done) => {
      readReplica.enterRequest(request.cookies[app.sessionCookie.name], done);
    });
  registerSessions(app, app.sessionCookie, lifetime, config.ALLOWED_ORIGINS);
  registerSessionSecurity(app);
  // Requests without a body have nothing to decompress: their routes are spared the hook that would look.
  app.addHook('onRoute', (route) => {
    if ([route.method].flat().every((method) => method === 'GET' || method === 'HEAD'))
      route.decompress ??= false;
  });
  // Responses that did not come precompressed from the cache (OpenAPI document, uncached JSON).
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'] });
  await registerOpenApi(app);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(usersRoutes);
  await app.register(mentorsRoutes);
  await app.register(availabilityRoutes);
  await app.register(bookingsRoutes);
  await app.register(reliabilityRoutes);
  await app.register(calendarRoutes);
  await app.register(reviewsRoutes);
  await app.register(coursesRoutes);
  await app.register(learningRoutes);
  await app.register(mediaRoutes);
  await app.register(notificationsRoutes);
  await app.register(messagingRoutes);
  await app.register(preferencesRoutes);
  await app.register(recommendationsRoutes);
  await app.register(liveRoutes);
  await app.register(graphqlRoutes);
  await app.register(mailboxRoutes);
  await app.register(outboxRoutes);
  await app.register(moderationRoutes);
  return app;
}
