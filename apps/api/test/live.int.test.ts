import { randomBytes } from 'node:crypto';
import {
  liveCloseCodes,
  type Booking,
  type ErrorBody,
  type LiveEvent,
  type NotificationPage,
} from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, PASSWORD, sessionTokenOf, signUp, write } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { eventually, redisUrlForTests } from './helpers/services';
import { LiveClient, upgradeRefusal } from './helpers/live-client';
import { TcpProxy } from './helpers/tcp-proxy';
import { createTestApp, type TestApp } from './helpers/test-app';
import { metricTotal } from './helpers/metrics';

let nextHour = 24;
/** A distinct whole hour per booking, so bookings never collide. */
const freshSlot = () => hourFromNow(nextHour++);

/** Whether `event` is about booking `id` (its status, or a notification of it). */
const isAbout = (event: LiveEvent, id: number) =>
  event.type === 'booking'
    ? event.bookingId === id
    : event.type === 'notification' && event.notification.payload.bookingId === id;

/** Signs in again (as from a second browser, or with `current` as the browser's cookie) and returns the new token. */
async function signIn(app: FastifyInstance, email: string, current?: string): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: ORIGIN },
    ...(current ? { cookies: { mh_session: current } } : {}),
    payload: { email, password: PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  return sessionTokenOf(response);
}

const signedOut = (client: LiveClient) => client.closed?.code === liveCloseCodes.sessionEnded;

async function book(app: FastifyInstance, token: string, mentorId: number): Promise<Booking> {
  const response = await write(app, token, 'POST', '/api/bookings', { mentorId, startsAt: freshSlot() });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Booking>();
}

describe('GET /api/ws on one instance', () => {
  let t: TestApp;
  let mentor: Awaited<ReturnType<typeof signUpBookableMentor>>;
  let mentee: { token: string; userId: number };
  let stranger: { token: string; userId: number };
  beforeAll(async () => {
    // A heartbeat short enough for the pulse tests, long enough that a busy machine's stalls (client and server
    // share this process's event loop) do not miss a pong and drop a socket that another test counts.
    t = await createTestApp({ seed: false, env: { LIVE_HEARTBEAT_SECONDS: '1' } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    mentor = await signUpBookableMentor(t.app, 'mentor@example.com');
    mentee = await signUp(t.app, 'mentee@example.com');
    stranger = await signUp(t.app, 'stranger@example.com');
  });
  afterAll(() => t.close());

  it('refuses an anonymous upgrade with 401 and a cross-origin one with 403, before upgrading', async () => {
    const anonymous = await upgradeRefusal(t.app, { origin: ORIGIN });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const origin of ['https://evil.example', 'null']) {
      const crossSite = await upgradeRefusal(t.app, { origin, cookie: `mh_session=${mentee.token}` });
      expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const noOrigin = await upgradeRefusal(t.app, { cookie: `mh_session=${mentee.token}` });
    expect(noOrigin.status).toBe(403);
    const revoked = await upgradeRefusal(t.app, { origin: ORIGIN, cookie: 'mh_session=not-a-session' });
    expect(revoked.status).toBe(401);
  });

  it('answers a plain GET with 426 UPGRADE_REQUIRED', async () => {
    const response = await t.app.inject({
      url: '/api/ws',
      cookies: { mh_session: mentee.token },
      headers: { origin: ORIGIN },
    });
    expect([response.statusCode, response.json<ErrorBody>().error.code]).toEqual([426, 'UPGRADE_REQUIRED']);
  });

  it('tells both parties of each step, with the stored notification, and nobody else', async () => {
    const menteeSocket = await LiveClient.open(t.app, mentee.token);
    const mentorSocket = await LiveClient.open(t.app, mentor.token);
    const strangerSocket = await LiveClient.open(t.app, stranger.token);
    try {
      const booking = await book(t.app, mentee.token, mentor.mentorId);
      const requested = await mentorSocket.next(
        'notification',
        (e) => e.notification.type === 'booking.requested',
      );
      expect(requested.notification.payload).toMatchObject({
        bookingId: booking.id,
        otherPartyName: 'mentee',
      });
      await mentorSocket.next('booking', (e) => e.bookingId === booking.id && e.status === 'requested');
      await menteeSocket.next('booking', (e) => e.bookingId === booking.id && e.status === 'requested');

      const confirm = await write(t.app, mentor.token, 'POST', `/api/bookings/${booking.id}/confirm`);
      expect(confirm.statusCode, confirm.body).toBe(200);
      await menteeSocket.next('booking', (e) => e.bookingId === booking.id && e.status === 'confirmed');
      await mentorSocket.next('booking', (e) => e.bookingId === booking.id && e.status === 'confirmed');
      const confirmed = await menteeSocket.next(
        'notification',
        (e) => e.notification.type === 'booking.confirmed',
      );
      // The same DTO the notifications list returns.
      const listed = await t.app.inject({
        url: '/api/me/notifications',
        cookies: { mh_session: mentee.token },
      });
      expect(listed.json<NotificationPage>().items[0]).toEqual(confirmed.notification);

      // Events reach a socket in the order they were published: once each one's own later booking has arrived,
      // anything misrouted to it before would have arrived too.
      const strangerMarker = await book(t.app, stranger.token, mentor.mentorId);
      await strangerSocket.next('booking', (e) => e.bookingId === strangerMarker.id);
      const menteeMarker = await book(t.app, mentee.token, mentor.mentorId);
      await menteeSocket.next('booking', (e) => e.bookingId === menteeMarker.id);
      expect(strangerSocket.events.filter((e) => !isAbout(e, strangerMarker.id))).toEqual([]);
      expect(menteeSocket.events.filter((e) => e.type === 'notification')).toHaveLength(1);
      expect(await metricTotal(t.app, 'live_messages_sent_total')).toBeGreaterThanOrEqual(6);
    } finally {
      for (const socket of [menteeSocket, mentorSocket, strangerSocket]) socket.close();
    }
  });

  it('sends nothing for a refused step or a transaction that fails at commit', async () => {
    const menteeSocket = await LiveClient.open(t.app, mentee.token);
    const mentorSocket = await LiveClient.open(t.app, mentor.token);
    try {
      const booking = await book(t.app, mentee.token, mentor.mentorId);
      await menteeSocket.next('booking', (e) => e.bookingId === booking.id);
      await mentorSocket.next('notification', (e) => e.notification.payload.bookingId === booking.id);
      const seen = [menteeSocket.events.length, mentorSocket.events.length];

      // The mentee may not confirm: 409, nothing announced.
      const refused = await write(t.app, mentee.token, 'POST', `/api/bookings/${booking.id}/confirm`);
      expect(refused.statusCode).toBe(409);

      // A check deferred to COMMIT fails after the status and the notification were written: rolled back, and
      // the event queued before it must never be sent.
      await sql`CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$`.execute(t.app.db);
      await sql`CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON notifications
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit()`.execute(t.app.db);
      try {
        const failed = await write(t.app, mentor.token, 'POST', `/api/bookings/${booking.id}/confirm`);
        expect(failed.statusCode).toBe(500);
      } finally {
        await sql`DROP TRIGGER refuse_commit ON notifications`.execute(t.app.db);
        await sql`DROP FUNCTION refuse_commit()`.execute(t.app.db);
      }
      const stored = await sql<{
        status: string;
      }>`SELECT status FROM bookings WHERE id = ${booking.id}`.execute(t.app.db);
      expect(stored.rows[0]?.status).toBe('requested');

      // Events reach a socket in the order they were published: after a later booking's events, nothing else.
      const marker = await book(t.app, mentee.token, mentor.mentorId);
      await menteeSocket.next('booking', (e) => e.bookingId === marker.id);
      await mentorSocket.next('notification', (e) => e.notification.payload.bookingId === marker.id);
      expect(menteeSocket.events.slice(seen[0]).filter((e) => !isAbout(e, marker.id))).toEqual([]);
      expect(mentorSocket.events.slice(seen[1]).filter((e) => !isAbout(e, marker.id))).toEqual([]);
    } finally {
      menteeSocket.close();
      mentorSocket.close();
    }
  });

  it('caps open sockets per account with close code 4429', async () => {
    const user = await signUp(t.app, 'many.tabs@example.com');
    const open = await Promise.all(Array.from({ length: 5 }, () => LiveClient.open(t.app, user.token)));
    await eventually(
      async () => (await metricTotal(t.app, 'live_connections')) === 5,
      undefined,
      () => `live_connections never reached 5 (closed: ${open.filter((c) => c.closed).length})`,
    );
    const extra = await LiveClient.open(t.app, user.token);
    await eventually(() => extra.closed !== undefined);
    expect(extra.closed?.code).toBe(liveCloseCodes.tooManyConnections);
    expect(open.every((client) => client.closed === undefined)).toBe(true);
    // A closed tab frees its place.
    open[0]?.close();
    await eventually(async () => (await metricTotal(t.app, 'live_connections')) === 4);
    const again = await LiveClient.open(t.app, user.token);
    // A refused socket is closed before any event: one that receives a later booking's event was let in.
    const marker = await book(t.app, user.token, mentor.mentorId);
    await again.next('booking', (e) => e.bookingId === marker.id);
    expect(again.closed).toBeUndefined();
    for (const client of [...open, again]) client.close();
    await eventually(async () => (await metricTotal(t.app, 'live_connections')) === 0);
  });

  it('closes the sockets of a session that signs out with 4401, and only those', async () => {
    const email = 'two.browsers@example.com';
    const laptop = (await signUp(t.app, email)).token;
    const phone = await signIn(t.app, email);
    const onLaptop = [await LiveClient.open(t.app, laptop), await LiveClient.open(t.app, laptop)];
    const onPhone = await LiveClient.open(t.app, phone);
    try {
      const logout = await write(t.app, laptop, 'POST', '/api/auth/logout');
      expect(logout.statusCode).toBe(204);
      await eventually(() => onLaptop.every(signedOut));
      const pings = onPhone.pings;
      await eventually(() => onPhone.pings >= pings + 3 || onPhone.closed !== undefined);
      expect(onPhone.closed).toBeUndefined();
      // A new sign-in from the browser that still has the phone's cookie rotates that session: its socket closes.
      await signIn(t.app, email, phone);
      await eventually(() => signedOut(onPhone));
    } finally {
      onPhone.close();
    }
  });

  it('closes every socket of the account when its password changes', async () => {
    const email = 'new.password@example.com';
    const first = (await signUp(t.app, email)).token;
    const second = await signIn(t.app, email);
    const clients = [await LiveClient.open(t.app, first), await LiveClient.open(t.app, second)];
    const changed = await write(t.app, first, 'POST', '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'another long enough password',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    await eventually(() => clients.every(signedOut));
    // The new session this browser got can listen again.
    const again = await LiveClient.open(t.app, sessionTokenOf(changed));
    await eventually(() => again.pings >= 3 || again.closed !== undefined);
    expect(again.closed).toBeUndefined();
    again.close();
  });

  it('closes a socket when its session expires', async () => {
    const user = await signUp(t.app, 'expiring@example.com');
    await sql`UPDATE sessions SET expires_at = now() + interval '600 milliseconds'
      WHERE user_id = ${user.userId}`.execute(t.app.db);
    const client = await LiveClient.open(t.app, user.token);
    await eventually(() => signedOut(client));
  });

  it('drops a socket that stops answering pings, and keeps the ones that answer', async () => {
    const silent = await LiveClient.open(t.app, mentee.token, { autoPong: false });
    const answering = await LiveClient.open(t.app, mentee.token);
    await eventually(() => silent.closed !== undefined);
    expect(silent.closed?.code).toBe(1006); // terminated, no closing handshake
    const pings = answering.pings;
    await eventually(() => answering.pings >= pings + 3 || answering.closed !== undefined);
    expect(answering.closed).toBeUndefined();
    answering.close();
  });
});

describe('shutdown', () => {
  it('closes open sockets with 1001 and does not hang', async () => {
    const t = await createTestApp({ seed: false });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const user = await signUp(t.app, 'leaving@example.com');
    const clients = await Promise.all([
      LiveClient.open(t.app, user.token),
      LiveClient.open(t.app, user.token),
    ]);
    await t.close();
    await eventually(() => clients.every((client) => client.closed !== undefined));
    expect(clients.map((client) => client.closed?.code)).toEqual([1001, 1001]);
  });
});

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('two API instances on one Redis', () => {
  const prefix = `mhtest:${randomBytes(4).toString('hex')}:`;
  let proxy: TcpProxy;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Instance A reaches Redis through a proxy the test can cut.
    proxy = await TcpProxy.start(redisUrl ?? '');
    a = await createTestApp({
      seed: false,
      env: { REDIS_URL: proxy.urlFor(redisUrl ?? ''), CACHE_PREFIX: prefix },
    });
    b = await createTestApp({
      database: a.database,
      env: { REDIS_URL: redisUrl ?? '', CACHE_PREFIX: prefix },
    });
    await Promise.all([
      a.app.listen({ host: '127.0.0.1', port: 0 }),
      b.app.listen({ host: '127.0.0.1', port: 0 }),
    ]);
    await eventually(() => a.app.live.fannedOut && b.app.live.fannedOut);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await proxy.close();
  });

  it('delivers an event caused by a write on A to a socket on B, once', async () => {
    const mentor = await signUpBookableMentor(a.app, 'mentor.ab@example.com');
    const mentee = await signUp(a.app, 'mentee.ab@example.com');
    const onB = await LiveClient.open(b.app, mentee.token);
    const mentorOnB = await LiveClient.open(b.app, mentor.token);
    try {
      const booking = await book(a.app, mentee.token, mentor.mentorId);
      await mentorOnB.next('notification', (e) => e.notification.payload.bookingId === booking.id);
      const confirm = await write(a.app, mentor.token, 'POST', `/api/bookings/${booking.id}/confirm`);
      expect(confirm.statusCode).toBe(200);
      await onB.next('booking', (e) => e.bookingId === booking.id && e.status === 'confirmed');
      await onB.next('notification', (e) => e.notification.type === 'booking.confirmed');
      // Events reach a socket in the order they were published: a duplicate would come before a later booking's.
      const marker = await book(a.app, mentee.token, mentor.mentorId);
      await onB.next('booking', (e) => e.bookingId === marker.id);
      expect(onB.events.filter((e) => e.type === 'booking' && e.status === 'confirmed')).toHaveLength(1);
    } finally {
      onB.close();
      mentorOnB.close();
    }
  });

  it("closes a session's sockets on B when it signs out on A", async () => {
    const user = await signUp(a.app, 'leaving.ab@example.com');
    const onB = await LiveClient.open(b.app, user.token);
    const logout = await write(a.app, user.token, 'POST', '/api/auth/logout');
    expect(logout.statusCode).toBe(204);
    await eventually(() => signedOut(onB));
  });

  it('still answers the write and serves local sockets while Redis is down, then has everyone re-read', async () => {
    const mentor = await signUpBookableMentor(a.app, 'mentor.down@example.com');
    const mentee = await signUp(a.app, 'mentee.down@example.com');
    const onA = await LiveClient.open(a.app, mentee.token);
    const mentorOnB = await LiveClient.open(b.app, mentor.token);
    const booking = await book(a.app, mentee.token, mentor.mentorId);
    await mentorOnB.next('booking', (e) => e.bookingId === booking.id);
    const errorsBefore = await metricTotal(a.app, 'live_publish_errors_total');
    proxy.cut();
    try {
      await eventually(() => !a.app.live.fannedOut);
      const confirm = await write(a.app, mentor.token, 'POST', `/api/bookings/${booking.id}/confirm`);
      expect(confirm.statusCode).toBe(200);
      await onA.next('booking', (e) => e.bookingId === booking.id && e.status === 'confirmed');
      await eventually(async () => (await metricTotal(a.app, 'live_publish_errors_total')) > errorsBefore);
      // B never heard of the confirmation: its publication failed (counted above), it is not kept for later…
      expect(mentorOnB.events.some((e) => e.type === 'booking' && e.status === 'confirmed')).toBe(false);
      expect(mentorOnB.events.some((e) => e.type === 'resync')).toBe(false);
      proxy.restore();
      await eventually(() => a.app.live.fannedOut);
      // …so once A is back, sockets on both instances are told to re-read.
      await mentorOnB.next('resync');
      await onA.next('resync');
    } finally {
      onA.close();
      mentorOnB.close();
      proxy.restore();
    }
  });
});
