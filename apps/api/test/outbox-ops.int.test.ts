import { randomUUID } from 'node:crypto';
import type { OutboxMessage, OutboxPage } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertMessage } from '../src/modules/outbox/outbox.repository';
import { signUp, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { TestMailServer } from './helpers/mail-server';
import { drain, extraWorker } from './helpers/outbox';
import { createTestApp, queryCount, type TestApp } from './helpers/test-app';

const DAY = 24 * HOUR;
const METRICS_TOKEN = 'outbox-ops-metrics-token-0123456789abcdef';
/** A value only a payload holds: it must never appear in what admins are shown. */
const PAYLOAD_SECRET = `verify-${randomUUID()}`;
/** A kind no composer writes: the worker parks such a message as a dead letter on its first attempt. */
const UNWRITTEN_KIND = 'account.unwritten';

let t: TestApp;
let smtp: TestMailServer;
let admin: { token: string; userId: number };
let mentee: { token: string; userId: number };
let mentor: { token: string; userId: number; mentorId: number };
let nextHour = 24;

const drainApp = () => drain(t.app.outbox);

function asAdmin(method: 'GET' | 'POST', url: string, payload?: object, token = admin.token) {
  return method === 'GET'
    ? t.app.inject({ method, url, cookies: { mh_session: token } })
    : write(t.app, token, method, url, payload);
}

async function listPage(query: string): Promise<OutboxPage> {
  const response = await asAdmin('GET', `/api/admin/outbox${query}`);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.body).not.toContain(PAYLOAD_SECRET);
  expect(queryCount(response), 'session lookup and one page query, whatever the page size').toBe(2);
  return response.json<OutboxPage>();
}

/** Every message in a status, following the cursors page by page. */
async function listAll(status: string, limit: number): Promise<{ items: OutboxMessage[]; pages: number }> {
  const items: OutboxMessage[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await listPage(
      `?status=${status}&limit=${String(limit)}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

/** A message the worker will park as a dead letter at once, its payload holding a secret. */
async function queueUnwritable(): Promise<void> {
  await insertMessage(t.app.db, {
    channel: 'email',
    idempotencyKey: `unwritten:${randomUUID()}`,
    recipientId: mentee.userId,
    kind: UNWRITTEN_KIND,
    payload: { token: PAYLOAD_SECRET },
  });
}

async function requestSession(): Promise<void> {
  nextHour += 1;
  const response = await write(t.app, mentee.token, 'POST', '/api/bookings', {
    mentorId: mentor.mentorId,
    startsAt: hourFromNow(nextHour),
  });
  expect(response.statusCode, response.body).toBe(201);
}

async function outboxIds(status: string): Promise<number[]> {
  const { rows } = await sql<{
    id: number;
  }>`SELECT id FROM outbox WHERE status = ${status} ORDER BY id`.execute(t.app.db);
  return rows.map((row) => row.id);
}

/** The value of an unlabelled metric in a Prometheus text scrape. */
function metricValue(scrape: string, name: string): number {
  const line = scrape.split('\n').find((entry) => entry.startsWith(`${name} `));
  if (!line) throw new Error(`${name} is not in the scrape`);
  return Number(line.slice(name.length + 1));
}

beforeAll(async () => {
  smtp = await TestMailServer.start();
  t = await createTestApp({
    seed: false,
    env: {
      CACHE_ENABLED: 'false',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'MentorHub <bookings@mentorhub.test>',
      OUTBOX_MAX_ATTEMPTS: '1',
      METRICS_TOKEN,
    },
  });
  admin = await signUp(t.app, 'admin@example.com', 'admin');
  mentee = await signUp(t.app, 'mentee@example.com');
  mentor = await signUpBookableMentor(t.app, 'mentor@example.com');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});
beforeEach(async () => {
  await smtp.resume();
  await sql`DELETE FROM outbox`.execute(t.app.db);
  smtp.received.length = 0;
});

describe('admin outbox routes', () => {
  it('answer 401 without a session and 403 to anyone but an admin, changing nothing', async () => {
    await queueUnwritable();
    await drainApp();
    const [id] = await outboxIds('dead');
    const routes = [
      { method: 'GET' as const, url: '/api/admin/outbox' },
      { method: 'POST' as const, url: `/api/admin/outbox/${String(id)}/retry` },
      { method: 'POST' as const, url: '/api/admin/outbox/retry', payload: { kind: UNWRITTEN_KIND } },
    ];
    for (const route of routes) {
      const anonymous = await t.app.inject({ ...route, headers: { origin: 'http://localhost:3000' } });
      expect(anonymous.statusCode, `${route.method} ${route.url}`).toBe(401);
      for (const token of [mentee.token, mentor.token]) {
        const response = await asAdmin(route.method, route.url, route.payload, token);
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(403);
        expect(response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
    }
    expect(await outboxIds('dead')).toEqual([id]);
  });

  it('list dead letters newest first, page by page, with the reason and never the payload', async () => {
    for (let i = 0; i < 5; i += 1) await queueUnwritable();
    expect(await drainApp()).toMatchObject({ claimed: 5, dead: 5 });
    const { items, pages } = await listAll('dead', 2);
    expect(pages).toBe(3);
    expect(items.map((item) => item.id).sort((a, b) => a - b)).toEqual(await outboxIds('dead'));
    const newestFirst = [...items].sort(
      (a, b) => (b.settledAt ?? '').localeCompare(a.settledAt ?? '') || b.id - a.id,
    );
    expect(items).toEqual(newestFirst);
    expect(items[0]).toMatchObject({
      channel: 'email',
      kind: UNWRITTEN_KIND,
      status: 'dead',
      recipient: { id: mentee.userId, email: 'mentee@example.com', name: 'mentee' },
      attempts: 1,
      lastError: `No mail is written for a "${UNWRITTEN_KIND}" message`,
      dueAt: null,
    });
    expect(items[0]?.lastAttemptAt).not.toBeNull();
    expect(items[0]).not.toHaveProperty('payload');
  });

  it('list pending messages next due first, and refuse a cursor from another status', async () => {
    await requestSession();
    await requestSession();
    const pending = await listPage('?status=pending&limit=1');
    expect(pending.items).toHaveLength(1);
    expect(pending.items[0]).toMatchObject({ status: 'pending', kind: 'booking.requested', attempts: 0 });
    expect(pending.items[0]?.dueAt).not.toBeNull();
    const rest = await listPage(`?status=pending&limit=1&cursor=${String(pending.nextCursor)}`);
    expect(rest.items.map((item) => item.id)).not.toContain(pending.items[0]?.id);
    const mixed = await asAdmin('GET', `/api/admin/outbox?status=dead&cursor=${String(pending.nextCursor)}`);
    expect(mixed.statusCode).toBe(400);
    expect((await asAdmin('GET', '/api/admin/outbox?status=sent')).statusCode).toBe(400);
    expect((await listPage('?status=dropped')).items).toEqual([]);
  });

  it('retry puts a dead letter back once; the worker then delivers it exactly once', async () => {
    await smtp.stop();
    await requestSession();
    expect(await drainApp()).toMatchObject({ claimed: 1, dead: 1 });
    const [id] = await outboxIds('dead');
    await smtp.resume();

    const retried = await asAdmin('POST', `/api/admin/outbox/${String(id)}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: 'pending', attempts: 0, settledAt: null });
    expect(queryCount(retried)).toBe(3);
    const again = await asAdmin('POST', `/api/admin/outbox/${String(id)}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'CONFLICT' } });

    expect(await drainApp()).toMatchObject({ claimed: 1, sent: 1 });
    expect(await drainApp()).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect([...smtp.countsByMessageId().values()]).toEqual([1]);
    expect(smtp.received[0]?.subject).toBe('New session request from mentee');

    const sent = await asAdmin('POST', `/api/admin/outbox/${String(id)}/retry`);
    expect(sent.statusCode).toBe(409);
    expect(sent.json<{ error: { message: string } }>().error.message).toContain('sent');
    expect((await asAdmin('POST', '/api/admin/outbox/2147483647/retry')).statusCode).toBe(404);
  });

  it('retry by kind moves every dead letter of that kind and only those', async () => {
    await queueUnwritable();
    await queueUnwritable();
    await smtp.stop();
    await requestSession();
    expect(await drainApp()).toMatchObject({ dead: 3 });
    const response = await asAdmin('POST', '/api/admin/outbox/retry', { kind: UNWRITTEN_KIND });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ retried: 2 });
    expect(queryCount(response)).toBe(2);
    expect(await outboxIds('pending')).toHaveLength(2);
    expect(await outboxIds('dead')).toHaveLength(1);
    expect((await asAdmin('POST', '/api/admin/outbox/retry', { kind: 'Not A Kind' })).statusCode).toBe(400);
  });
});

describe('outbox gauges', () => {
  it('are read on scrape by a process whose worker never ran', async () => {
    await queueUnwritable();
    await drainApp(); // one dead letter
    await requestSession();
    await requestSession();
    await requestSession(); // three pending, due now
    const lateBy = 2 * HOUR;
    const apiOnly = await createTestApp({
      database: t.database,
      clock: () => Date.now() + lateBy,
      env: { CACHE_ENABLED: 'false', OUTBOX_POLL_SECONDS: '0', METRICS_TOKEN },
    });
    try {
      const scrape = await apiOnly.app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(scrape.statusCode).toBe(200);
      expect(metricValue(scrape.body, 'outbox_pending_messages')).toBe(3);
      expect(metricValue(scrape.body, 'outbox_dead_letter_messages')).toBe(1);
      const age = metricValue(scrape.body, 'outbox_oldest_pending_age_seconds');
      expect(age).toBeGreaterThanOrEqual(lateBy / 1000);
      expect(age).toBeLessThan(lateBy / 1000 + 600);
    } finally {
      await apiOnly.close();
    }

    await drainApp();
    const after = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(metricValue(after.body, 'outbox_pending_messages')).toBe(0);
    expect(metricValue(after.body, 'outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('do not count a message scheduled for later as late', async () => {
    await insertMessage(t.app.db, {
      channel: 'email',
      idempotencyKey: `later:${randomUUID()}`,
      recipientId: mentee.userId,
      kind: 'booking.requested',
      payload: {},
    });
    await sql`UPDATE outbox SET available_at = now() + interval '1 day'`.execute(t.app.db);
    expect((await t.app.metrics.outboxPending.get()).values[0]?.value).toBe(1);
    expect((await t.app.metrics.outboxOldestPendingAge.get()).values[0]?.value).toBe(0);
  });
});

describe('retention', () => {
  it('deletes sent and dropped rows after OUTBOX_RETENTION_DAYS and dead letters only after their own, longer one', async () => {
    await requestSession();
    await drainApp(); // one sent
    await queueUnwritable();
    await drainApp(); // one dead
    await requestSession();
    await drainApp(); // a second sent row, turned into a dropped one below
    const [, dropped] = await outboxIds('sent');
    await sql`UPDATE outbox SET status = 'dropped', last_error = 'no longer applies' WHERE id = ${dropped}`.execute(
      t.app.db,
    );
    await requestSession(); // pending, and stays so: retention never deletes undelivered mail
    const [pending] = await outboxIds('pending');
    const settledCount = (await outboxIds('sent')).length + (await outboxIds('dropped')).length;
    expect(settledCount).toBe(2);

    const { OUTBOX_RETENTION_DAYS: keepDays, OUTBOX_DEAD_LETTER_RETENTION_DAYS: deadDays } = t.app.config;
    const workerAt = (offsetMs: number) =>
      extraWorker(t.app, 'smtp://127.0.0.1:9', { batchSize: 0, clock: () => Date.now() + offsetMs });

    const withinRetention = workerAt((keepDays - 1) * DAY);
    expect(await withinRetention.runOnce()).toMatchObject({ deleted: 0 });
    const pastRetention = workerAt((keepDays + 1) * DAY);
    expect(await pastRetention.runOnce()).toMatchObject({ deleted: 2 });
    expect(await outboxIds('sent')).toEqual([]);
    expect(await outboxIds('dropped')).toEqual([]);
    expect((await outboxIds('dead')).length).toBe(1);
    expect(await outboxIds('pending')).toEqual([pending]);

    const pastDeadRetention = workerAt((deadDays + 1) * DAY);
    expect(await pastDeadRetention.runOnce()).toMatchObject({ deleted: 1 });
    expect(await outboxIds('dead')).toEqual([]);
    expect(await outboxIds('pending')).toEqual([pending]);
    await Promise.all([withinRetention.stop(), pastRetention.stop(), pastDeadRetention.stop()]);
  });
});
