import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { liveEventSchema, type LiveEvent } from '@mentorhub/contracts';
import { openDatabase, type DatabaseHandle } from '@mentorhub/db';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { Cluster } from '../../../ops/cluster/cluster';
import { ORIGIN, PASSWORD, signUp } from './helpers/accounts';
import { clusterCanRun } from './helpers/cluster';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import {
  expectAcknowledgedWritesStored,
  MixedLoad,
  type LoadLimits,
  type LoadUser,
} from './helpers/mixed-load';
import { eventually } from './helpers/services';
import { createTestApp, type TestApp } from './helpers/test-app';

/**
 * The production topology on this machine (`npm run cluster`: HAProxy → two API processes → PgBouncer → PostgreSQL
 * primary with a streaming replica, Redis), under a steady mixed load through HAProxy.
 */
const canRun = await clusterCanRun();

const USERS = 6;
const MENTORS = 3;
const LOAD: LoadLimits = { requestsPerUser: 3000, maxDurationMs: 120_000, pauseMs: 10 };
/** Answers each phase waits for, so every phase really ran under load. */
const ANSWERS_PER_PHASE = 80;
/** Starting PostgreSQL twice, building and starting the API twice, HAProxy: generous on a busy machine. */
const SETUP_TIMEOUT_MS = 300_000;
const TEST_TIMEOUT_MS = 240_000;

/** A live socket (through HAProxy or to one process), collecting the events it receives and how it closed. */
function openLiveSocket(url: string, token: string) {
  const socket = new WebSocket(url, { headers: { cookie: `mh_session=${token}`, origin: ORIGIN } });
  const live = { socket, events: [] as LiveEvent[], closed: undefined as number | undefined };
  socket.on('message', (data: Buffer) =>
    live.events.push(liveEventSchema.parse(JSON.parse(data.toString('utf8')))),
  );
  socket.on('close', (code: number) => (live.closed = code));
  return new Promise<typeof live>((resolve, reject) => {
    socket.once('open', () => {
      resolve(live);
    });
    socket.once('error', reject);
  });
}

describe.skipIf(!canRun)(
  'the cluster: HAProxy, two API processes, PgBouncer, primary and replica, Redis',
  () => {
    let cluster: Cluster;
    /** The application database on the primary, for checks and for setting up accounts. */
    let database: DatabaseHandle;
    /** An app on the same database and Redis, not behind HAProxy: it signs up the load's accounts. */
    let setup: TestApp;
    let users: LoadUser[];
    let mentorIds: number[];
    const cleanups: (() => Promise<void>)[] = [];

    beforeAll(async () => {
      if (!canRun) return;
      cluster = await Cluster.start({
        dir: mkdtempSync(path.join(tmpdir(), 'mentorhub-cluster-')),
        apiProcesses: 2,
        webProcesses: 0,
        apiEnv: {
          ALLOWED_ORIGINS: ORIGIN,
          LOG_LEVEL: 'warn',
          SEED_DEMO_DATA: 'false',
          BOOKING_EXPIRY_SWEEP_SECONDS: '0',
        },
      });
      cleanups.push(() => cluster.destroy());
      database = await openDatabase({
        url: cluster.primary.url('mentorhub'),
        dataDir: 'memory://',
        poolSize: 2,
      });
      cleanups.push(() => database.close());
      setup = await createTestApp({
        database: { ...database, url: cluster.primary.url('mentorhub') },
        env: { REDIS_URL: cluster.redis.url },
      });
      cleanups.push(() => setup.close());
      mentorIds = [];
      for (let index = 0; index < MENTORS; index++)
        mentorIds.push((await signUpBookableMentor(setup.app, `mentor${index}@example.com`)).mentorId);
      users = [];
      for (let index = 0; index < USERS; index++)
        users.push(await signUp(setup.app, `user${index}@example.com`));
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    }, SETUP_TIMEOUT_MS);

    /** Runs `fault` under the mixed load through HAProxy once some writes were acknowledged; returns the load. */
    async function underLoad(name: string, fault: (load: MixedLoad) => Promise<void>): Promise<MixedLoad> {
      const load = new MixedLoad(cluster.url, users, mentorIds, LOAD);
      load.start();
      try {
        await eventually(() => load.acknowledgedWrites() >= 8, 60_000);
        await fault(load);
      } finally {
        await load.stop();
      }
      const statuses: Record<string, number> = {};
      for (const { kind, status } of load.responses)
        statuses[`${kind} ${status}`] = (statuses[`${kind} ${status}`] ?? 0) + 1;
      console.info(`${name}: ${load.responses.length} requests, ${JSON.stringify(statuses)}`);
      return load;
    }

    it(
      'loses no read when an API process is killed (SIGKILL); a failed write is answered as failed and never half-applied',
      async () => {
        const load = await underLoad('SIGKILL of API process 1', async (running) => {
          await cluster.kill('api', 0, 'SIGKILL');
          const killed = Date.now();
          await eventually(
            async () => (await cluster.haproxy.server('api', 0))?.status.startsWith('DOWN') ?? false,
            30_000,
          );
          await eventually(() => running.count({ since: killed }) >= ANSWERS_PER_PHASE, 60_000);
        });
        // Reads are idempotent: HAProxy retried each one the dead process did not answer on the other.
        const failedReads = load.responses.filter(
          (response) => response.kind === 'read' && response.status !== 200,
        );
        expect(failedReads).toEqual([]);
        // Writes in flight on the killed process are not retried (they may have been applied): the client sees
        // them fail, as a 502 from HAProxy or a dropped connection (status 0); answered ones succeeded.
        const writeStatuses = new Set(load.responses.filter((r) => r.kind !== 'read').map((r) => r.status));
        expect([...writeStatuses].filter((status) => ![200, 201, 502, 0].includes(status))).toEqual([]);
        await expectAcknowledgedWritesStored(database.db, load);

        // Started again, it is back in rotation once its health check passes.
        cluster = await Cluster.start({ dir: cluster.dir, apiProcesses: 2, webProcesses: 0, build: false });
        await eventually(async () => (await cluster.haproxy.server('api', 0))?.status === 'UP', 60_000);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'answers every request during a rolling restart, and live sockets are told to reconnect elsewhere',
      async () => {
        const mentee = users[0];
        if (!mentee) throw new Error('no users');
        const socket = await openLiveSocket(`${cluster.url.replace('http', 'ws')}/api/ws`, mentee.token);
        const load = await underLoad('rolling restart', async (running) => {
          const before = running.responses.length;
          await cluster.rollingRestart();
          await eventually(() => running.responses.length - before >= ANSWERS_PER_PHASE, 60_000);
        });
        expect(load.responses.filter((response) => response.status >= 300)).toEqual([]);
        await expectAcknowledgedWritesStored(database.db, load);
        // Processes started through PgBouncer took no session-level lock: one would stay on a pooled server
        // connection, and the next process to take it would wait forever.
        const { rows: locks } = await sql<{ count: number }>`
          SELECT count(*)::int AS count FROM pg_locks WHERE locktype = 'advisory'`.execute(database.db);
        expect(locks[0]?.count).toBe(0);
        // 1001 "going away": the client reconnects, through HAProxy, to a process that runs.
        expect(socket.closed).toBe(1001);
      },
      TEST_TIMEOUT_MS,
    );

    it('delivers a live event to a socket on the other API process (Redis pub/sub)', async () => {
      const [first, second] = cluster.processes('api');
      const mentor = await signUpBookableMentor(setup.app, 'live-mentor@example.com');
      const socket = await openLiveSocket(`ws://127.0.0.1:${String(first?.port)}/api/ws`, mentor.token);
      const mentee = users[1];
      if (!mentee || !second) throw new Error('no user or process');
      const response = await fetch(`http://127.0.0.1:${second.port}/api/bookings`, {
        method: 'POST',
        headers: { cookie: `mh_session=${mentee.token}`, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ mentorId: mentor.mentorId, startsAt: hourFromNow(200) }),
      });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: number };
      await eventually(
        () => socket.events.some((event) => event.type === 'booking' && event.bookingId === id),
        10_000,
      );
      socket.socket.close();
    });

    it('reads cache misses of the API processes from the replica (DATABASE_REPLICA_URL)', async () => {
      const replica = await openDatabase({
        url: cluster.replica.url('mentorhub'),
        dataDir: 'memory://',
        poolSize: 1,
      });
      cleanups.push(() => replica.close());
      const [first] = cluster.processes('api');
      // A page of mentors nobody read before: a cache miss, loaded from the replica.
      const response = await fetch(`http://127.0.0.1:${String(first?.port)}/api/mentors?limit=7`);
      expect(response.status).toBe(200);
      // Table scans the replica itself counted (its statistics arrive when its sessions report them).
      await eventually(async () => {
        const { rows } = await sql<{ scans: string | null }>`
          SELECT sum(seq_scan + coalesce(idx_scan, 0))::text AS scans FROM pg_stat_user_tables`.execute(
          replica.db,
        );
        return Number(rows[0]?.scans ?? 0) > 0;
      }, 30_000);
    });

    it('counts failed sign-ins of one account and address across both API processes (shared rate limit)', async () => {
      const { port: firstPort = 0 } = cluster.processes('api')[0] ?? {};
      const { port: secondPort = 0 } = cluster.processes('api')[1] ?? {};
      await signUp(setup.app, 'limited@example.com');
      const signIn = (port: number, password: string) =>
        fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { origin: ORIGIN, 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'limited@example.com', password }),
        });
      // Five failures (the default limit per account and address), alternating between the processes.
      for (let attempt = 0; attempt < 5; attempt++)
        expect((await signIn(attempt % 2 === 0 ? firstPort : secondPort, 'not the password!')).status).toBe(
          401,
        );
      // Now even the right password is refused, on either process.
      expect((await signIn(firstPort, PASSWORD)).status).toBe(429);
      expect((await signIn(secondPort, PASSWORD)).status).toBe(429);
    });
  },
);
