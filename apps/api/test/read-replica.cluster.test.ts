import { migrateToLatest, type DatabaseHandle } from '@mentorhub/db';
import type { Availability } from '@mentorhub/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config';
import { connectDatabase } from '../src/infra/db/database';
import { findPostgresBinaries, PostgresCluster } from '../../../ops/cluster/postgres-cluster';
import { signUp, write } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { eventually, redisUrlForTests } from './helpers/services';
import { collectingLogger, createTestApp, twoInstancesOnRedis, type TestApp } from './helpers/test-app';
import { metricTotal } from './helpers/metrics';

/**
 * Read replica routing on a private PostgreSQL primary and its streaming replica (made as `npm run cluster` makes
 * them). It runs in the PostgreSQL + Redis pass: with Redis, the write lands on one API instance and the reads on
 * another, so the writer's position travels through Redis. Without PostgreSQL's server programs it is skipped
 * with a message, and CI fails instead.
 */
async function replicaTestBinaries(): Promise<string | undefined> {
  if (!process.env.DATABASE_URL) {
    console.warn('Skipping read replica tests: they run in the PostgreSQL + Redis pass (set DATABASE_URL).');
    return undefined;
  }
  const postgres = await findPostgresBinaries();
  if (postgres) return postgres;
  if (process.env.CI === 'true')
    throw new Error('CI requires PostgreSQL server binaries for the replica tests');
  console.warn(
    'Skipping read replica tests: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found.',
  );
  return undefined;
}

const binaries = await replicaTestBinaries();
const redisUrl = binaries && (await redisUrlForTests());

/** Two servers, a base backup and a migration: generous on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;
const TEST_TIMEOUT_MS = 60_000;
/** The lag limit of the instances under test: far beyond what a paused replay reaches during a test. */
const PATIENT_LAG_MS = '60000';

describe.skipIf(!binaries)('read replica routing (private primary and streaming replica)', () => {
  let primary: PostgresCluster;
  let replica: PostgresCluster;
  let database: DatabaseHandle;
  /** The instance writes go to, and the one reads go to (the same app without Redis). */
  let writer: TestApp;
  let reader: TestApp;
  /** An instance that tolerates no lag at all. */
  let strict: TestApp;
  const cleanups: (() => Promise<void>)[] = [];

  const onReplica = async (statement: string) => {
    const client = new pg.Client({ connectionString: replica.url() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    if (!binaries) return;
    primary = await PostgresCluster.create(binaries, { fsync: false });
    cleanups.push(() => primary.destroy());
    replica = await primary.createReplica({ slot: 'reads', fsync: false });
    cleanups.push(() => replica.destroy());
    const env = {
      DATABASE_URL: primary.url(),
      DATABASE_REPLICA_URL: replica.url(),
      DATABASE_POOL_SIZE: '4',
      REPLICA_MAX_LAG_MS: PATIENT_LAG_MS,
      BOOKING_EXPIRY_SWEEP_SECONDS: '0',
      // The replica's state changes are logged at info (coming back) and warn (lagging, unreachable).
      LOG_LEVEL: 'info',
    };
    // Opened as the server opens it: reads routed by the app, the replica's state logged to this logger.
    database = await connectDatabase(loadConfig(env), collectingLogger('warn', []), 'memory://');
    cleanups.push(() => database.close());
    await migrateToLatest(database.db);
    const shared = { database: { ...database, url: primary.url() }, seed: false as const };
    if (redisUrl) {
      const instances = await twoInstancesOnRedis(redisUrl, { ...shared, env });
      cleanups.push(() => instances.close());
      writer = instances.a;
      reader = instances.b;
    } else {
      writer = reader = await createTestApp({ ...shared, env });
      cleanups.push(() => writer.close());
    }
    // On the same Redis tier as the others (as every instance of a deployment is).
    const sameRedis: Record<string, string> = redisUrl
      ? { REDIS_URL: redisUrl, CACHE_PREFIX: writer.app.config.CACHE_PREFIX }
      : {};
    strict = await createTestApp({ ...shared, env: { ...env, ...sameRedis, REPLICA_MAX_LAG_MS: '0' } });
    cleanups.push(() => strict.close());
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }, SETUP_TIMEOUT_MS);

  /** A mentor open every hour, a slot two days ahead, and the public availability URL of its day. */
  async function bookableSlot(name: string) {
    const mentor = await signUpBookableMentor(writer.app, `${name}@example.com`);
    const startsAt = hourFromNow(48);
    const date = startsAt.slice(0, 10);
    return { mentor, startsAt, url: `/api/mentors/${mentor.mentorId}/availability?from=${date}&to=${date}` };
  }

  /** Reads the availability (signed in with `token`, else anonymously); every answer must be a 200. */
  async function read(app: FastifyInstance, url: string, token?: string) {
    const response = await app.inject({ method: 'GET', url, cookies: token ? { mh_session: token } : {} });
    expect(response.statusCode, response.body).toBe(200);
    return slotsOf(response);
  }

  /** The next cache-miss read from the replica once it has replayed the mentor (404 until then). */
  async function readFromReplica(app: FastifyInstance, url: string) {
    await app.cache.flush();
    const response = await app.inject({ method: 'GET', url });
    return response.statusCode === 200 ? slotsOf(response) : { slots: [], fromReplica: false };
  }

  function slotsOf(response: LightMyRequestResponse) {
    const timing = String(response.headers['server-timing']);
    const slots = response.json<Availability>().days.flatMap((day) => day.slots.map((slot) => slot.startsAt));
    return { slots, fromReplica: /replica;desc="[1-9]/.test(timing) };
  }

  it(
    'serves public cache-miss reads from the replica; a writer sees their write at once, others after replay resumes',
    async () => {
      const { mentor, startsAt, url } = await bookableSlot('paused-mentor');
      const mentee = await signUp(writer.app, 'paused-mentee@example.com');
      const other = await signUp(writer.app, 'paused-other@example.com');
      // The replica has the mentor once a read from it offers the slot (and the answer is cached from then on).
      await eventually(async () => {
        const { slots, fromReplica } = await readFromReplica(reader.app, url);
        return fromReplica && slots.includes(startsAt);
      }, 30_000);

      await onReplica('SELECT pg_wal_replay_pause()');
      try {
        const booked = await write(writer.app, mentee.token, 'POST', '/api/bookings', {
          mentorId: mentor.mentorId,
          startsAt,
        });
        expect(booked.statusCode, booked.body).toBe(201);
        const bookingId = booked.json<{ id: number }>().id;

        // Others read the replica, which has not replayed the booking: the slot is still offered.
        const anonymous = await read(reader.app, url);
        expect(anonymous).toEqual({
          slots: expect.arrayContaining([startsAt]) as unknown,
          fromReplica: true,
        });
        expect((await read(reader.app, url, other.token)).slots).toContain(startsAt);
        // The writer, on the other instance, reads the primary: their booking and the slot taken.
        const own = await read(reader.app, url, mentee.token);
        expect(own).toEqual({ slots: expect.not.arrayContaining([startsAt]) as unknown, fromReplica: false });
        expect(
          await metricTotal(reader.app, 'db_replica_fallback_total', { reason: 'own-write' }),
        ).toBeGreaterThan(0);
        const bookings = await reader.app.inject({
          method: 'GET',
          url: '/api/me/bookings',
          cookies: { mh_session: mentee.token },
        });
        expect(bookings.statusCode).toBe(200);
        expect(bookings.json<{ items: { id: number }[] }>().items.map((item) => item.id)).toContain(
          bookingId,
        );
        // An instance that allows no lag reads the primary, once the replica has received what it has not replayed.
        await eventually(async () => {
          await strict.app.cache.flush();
          return !(await read(strict.app, url)).slots.includes(startsAt);
        });
        expect(
          await metricTotal(strict.app, 'db_replica_fallback_total', { reason: 'lagging' }),
        ).toBeGreaterThan(0);
      } finally {
        await onReplica('SELECT pg_wal_replay_resume()');
      }
      // Once replayed, a public read from the replica sees the booking.
      await eventually(async () => {
        const { slots, fromReplica } = await readFromReplica(reader.app, url);
        return fromReplica && !slots.includes(startsAt);
      }, 30_000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'counts the statements a load ran on the replica in the request query log (Server-Timing); the replica ran them',
    async () => {
      const { url } = await bookableSlot('counted-mentor');
      // Table scans counted by the replica itself (asking it how far it replayed touches no table).
      const replicaReads = async () => {
        const { rows } = await sql<{ scans: string | null }>`
          SELECT sum(seq_scan + coalesce(idx_scan, 0))::text AS scans FROM pg_stat_user_tables`.execute(
          database.replica ?? database.db,
        );
        return BigInt(rows[0]?.scans ?? '0');
      };
      await eventually(async () => (await readFromReplica(reader.app, url)).fromReplica, 30_000);
      await reader.app.cache.flush();
      const before = await replicaReads();
      const response = await reader.app.inject({ method: 'GET', url });
      const timing = String(response.headers['server-timing']);
      const [, total, replicaCount] = /desc="(\d+) quer.*replica;desc="(\d+) quer/.exec(timing) ?? [];
      expect(Number(total)).toBeGreaterThan(0);
      expect(replicaCount).toBe(total);
      expect(await metricTotal(reader.app, 'db_replica_reads_total')).toBeGreaterThan(0);
      // The replica's own statistics moved (they are sent to its collector when a transaction ends).
      await eventually(async () => (await replicaReads()) > before, 30_000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reads from the primary while the replica is down (a metric, one log line) and from the replica once it is back',
    async () => {
      const { url } = await bookableSlot('outage-mentor');
      const logLines = (message: string) => reader.logs.filter((line) => line.msg === message).length;
      const unreachableBefore = logLines('Read replica unreachable: reads go to the primary');
      await replica.stop('fast');
      try {
        for (let attempt = 0; attempt < 5; attempt++) {
          await reader.app.cache.flush();
          expect((await read(reader.app, url)).fromReplica).toBe(false);
        }
        expect(
          await metricTotal(reader.app, 'db_replica_fallback_total', { reason: 'unreachable' }),
        ).toBeGreaterThan(0);
        expect(logLines('Read replica unreachable: reads go to the primary')).toBe(unreachableBefore + 1);
      } finally {
        await replica.start();
      }
      await eventually(async () => (await readFromReplica(reader.app, url)).fromReplica, 30_000);
      expect(logLines('Read replica in use: cache-miss reads go to it')).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );
});
