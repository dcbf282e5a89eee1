import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Booking } from '@mentorhub/contracts';
import { simpleParser, type ParsedMail } from 'mailparser';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bookingMailMessage } from '../src/modules/outbox/booking-mail';
import { claimDue, insertMessage, settle } from '../src/modules/outbox/outbox.repository';
import { retryDelayMs, type OutboxWorker } from '../src/modules/outbox/outbox.worker';
import { signUp, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { booked } from './helpers/bookings';
import { onlyMailTo } from './helpers/mail';
import { TestMailServer, wallClockTime } from './helpers/mail-server';
import { drain as drainWorker, extraWorker } from './helpers/outbox';
import { eventually } from './helpers/services';
import { createTestApp, type TestApp } from './helpers/test-app';

const MAX_ATTEMPTS = 3;
const LEASE_SECONDS = 60;

let t: TestApp;
let smtp: TestMailServer;
/** How far the outbox's clock runs ahead: moved past backoffs and leases instead of waiting for them. */
let skew = 0;
const clock = () => Date.now() + skew;
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };
let nextHour = 24;

async function requestSession(): Promise<Booking> {
  nextHour += 1;
  return booked(t.app, mentee.token, mentor.mentorId, hourFromNow(nextHour));
}

async function confirm(booking: Booking): Promise<void> {
  const response = await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/confirm`);
  expect(response.statusCode, response.body).toBe(200);
}

async function outboxRows() {
  const { rows } = await sql<{ status: string; attempts: number; idempotency_key: string }>`
    SELECT status, attempts, idempotency_key FROM outbox ORDER BY id`.execute(t.app.db);
  return rows;
}

/** Runs the app's worker (or `worker`) until a pass claims nothing. */
const drain = (worker: OutboxWorker = t.app.outbox) => drainWorker(worker);

async function counterValue(counter: { get(): Promise<{ values: { value: number }[] }> }) {
  return (await counter.get()).values.reduce((sum, { value }) => sum + value, 0);
}

function secondWorker(batchSize: number): OutboxWorker {
  return extraWorker(t.app, smtp.url, { batchSize, clock });
}

beforeAll(async () => {
  smtp = await TestMailServer.start();
  t = await createTestApp({
    seed: false,
    clock,
    env: {
      CACHE_ENABLED: 'false',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'MentorHub <bookings@mentorhub.test>',
      WEB_APP_URL: 'https://app.mentorhub.test',
      OUTBOX_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS),
    },
  });
  mentor = await signUpBookableMentor(t.app, 'mentor@example.com');
  mentee = await signUp(t.app, 'mentee@example.com');
  await sql`UPDATE users SET timezone = 'America/New_York' WHERE id = ${mentor.userId}`.execute(t.app.db);
  await sql`UPDATE users SET timezone = 'Europe/Berlin' WHERE id = ${mentee.userId}`.execute(t.app.db);
  // Delivery mechanics are counted mail by mail here; session reminders have their own tests.
  for (const { token } of [mentor, mentee]) {
    const response = await write(t.app, token, 'PUT', '/api/me/notification-preferences', {
      channels: {
        bookingUpdates: { inApp: true, email: true },
        reminders: { email: true },
        reviews: { inApp: true },
        messages: { email: true },
      },
      reminderOffsetMinutes: [],
    });
    expect(response.statusCode, response.body).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});
beforeEach(async () => {
  await smtp.resume(); // a test that stopped the server may have failed before resuming it
  await drain();
  smtp.received.length = 0;
});

describe('booking mail', () => {
  it('a request reaches the mentor and a confirmation both parties, each in their own timezone', async () => {
    const booking = await requestSession();
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    const request = onlyMailTo(smtp.received, 'mentor@example.com', /^New session request from mentee$/);
    expect(request.text).toContain(wallClockTime(booking.startsAt, 'America/New_York'));
    expect(request.text).toMatch(/ E[SD]T/);
    expect(request.text).toContain('https://app.mentorhub.test/dashboard');
    expect(request.html).toContain('href="https://app.mentorhub.test/dashboard"');
    expect(request.from?.value[0]?.address).toBe('bookings@mentorhub.test');

    await confirm(booking);
    expect(await drain()).toMatchObject({ claimed: 2, sent: 2 });
    const toMentee = onlyMailTo(
      smtp.received,
      'mentee@example.com',
      /^Your session with mentor is confirmed$/,
    );
    expect(toMentee.text).toContain(wallClockTime(booking.startsAt, 'Europe/Berlin'));
    expect(toMentee.text).toMatch(/ CES?T/);
    expect(toMentee.text).not.toContain(wallClockTime(booking.startsAt, 'America/New_York'));
    expect(toMentee.html).toContain('<strong>When:</strong>');
    const toMentor = onlyMailTo(
      smtp.received,
      'mentor@example.com',
      /^Your session with mentee is confirmed$/,
    );
    expect(toMentor.text).toContain(wallClockTime(booking.startsAt, 'America/New_York'));
    expect(smtp.received).toHaveLength(3);
    expect(new Set(smtp.received.map((mail) => mail.messageId)).size).toBe(3);
  });

  it('declined and cancelled sessions are mailed to the other party', async () => {
    await write(t.app, mentor.token, 'POST', `/api/bookings/${String((await requestSession()).id)}/decline`);
    const cancelled = await requestSession();
    await confirm(cancelled);
    await write(t.app, mentee.token, 'POST', `/api/bookings/${String(cancelled.id)}/cancel`, {
      reason: 'Ill',
    });
    await drain();
    onlyMailTo(smtp.received, 'mentee@example.com', /^mentor declined your session request$/);
    onlyMailTo(smtp.received, 'mentor@example.com', /^Your session with mentee was cancelled$/);
  });
});

describe('delivery faults', () => {
  it('with the SMTP server down bookings still succeed; when it returns each message arrives exactly once', async () => {
    await smtp.stop();
    const failuresBefore = await counterValue(t.app.metrics.outboxFailures);
    const bookings = [await requestSession(), await requestSession()];
    await confirm(bookings[0] as Booking);
    const down = await drain();
    expect(down).toMatchObject({ claimed: 4, sent: 0, retried: 4 });
    expect(await counterValue(t.app.metrics.outboxFailures)).toBe(failuresBefore + 4);
    expect((await t.app.metrics.outboxPending.get()).values[0]?.value).toBe(4);
    // Not due again until the backoff has passed.
    expect(await drain()).toMatchObject({ claimed: 0 });

    await smtp.resume();
    skew += HOUR;
    expect(await drain()).toMatchObject({ claimed: 4, sent: 4 });
    skew += HOUR;
    expect(await drain()).toMatchObject({ claimed: 0 });
    expect([...smtp.countsByMessageId().values()]).toEqual([1, 1, 1, 1]);
    expect((await t.app.metrics.outboxPending.get()).values[0]?.value).toBe(0);
  });

  it('two workers racing on one database never send a message twice', async () => {
    for (let i = 0; i < 12; i += 1) await requestSession();
    const a = secondWorker(2);
    const b = secondWorker(2);
    const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
    await Promise.all([a.stop(), b.stop()]);
    expect(fromA.sent + fromB.sent).toBe(12);
    expect(smtp.received).toHaveLength(12);
    expect([...smtp.countsByMessageId().values()].every((count) => count === 1)).toBe(true);
  });

  it('a message claimed by a worker that died is delivered by another once the lease ends', async () => {
    await requestSession();
    const deadWorkerToken = randomUUID();
    const claimed = await claimDue(
      t.app.db,
      new Date(clock()),
      new Date(clock() + LEASE_SECONDS * 1000),
      deadWorkerToken,
      10,
    );
    expect(claimed).toHaveLength(1);
    expect(await drain()).toMatchObject({ claimed: 0 }); // still leased
    skew += LEASE_SECONDS * 1000 + 1;
    expect(await drain()).toMatchObject({ claimed: 1, sent: 1 });
    expect(smtp.received).toHaveLength(1);
    // The dead worker's late settlement changes nothing.
    const id = (claimed[0] as { id: number }).id;
    expect(
      await settle(t.app.db, id, deadWorkerToken, new Date(clock()), { status: 'dead', error: 'late' }),
    ).toBe(false);
    const { rows } = await sql<{ status: string }>`SELECT status FROM outbox WHERE id = ${id}`.execute(
      t.app.db,
    );
    expect(rows[0]?.status).toBe('sent');
  });

  it('after the last attempt a message is a dead letter: logged, counted, never tried again', async () => {
    await smtp.stop();
    const deadBefore = await counterValue(t.app.metrics.outboxDeadLetters);
    await requestSession();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      expect(await drain()).toMatchObject({ claimed: 1 });
      skew += HOUR;
    }
    expect(await drain()).toMatchObject({ claimed: 0 });
    const last = (await outboxRows()).at(-1);
    expect(last).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(await counterValue(t.app.metrics.outboxDeadLetters)).toBe(deadBefore + 1);
    expect(t.logs.some((line) => line.msg === 'Outbox message is a dead letter')).toBe(true);
    await smtp.resume();
    skew += HOUR;
    expect(await drain()).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(0);
  });

  it('retry delays double and are jittered by at most half', () => {
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, () => 0.5)).toBe(22_500);
    expect(retryDelayMs(2, () => 0)).toBe(30_000);
    expect(retryDelayMs(3, () => 0)).toBe(60_000);
    expect(retryDelayMs(40, () => 0)).toBe(3 * HOUR);
  });
});

describe('the outbox and its transaction', () => {
  it('writes no message when the change rolls back', async () => {
    const before = await outboxRows();
    await expect(
      t.app.db.transaction().execute(async (trx) => {
        const message = bookingMailMessage(
          {
            userId: mentee.userId,
            type: 'booking.confirmed',
            payload: { bookingId: 999_999, startsAt: hourFromNow(30), otherPartyName: 'Nobody' },
          },
          1,
        );
        if (message) await insertMessage(trx, message);
        throw new Error('the change failed after its notification was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows()).toEqual(before);
  });

  it('a replayed booking request (same Idempotency-Key) queues its mail once', async () => {
    const body = { mentorId: mentor.mentorId, startsAt: hourFromNow(200) };
    const headers = { 'idempotency-key': randomUUID() };
    const first = await write(t.app, mentee.token, 'POST', '/api/bookings', body, headers);
    const replay = await write(t.app, mentee.token, 'POST', '/api/bookings', body, headers);
    expect([first.statusCode, replay.statusCode]).toEqual([201, 201]);
    expect(await drain()).toMatchObject({ sent: 1 });
  });
});

describe('without SMTP_URL', () => {
  it('the API process delivers on its own, writing each mail as a parseable .eml file under DATA_DIR/mail', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mentorhub-mail-'));
    const files = await createTestApp({
      seed: false,
      env: { CACHE_ENABLED: 'false', DATA_DIR: dataDir, OUTBOX_POLL_SECONDS: '0.05' },
    });
    try {
      const m = await signUpBookableMentor(files.app, 'files-mentor@example.com');
      const u = await signUp(files.app, 'files-mentee@example.com');
      const response = await write(files.app, u.token, 'POST', '/api/bookings', {
        mentorId: m.mentorId,
        startsAt: hourFromNow(30),
      });
      expect(response.statusCode, response.body).toBe(201);
      const mailDir = join(dataDir, 'mail');
      // The sign-ups' verification mails may be written too (if delivered before their link was used).
      const bookingMail = async () => {
        for (const name of await readdir(mailDir).catch(() => [] as string[])) {
          const parsed = await simpleParser(await readFile(join(mailDir, name)));
          if (parsed.subject?.startsWith('New session request')) return { name, mail: parsed };
        }
        return undefined;
      };
      await eventually(async () => (await bookingMail()) !== undefined);
      const { name, mail } = (await bookingMail()) as { name: string; mail: ParsedMail };
      const names = await readdir(mailDir);
      expect(mail.subject).toBe('New session request from files-mentee');
      expect(mail.messageId).toMatch(/^<[0-9a-f]{40}@mentorhub\.localhost>$/);
      expect(mail.text).toContain('/dashboard');
      expect(mail.html).toContain('<p>');

      const listed = await files.app.inject('/api/dev/mailbox');
      expect(listed.statusCode).toBe(200);
      expect(
        listed
          .json<{ items: { name: string }[] }>()
          .items.map((item) => item.name)
          .sort(),
      ).toEqual(names.sort());
      const served = await files.app.inject(`/api/dev/mailbox/${name}`);
      expect(served.statusCode).toBe(200);
      expect((await simpleParser(served.json<{ raw: string }>().raw)).messageId).toBe(mail.messageId);
      expect((await files.app.inject('/api/dev/mailbox/..%2Fpglite')).statusCode).toBe(400);
      expect((await files.app.inject(`/api/dev/mailbox/${'0'.repeat(32)}.eml`)).statusCode).toBe(404);
    } finally {
      await files.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
