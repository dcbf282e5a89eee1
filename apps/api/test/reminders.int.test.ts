import type { Booking } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxWorker, PassResult } from '../src/modules/outbox/outbox.worker';
import { scheduleReminders } from '../src/modules/reminders/reminders.service';
import { timeLeftPhrase } from '../src/modules/reminders/reminder-mail';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { onlyMailTo } from './helpers/mail';
import { TestMailServer } from './helpers/mail-server';
import { drain, extraWorker } from './helpers/outbox';
import { createTestApp, type TestApp } from './helpers/test-app';

const MINUTE = 60_000;
const SECOND = 1000;

let t: TestApp;
let smtp: TestMailServer;
/** The outbox's clock: the real time, or an instant a test set to play time forward without waiting. */
let frozenAt: number | undefined;
const clock = () => frozenAt ?? Date.now();
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };

/** Delivers what is due at `instant` (the clock stands still there) and returns what happened. */
async function drainAt(instant: number, worker?: OutboxWorker): Promise<PassResult> {
  frozenAt = instant;
  try {
    return await drain(worker ?? t.app.outbox);
  } finally {
    frozenAt = undefined;
  }
}

/** A session requested directly in the database (any start, however far ahead), then confirmed by the mentor. */
async function confirmedSession(startsAt: string): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO bookings (mentor_id, mentee_id, starts_at, ends_at, price_cents, currency)
    VALUES (${mentor.mentorId}, ${mentee.userId}, ${startsAt}::timestamptz,
            ${startsAt}::timestamptz + interval '1 hour', 6000, 'EUR')
    RETURNING id`.execute(t.app.db);
  const id = rows[0]?.id as number;
  const response = await write(t.app, mentor.token, 'POST', `/api/bookings/${String(id)}/confirm`);
  expect(response.statusCode, response.body).toBe(200);
  // The confirmation mails themselves are due at once: out of the way before time is played forward.
  await drain(t.app.outbox);
  smtp.received.length = 0;
  return id;
}

async function reminderRows(bookingId: number) {
  const { rows } = await sql<{
    status: string;
    last_error: string | null;
    recipient_id: number;
    offset: number;
  }>`
    SELECT status, last_error, recipient_id, (payload->>'offsetMinutes')::int AS "offset"
      FROM outbox WHERE kind = 'booking.reminder' AND (payload->>'bookingId')::int = ${bookingId}
     ORDER BY recipient_id, "offset"`.execute(t.app.db);
  return rows;
}

function secondWorker(): OutboxWorker {
  return extraWorker(t.app, smtp.url, { batchSize: 2, clock });
}

beforeAll(async () => {
  smtp = await TestMailServer.start();
  t = await createTestApp({
    seed: false,
    clock,
    env: {
      CACHE_ENABLED: 'false',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'MentorHub <reminders@mentorhub.test>',
      WEB_APP_URL: 'https://app.mentorhub.test',
    },
  });
  mentor = await signUpMentor(t.app, 'berlin@example.com');
  mentee = await signUp(t.app, 'newyork@example.com');
  await sql`UPDATE users SET timezone = 'Europe/Berlin', name = 'Greta' WHERE id = ${mentor.userId}`.execute(
    t.app.db,
  );
  await sql`UPDATE users SET timezone = 'America/New_York', name = 'Sam' WHERE id = ${mentee.userId}`.execute(
    t.app.db,
  );
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});
beforeEach(async () => {
  // Each test plays its own sessions forward in time: no reminder of an earlier test may become due in it.
  await drain(t.app.outbox);
  await sql`DELETE FROM outbox`.execute(t.app.db);
  smtp.received.length = 0;
});

describe('reminders across clock changes', () => {
  // Each session starts just after a change in one of the two zones, so "24 hours before" is 23 or 25 hours of
  // wall-clock time there: only instant arithmetic gets the moment right.
  it.each([
    {
      change: 'Berlin springs forward (March 28, 2027)',
      startsAt: '2027-03-28T01:30:00.000Z',
      berlin: 'Sunday, March 28, 2027 at 3:30 AM CEST',
      newYork: 'Saturday, March 27, 2027 at 9:30 PM EDT',
    },
    {
      change: 'New York springs forward (March 14, 2027)',
      startsAt: '2027-03-14T07:30:00.000Z',
      berlin: 'Sunday, March 14, 2027 at 8:30 AM CET',
      newYork: 'Sunday, March 14, 2027 at 3:30 AM EDT',
    },
    {
      change: 'Berlin falls back (October 31, 2027)',
      startsAt: '2027-10-31T01:30:00.000Z',
      berlin: 'Sunday, October 31, 2027 at 2:30 AM CET',
      newYork: 'Saturday, October 30, 2027 at 9:30 PM EDT',
    },
    {
      change: 'New York falls back, in the repeated hour (November 7, 2027)',
      startsAt: '2027-11-07T06:30:00.000Z',
      berlin: 'Sunday, November 7, 2027 at 7:30 AM CET',
      newYork: 'Sunday, November 7, 2027 at 1:30 AM EST',
    },
  ])('$change: each reminder is due at exactly start − offset, in each recipient’s zone', async (session) => {
    const bookingId = await confirmedSession(session.startsAt);
    // Reminders written for later are not late: the backlog age counts only what is due.
    expect((await t.app.metrics.outboxOldestPendingAge.get()).values[0]?.value).toBe(0);
    const start = Date.parse(session.startsAt);
    for (const [offsetMinutes, phrase] of [
      [1440, '24 hours'],
      [60, '1 hour'],
    ] as const) {
      const due = start - offsetMinutes * MINUTE;
      expect(await drainAt(due - SECOND), `nothing is due a second before ${phrase}`).toMatchObject({
        claimed: 0,
      });
      expect(await drainAt(due)).toMatchObject({ claimed: 2, sent: 2 });
      const toMentor = onlyMailTo(smtp.received, 'berlin@example.com');
      expect(toMentor.subject).toBe(`Reminder: your session with Sam starts in ${phrase}`);
      expect(toMentor.text).toContain(`When: ${session.berlin}`);
      expect(toMentor.html).toContain(session.berlin);
      const toMentee = onlyMailTo(smtp.received, 'newyork@example.com');
      expect(toMentee.subject).toBe(`Reminder: your session with Greta starts in ${phrase}`);
      expect(toMentee.text).toContain(`When: ${session.newYork}`);
      expect(toMentee.text).toContain('https://app.mentorhub.test/dashboard');
      const unsubscribe = toMentee.headerLines.find((header) => header.key === 'list-unsubscribe')?.line;
      expect(unsubscribe).toContain(`/api/unsubscribe/${String(mentee.userId)}.reminders.`);
      smtp.received.length = 0;
    }
    expect(await drainAt(start + HOUR)).toMatchObject({ claimed: 0 });
    expect((await reminderRows(bookingId)).map((row) => row.status)).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
    ]);
  });
});

describe('reminders that no longer apply', () => {
  it('a cancelled session never reminds: its reminders drop when they come due', async () => {
    const startsAt = '2027-05-10T10:00:00.000Z';
    const bookingId = await confirmedSession(startsAt);
    const cancel = await write(t.app, mentee.token, 'POST', `/api/bookings/${String(bookingId)}/cancel`, {
      reason: 'Travelling',
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await drain(t.app.outbox); // the cancellation mail
    smtp.received.length = 0;
    expect(await drainAt(Date.parse(startsAt) - 10 * MINUTE)).toMatchObject({
      claimed: 4,
      sent: 0,
      dropped: 4,
    });
    expect(smtp.received).toHaveLength(0);
    expect(new Set((await reminderRows(bookingId)).map((row) => row.last_error))).toEqual(
      new Set(['the session is cancelled']),
    );
  });

  it('a moved session never reminds at its old time: the new start gets reminders of its own', async () => {
    const oldStart = '2027-05-12T10:00:00.000Z';
    const newStart = '2027-05-13T15:00:00.000Z';
    const bookingId = await confirmedSession(oldStart);
    // How a reschedule moves a session: new times and a new sequence, then its reminders in the same transaction.
    await t.app.db.transaction().execute(async (trx) => {
      await sql`UPDATE bookings SET starts_at = ${newStart}::timestamptz,
                  ends_at = ${newStart}::timestamptz + interval '1 hour', sequence = sequence + 1
                WHERE id = ${bookingId}`.execute(trx);
      await scheduleReminders(trx, [bookingId], Date.now());
    });
    expect(await drainAt(Date.parse(oldStart) - HOUR)).toMatchObject({ claimed: 4, sent: 0, dropped: 4 });
    expect(smtp.received).toHaveLength(0);
    expect(await drainAt(Date.parse(newStart) - HOUR)).toMatchObject({ sent: 2, dropped: 2 });
    expect(onlyMailTo(smtp.received, 'newyork@example.com').text).toContain(
      'Thursday, May 13, 2027 at 11:00 AM EDT',
    );
    const rows = await reminderRows(bookingId);
    expect(rows.filter((row) => row.last_error === 'the session moved')).toHaveLength(4);
  });

  it('a reminder that came due while nothing delivered is sent once if the session has not started', async () => {
    const startsAt = '2027-05-15T10:00:00.000Z';
    const bookingId = await confirmedSession(startsAt);
    // Down from before the 24-hour reminder until 40 minutes before the start: only the closest one goes out.
    expect(await drainAt(Date.parse(startsAt) - 40 * MINUTE)).toMatchObject({ sent: 2, dropped: 2 });
    expect(onlyMailTo(smtp.received, 'newyork@example.com').subject).toBe(
      'Reminder: your session with Greta starts in 40 minutes',
    );
    expect(onlyMailTo(smtp.received, 'berlin@example.com').text).toContain(
      'Your session with Sam starts in 40 minutes.',
    );
    expect(await drainAt(Date.parse(startsAt) - 10 * MINUTE)).toMatchObject({ claimed: 0 });
    expect(smtp.received).toHaveLength(2);
    expect((await reminderRows(bookingId)).map((row) => [row.offset, row.status])).toEqual([
      [60, 'sent'],
      [1440, 'dropped'],
      [60, 'sent'],
      [1440, 'dropped'],
    ]);
  });

  it('a reminder whose session started while nothing delivered is dropped', async () => {
    const startsAt = '2027-05-16T10:00:00.000Z';
    const bookingId = await confirmedSession(startsAt);
    expect(await drainAt(Date.parse(startsAt) + MINUTE)).toMatchObject({ claimed: 4, sent: 0, dropped: 4 });
    expect(smtp.received).toHaveLength(0);
    expect(new Set((await reminderRows(bookingId)).map((row) => row.last_error))).toEqual(
      new Set(['the session has started']),
    );
  });

  it('no reminder is written for an offset that has already passed when the session is confirmed', async () => {
    const startsAt = new Date(Math.ceil((Date.now() + 3 * HOUR) / HOUR) * HOUR).toISOString();
    const bookingId = await confirmedSession(startsAt);
    expect((await reminderRows(bookingId)).map((row) => row.offset)).toEqual([60, 60]);
  });
});

describe('reminders of a rescheduled session', () => {
  const MOVING_MENTOR = 'moving@example.com';
  let bookable: { token: string; userId: number; mentorId: number };
  beforeAll(async () => {
    bookable = await signUpBookableMentor(t.app, MOVING_MENTOR);
  });

  async function ok(response: Promise<{ statusCode: number; body: string }>, status = 200): Promise<Booking> {
    const answered = await response;
    expect(answered.statusCode, answered.body).toBe(status);
    return JSON.parse(answered.body) as Booking;
  }

  /** Booked and confirmed through the API at `startsAt`, then moved to `movedTo` by an accepted proposal. */
  async function movedSession(startsAt: string, movedTo: string): Promise<Booking> {
    const requested = await ok(
      write(t.app, mentee.token, 'POST', '/api/bookings', { mentorId: bookable.mentorId, startsAt }),
      201,
    );
    const path = `/api/bookings/${String(requested.id)}`;
    const confirmed = await ok(write(t.app, bookable.token, 'POST', `${path}/confirm`));
    const proposed = await ok(
      write(t.app, mentee.token, 'POST', `${path}/reschedule`, {
        sequence: confirmed.sequence,
        startsAt: movedTo,
      }),
    );
    const moved = await ok(
      write(t.app, bookable.token, 'POST', `${path}/reschedule/accept`, { sequence: proposed.sequence }),
    );
    expect(moved.startsAt).toBe(movedTo);
    // The mails of the booking's changes are due at once: out of the way before time is played forward.
    await drain(t.app.outbox);
    smtp.received.length = 0;
    return moved;
  }

  /** The instants each party is reminded at before a session starting at `startsAt`: 24 hours and 1 hour ahead. */
  const reminderInstants = (startsAt: string) =>
    [1440, 60].map((offset) => Date.parse(startsAt) - offset * MINUTE);

  it('after an accepted move nothing goes out at the old reminder instants, one of each at the new ones', async () => {
    const oldStart = hourFromNow(48);
    const newStart = hourFromNow(72);
    await movedSession(oldStart, newStart);
    for (const instant of reminderInstants(oldStart))
      expect(await drainAt(instant), new Date(instant).toISOString()).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(0);
    for (const [index, instant] of reminderInstants(newStart).entries()) {
      expect(await drainAt(instant)).toMatchObject({ sent: 2 });
      const phrase = index === 0 ? '24 hours' : '1 hour';
      expect(onlyMailTo(smtp.received, MOVING_MENTOR).subject).toBe(
        `Reminder: your session with Sam starts in ${phrase}`,
      );
      expect(onlyMailTo(smtp.received, 'newyork@example.com').subject).toContain(`starts in ${phrase}`);
      expect(smtp.received, 'one reminder to each party').toHaveLength(2);
      smtp.received.length = 0;
    }
    expect(await drainAt(Date.parse(newStart) + HOUR)).toMatchObject({ claimed: 0 });
  });

  it('a moved session that is then cancelled reminds nobody, at either time', async () => {
    const oldStart = hourFromNow(50);
    const newStart = hourFromNow(74);
    const moved = await movedSession(oldStart, newStart);
    const cancel = await write(t.app, mentee.token, 'POST', `/api/bookings/${String(moved.id)}/cancel`, {
      reason: 'Travelling',
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    await drain(t.app.outbox); // the cancellation mails
    smtp.received.length = 0;
    for (const instant of [...reminderInstants(oldStart), ...reminderInstants(newStart)])
      expect(await drainAt(instant)).toMatchObject({ sent: 0 });
    expect(smtp.received).toHaveLength(0);
  });
});

describe('reminders and racing workers', () => {
  it('two workers delivering at once send each reminder exactly once', async () => {
    const base = Date.parse('2027-06-01T08:00:00.000Z');
    for (let i = 0; i < 6; i += 1) await confirmedSession(new Date(base + i * 2 * HOUR).toISOString());
    // Every 24-hour reminder is due, no 1-hour one yet.
    const instant = base + 10 * HOUR - 24 * HOUR;
    frozenAt = instant;
    const [a, b] = [secondWorker(), secondWorker()];
    try {
      const [fromA, fromB] = await Promise.all([drain(a), drain(b)]);
      expect(fromA.sent + fromB.sent).toBe(12);
    } finally {
      frozenAt = undefined;
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(smtp.received).toHaveLength(12);
    expect([...smtp.countsByMessageId().values()].every((count) => count === 1)).toBe(true);
  });
});

describe('the time a late reminder announces', () => {
  it('is the offset when on time, and what is really left when late', () => {
    expect(timeLeftPhrase(60 * MINUTE, 60)).toBe('1 hour');
    expect(timeLeftPhrase(60 * MINUTE - 3 * SECOND, 60)).toBe('1 hour');
    expect(timeLeftPhrase(40 * MINUTE, 60)).toBe('40 minutes');
    expect(timeLeftPhrase(24 * HOUR, 1440)).toBe('24 hours');
    expect(timeLeftPhrase(5 * HOUR + 10 * MINUTE, 1440)).toBe('5 hours');
    expect(timeLeftPhrase(MINUTE, 15)).toBe('1 minute');
  });
});
