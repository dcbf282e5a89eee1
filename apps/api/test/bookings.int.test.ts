import type {
  Availability,
  AvailabilitySettings,
  Booking,
  ErrorBody,
  MentorDetail,
  Page,
} from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { HOUR, OPEN_ALL_WEEK, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { createTestApp, queryCount, serverTiming, type TestApp } from './helpers/test-app';

const DAY = 24 * HOUR;

let t: TestApp;
/** How far the app's clock runs ahead of the real time (a test plays time forward instead of waiting). */
let clockAhead = 0;
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };

function book(
  token: string,
  startsAt: string,
  headers: Record<string, string> = {},
  mentorId = mentor.mentorId,
) {
  return write(t.app, token, 'POST', '/api/bookings', { mentorId, startsAt }, headers);
}

async function booked(token: string, startsAt: string): Promise<Booking> {
  const response = await book(token, startsAt);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Booking>();
}

function act(token: string, id: number, action: string, payload?: object) {
  return write(t.app, token, 'POST', `/api/bookings/${id}/${action}`, payload);
}

function errorCode(response: LightMyRequestResponse): string {
  return response.json<ErrorBody>().error.code;
}

async function liveRows(startsAt: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM bookings
    WHERE mentor_id = ${mentor.mentorId} AND starts_at = ${startsAt} AND status IN ('requested', 'confirmed')`.execute(
    t.app.db,
  );
  return rows[0]?.n ?? -1;
}

beforeAll(async () => {
  t = await createTestApp({ seed: false, clock: () => Date.now() + clockAhead });
  mentor = await signUpBookableMentor(t.app, 'mentor@example.com');
  mentee = await signUp(t.app, 'mentee@example.com');
});
afterAll(() => t.close());

describe('booking a slot', () => {
  it('100 concurrent requests for one slot: exactly one 201, 99 × 409 SLOT_TAKEN, one row', async () => {
    const mentees = await Promise.all(
      Array.from({ length: 100 }, (_, i) => signUp(t.app, `racer${i}@example.com`)),
    );
    const startsAt = hourFromNow(72);
    const responses = await Promise.all(mentees.map((m) => book(m.token, startsAt)));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect(new Set(responses.filter((r) => r.statusCode === 409).map(errorCode))).toEqual(
      new Set(['SLOT_TAKEN']),
    );
    expect(await liveRows(startsAt)).toBe(1);
  });

  it('takes the slot off the cached availability at once, and a decline puts it back', async () => {
    const startsAt = hourFromNow(30);
    const date = startsAt.slice(0, 10);
    const url = `/api/mentors/${mentor.mentorId}/availability?from=${date}&to=${date}`;
    const offered = async () =>
      (await t.app.inject(url)).json<Availability>().days.flatMap((d) => d.slots.map((s) => s.startsAt));
    expect(await offered()).toContain(startsAt);
    expect(serverTiming(await t.app.inject(url)).cache).toBe('hit');

    const booking = await booked(mentee.token, startsAt);
    expect(booking).toMatchObject({
      status: 'requested',
      startsAt,
      price: { amountCents: 6000, currency: 'USD' },
    });
    expect(await offered()).not.toContain(startsAt);

    expect((await act(mentor.token, booking.id, 'decline')).json<Booking>().status).toBe('declined');
    expect(await offered()).toContain(startsAt);
  });

  it('refuses times the mentor does not offer, bookings with oneself and unknown mentors', async () => {
    const offHour = new Date(Date.parse(hourFromNow(48)) + 30 * 60_000).toISOString(); // a half hour
    const refusedOffHour = await book(mentee.token, offHour);
    expect([refusedOffHour.statusCode, errorCode(refusedOffHour)]).toEqual([422, 'SLOT_UNAVAILABLE']);
    const past = await book(
      mentee.token,
      new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR).toISOString(),
    );
    expect([past.statusCode, errorCode(past)]).toEqual([422, 'SLOT_UNAVAILABLE']);
    const self = await book(mentor.token, hourFromNow(50));
    expect([self.statusCode, errorCode(self)]).toEqual([403, 'FORBIDDEN']);
    const unknown = await book(mentee.token, hourFromNow(50), {}, 999_999);
    expect([unknown.statusCode, errorCode(unknown)]).toEqual([404, 'NOT_FOUND']);
  });

  it('enforces minimum notice and buffers from the mentor’s settings', async () => {
    const strict = await signUpMentor(t.app, 'strict@example.com');
    const settings = { ...OPEN_ALL_WEEK, minNoticeMinutes: 48 * 60, bufferMinutes: 30, sessionMinutes: 30 };
    expect(
      (await write(t.app, strict.token, 'PUT', `/api/mentors/${strict.mentorId}/availability`, settings))
        .statusCode,
    ).toBe(200);
    const tooSoon = await book(mentee.token, hourFromNow(24), {}, strict.mentorId);
    expect([tooSoon.statusCode, errorCode(tooSoon)]).toEqual([422, 'SLOT_UNAVAILABLE']);
    // Sessions start every 60 minutes (30 + 30 buffer) from midnight: 00:00, 01:00, …
    const first = hourFromNow(72);
    expect((await book(mentee.token, first, {}, strict.mentorId)).statusCode).toBe(201);
    const inBuffer = new Date(Date.parse(first) + 30 * 60_000).toISOString();
    expect((await book(mentee.token, inBuffer, {}, strict.mentorId)).statusCode).toBe(422);
  });

  it('rejects malformed bookings with field details before touching the database', async () => {
    const cases: [object, string][] = [
      [{ mentorId: mentor.mentorId, startsAt: 'tomorrow' }, 'startsAt'],
      [{ mentorId: 'x', startsAt: hourFromNow(50) }, 'mentorId'],
      [{ mentorId: mentor.mentorId, startsAt: hourFromNow(50), price: 0 }, ''],
      [{ mentorId: mentor.mentorId, startsAt: hourFromNow(50), note: 'a\u0000b' }, 'note'],
    ];
    for (const [payload, field] of cases) {
      const response = await write(t.app, mentee.token, 'POST', '/api/bookings', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json<ErrorBody>().error.details.some((d) => d.path.includes(field))).toBe(true);
    }
  });
});

describe('idempotent booking', () => {
  it('a retry with the same key returns the same booking and writes one row', async () => {
    const startsAt = hourFromNow(96);
    const key = { 'idempotency-key': 'retry-7f3a' };
    const first = await book(mentee.token, startsAt, key);
    const retry = await book(mentee.token, startsAt, key);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 201]);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await liveRows(startsAt)).toBe(1);
  });

  it('concurrent retries with one key all get the first answer; one row', async () => {
    const startsAt = hourFromNow(100);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => book(mentee.token, startsAt, { 'idempotency-key': 'burst-1' })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((r) => r.json<Booking>().id)).size).toBe(1);
    expect(await liveRows(startsAt)).toBe(1);
  });

  it('the same key with a different body is a 422, and keys are per user', async () => {
    const key = { 'idempotency-key': 'reused-key' };
    expect((await book(mentee.token, hourFromNow(104), key)).statusCode).toBe(201);
    const different = await book(mentee.token, hourFromNow(105), key);
    expect([different.statusCode, errorCode(different)]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const other = await signUp(t.app, 'other.keys@example.com');
    expect((await book(other.token, hourFromNow(106), key)).statusCode).toBe(201);
  });

  it('refuses a malformed key', async () => {
    const response = await book(mentee.token, hourFromNow(107), { 'idempotency-key': 'has space' });
    expect(response.statusCode).toBe(400);
  });
});

describe('booking lifecycle', () => {
  let stranger: { token: string };
  beforeAll(async () => {
    stranger = await signUp(t.app, 'stranger@example.com');
  });

  /** Moves a booking in time (and its creation with it), as if the clock had run on. */
  async function shift(id: number, startsAt: Date, createdAt?: Date) {
    await sql`UPDATE bookings SET starts_at = ${startsAt}, ends_at = ${new Date(startsAt.getTime() + HOUR)},
      created_at = coalesce(${createdAt ?? null}::timestamptz, created_at) WHERE id = ${id}`.execute(
      t.app.db,
    );
  }

  it('requested → confirmed by the mentor only; strangers see nothing', async () => {
    const booking = await booked(mentee.token, hourFromNow(120));
    expect(booking.actions).toEqual(['withdraw', 'reschedule']);
    const byMentee = await act(mentee.token, booking.id, 'confirm');
    expect([byMentee.statusCode, errorCode(byMentee)]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await act(stranger.token, booking.id, 'confirm')).statusCode).toBe(404);
    expect(
      (await t.app.inject({ url: `/api/bookings/${booking.id}`, cookies: { mh_session: stranger.token } }))
        .statusCode,
    ).toBe(404);
    const asMentor = await t.app.inject({
      url: `/api/bookings/${booking.id}`,
      cookies: { mh_session: mentor.token },
    });
    expect(asMentor.json<Booking>().actions).toEqual(['confirm', 'decline', 'reschedule']);

    const confirmed = await act(mentor.token, booking.id, 'confirm');
    expect([confirmed.statusCode, confirmed.json<Booking>().status]).toEqual([200, 'confirmed']);
    expect(confirmed.json<Booking>().actions).toEqual(['cancel', 'reschedule']);
    for (const action of ['confirm', 'decline']) {
      const again = await act(mentor.token, booking.id, action);
      expect([again.statusCode, errorCode(again)]).toEqual([409, 'INVALID_TRANSITION']);
    }
    const notified = await sql<{ type: string; user_id: number }>`
      SELECT type, user_id FROM notifications WHERE (payload->>'bookingId')::int = ${booking.id} ORDER BY id`.execute(
      t.app.db,
    );
    expect(notified.rows).toEqual([
      { type: 'booking.requested', user_id: mentor.userId },
      { type: 'booking.confirmed', user_id: mentee.userId },
    ]);
  });

  it('confirmed → cancelled by either party outside the cancellation window, with the reason kept', async () => {
    for (const who of [mentee, mentor]) {
      const booking = await booked(mentee.token, hourFromNow(130 + (who === mentor ? 2 : 0)));
      await act(mentor.token, booking.id, 'confirm');
      const cancelled = await act(who.token, booking.id, 'cancel', { reason: 'Travelling' });
      expect([cancelled.statusCode, cancelled.json<Booking>()]).toMatchObject([
        200,
        { status: 'cancelled', cancelReason: 'Travelling' },
      ]);
      expect((await act(who.token, booking.id, 'cancel')).statusCode).toBe(409);
    }
  });

  it('refuses a cancellation inside the window (409 CANCELLATION_WINDOW_CLOSED)', async () => {
    const booking = await booked(mentee.token, hourFromNow(3));
    await act(mentor.token, booking.id, 'confirm');
    const late = await act(mentee.token, booking.id, 'cancel');
    expect([late.statusCode, errorCode(late)]).toEqual([409, 'CANCELLATION_WINDOW_CLOSED']);
  });

  it('confirmed → completed once the session has ended (by the mentor), counted on the mentor', async () => {
    const booking = await booked(mentee.token, hourFromNow(140));
    await act(mentor.token, booking.id, 'confirm');
    const early = await act(mentor.token, booking.id, 'complete');
    expect([early.statusCode, errorCode(early)]).toEqual([409, 'INVALID_TRANSITION']);
    await shift(booking.id, new Date(Date.now() - 2 * HOUR));
    const byMentee = await act(mentee.token, booking.id, 'complete');
    expect([byMentee.statusCode, errorCode(byMentee)]).toEqual([409, 'INVALID_TRANSITION']);
    const sessionsCompleted = async () =>
      (await t.app.inject(`/api/mentors/${mentor.mentorId}`)).json<MentorDetail>().sessionsCompleted;
    const before = await sessionsCompleted(); // now cached
    const completed = await act(mentor.token, booking.id, 'complete');
    expect([completed.statusCode, completed.json<Booking>().status]).toEqual([200, 'completed']);
    expect(await sessionsCompleted()).toBe(before + 1);
    expect((await act(mentor.token, booking.id, 'no-show')).statusCode).toBe(409);
  });

  it('confirmed → no_show once the grace period after the start has passed (by either party)', async () => {
    const booking = await booked(mentee.token, hourFromNow(150));
    await act(mentor.token, booking.id, 'confirm');
    expect((await act(mentor.token, booking.id, 'no-show')).statusCode).toBe(409);
    await shift(booking.id, new Date(Date.now() - 5 * 60_000)); // inside the 10-minute grace
    expect((await act(mentee.token, booking.id, 'no-show')).statusCode).toBe(409);
    await shift(booking.id, new Date(Date.now() - HOUR / 2));
    expect((await act(stranger.token, booking.id, 'no-show')).statusCode).toBe(404);
    const marked = await act(mentee.token, booking.id, 'no-show');
    expect([marked.statusCode, marked.json<Booking>().status]).toEqual([200, 'no_show']);
    expect((await act(mentor.token, booking.id, 'no-show')).statusCode).toBe(409);
  });

  it('an unanswered request expires: it reads as expired, cannot be confirmed, and frees its slot', async () => {
    const startsAt = hourFromNow(160);
    const booking = await booked(mentee.token, startsAt);
    await shift(booking.id, new Date(startsAt), new Date(Date.now() - 2 * DAY)); // older than the 24 h default
    const mine = await t.app.inject({
      url: `/api/bookings/${booking.id}`,
      cookies: { mh_session: mentee.token },
    });
    expect(mine.json<Booking>().status).toBe('expired');
    const late = await act(mentor.token, booking.id, 'confirm');
    expect([late.statusCode, errorCode(late)]).toEqual([409, 'INVALID_TRANSITION']);
    const { rows } = await sql<{
      status: string;
    }>`SELECT status FROM bookings WHERE id = ${booking.id}`.execute(t.app.db);
    expect(rows[0]?.status).toBe('expired');
    expect((await book(stranger.token, startsAt)).statusCode).toBe(201);
  });

  it('the sweep expires stale requests in bulk and tells their mentees', async () => {
    const booking = await booked(mentee.token, hourFromNow(170));
    await shift(booking.id, new Date(hourFromNow(170)), new Date(Date.now() - 3 * DAY));
    const sweeper = await createTestApp({ database: t.database, env: { BOOKING_EXPIRY_SWEEP_SECONDS: '1' } });
    try {
      await expect
        .poll(
          async () =>
            (
              await sql<{ status: string }>`SELECT status FROM bookings WHERE id = ${booking.id}`.execute(
                t.app.db,
              )
            ).rows[0]?.status,
          { timeout: 10_000 },
        )
        .toBe('expired');
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications
        WHERE type = 'booking.expired' AND user_id = ${mentee.userId} AND (payload->>'bookingId')::int = ${booking.id}`.execute(
        t.app.db,
      );
      expect(rows[0]?.n).toBe(1);
    } finally {
      await sweeper.close();
    }
  });

  it('every rule goes by the app’s clock: expiry, notice, the cancellation window, completion', async () => {
    // A mentor of its own: moving the clock leaves no other test's requests stale on the way.
    const own = await signUpBookableMentor(t.app, 'clockwise@example.com');
    const bookOwn = async (startsAt: string) => {
      const response = await book(mentee.token, startsAt, {}, own.mentorId);
      expect(response.statusCode, response.body).toBe(201);
      return response.json<Booking>();
    };
    const startsAt = hourFromNow(54);
    const start = Date.parse(startsAt);
    const request = await bookOwn(hourFromNow(56));
    const session = await bookOwn(startsAt);
    await act(own.token, session.id, 'confirm');
    try {
      clockAhead = start - 23 * HOUR - Date.now(); // a day after the request was made, 23 hours before the session
      const read = await t.app.inject({
        url: `/api/bookings/${request.id}`,
        cookies: { mh_session: mentee.token },
      });
      expect(read.json<Booking>().status).toBe('expired');
      const late = await act(own.token, request.id, 'confirm');
      expect([late.statusCode, errorCode(late)]).toEqual([409, 'INVALID_TRANSITION']);
      const cancel = await act(mentee.token, session.id, 'cancel');
      expect([cancel.statusCode, errorCode(cancel)]).toEqual([409, 'CANCELLATION_WINDOW_CLOSED']);
      // The real time still offers the next hours; by the app's clock they have passed.
      const passed = await book(stranger.token, hourFromNow(3), {}, own.mentorId);
      expect([passed.statusCode, errorCode(passed)]).toEqual([422, 'SLOT_UNAVAILABLE']);
      clockAhead = start + 2 * HOUR - Date.now();
      const completed = await act(own.token, session.id, 'complete');
      expect([completed.statusCode, completed.json<Booking>().status]).toEqual([200, 'completed']);
    } finally {
      clockAhead = 0;
    }
  });

  it('a booking that expires its mentor’s stale requests on the way does so in the same statements for one or five', async () => {
    // Mentors of their own: moving the clock leaves no other test's requests stale on the way.
    const statementsExpiring = async (email: string, stale: number) => {
      const own = await signUpBookableMentor(t.app, email);
      for (let index = 0; index < stale; index++)
        expect((await book(mentee.token, hourFromNow(60 + 2 * index), {}, own.mentorId)).statusCode).toBe(
          201,
        );
      clockAhead = 25 * HOUR; // past the requests' time to live, before their sessions
      try {
        // A session's last-seen mark follows the clock: a first request takes that statement out of the count.
        await t.app.inject({ url: '/api/auth/me', cookies: { mh_session: stranger.token } });
        const response = await book(stranger.token, hourFromNow(80), {}, own.mentorId);
        expect(response.statusCode, response.body).toBe(201);
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings
          WHERE mentor_id = ${own.mentorId} AND status = 'expired'`.execute(t.app.db);
        expect(rows[0]?.n).toBe(stale);
        return queryCount(response);
      } finally {
        clockAhead = 0;
      }
    };
    expect(await statementsExpiring('five-stale@example.com', 5)).toBe(
      await statementsExpiring('one-stale@example.com', 1),
    );
  });

  it('lists my bookings as mentee and as mentor, newest start first, in two statements', async () => {
    const url = (as: string, extra = '') => ({ url: `/api/me/bookings?as=${as}&limit=5${extra}` });
    const asMentee = await t.app.inject({ ...url('mentee'), cookies: { mh_session: mentee.token } });
    const page = asMentee.json<Page<Booking>>();
    expect(page.items).toHaveLength(5);
    expect(page.items.every((b) => b.mentee.id === mentee.userId)).toBe(true);
    const starts = page.items.map((b) => b.startsAt);
    expect([...starts].sort().reverse()).toEqual(starts);
    expect(queryCount(asMentee)).toBe(2); // the session, then one page query
    const next = await t.app.inject({
      ...url('mentee', `&cursor=${page.nextCursor ?? ''}`),
      cookies: { mh_session: mentee.token },
    });
    expect(
      next.json<Page<Booking>>().items[0]?.startsAt.localeCompare(starts.at(-1) ?? ''),
    ).toBeLessThanOrEqual(0);

    const incoming = await t.app.inject({
      ...url('mentor', '&status=confirmed'),
      cookies: { mh_session: mentor.token },
    });
    expect(
      incoming
        .json<Page<Booking>>()
        .items.every((b) => b.mentor.id === mentor.mentorId && b.status === 'confirmed'),
    ).toBe(true);
    expect(JSON.stringify(incoming.json())).not.toContain('@example.com'); // no emails of the other party
    expect((await t.app.inject(url('mentee'))).statusCode).toBe(401);
  });
});

describe('availability settings', () => {
  it('only the mentor changes them; bad settings are refused with details', async () => {
    const path = `/api/mentors/${mentor.mentorId}/availability`;
    expect((await write(t.app, mentee.token, 'PUT', path, OPEN_ALL_WEEK)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'PUT', url: path, payload: OPEN_ALL_WEEK })).statusCode).toBe(401);
    const bad: [Partial<AvailabilitySettings> & Record<string, unknown>, string][] = [
      [{ rules: [{ weekday: 1, start: '10:00', end: '09:00' }] }, 'rules.0.end'],
      [
        {
          rules: [
            { weekday: 1, start: '09:00', end: '12:00' },
            { weekday: 1, start: '11:00', end: '13:00' },
          ],
        },
        'rules',
      ],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ overrides: [{ date: '2027-02-30', available: false }] }, 'overrides.0.date'],
      [{ overrides: [{ date: '2027-02-03', available: true }] }, 'overrides.0.start'],
      [{ surprise: true }, ''],
    ];
    for (const [patch, field] of bad) {
      const response = await write(t.app, mentor.token, 'PUT', path, { ...OPEN_ALL_WEEK, ...patch });
      expect(response.statusCode, JSON.stringify(patch)).toBe(400);
      expect(
        response
          .json<ErrorBody>()
          .error.details.map((d) => d.path)
          .join(),
      ).toContain(field);
    }
    const settings = await t.app.inject({ url: `${path}/settings`, cookies: { mh_session: mentor.token } });
    expect(settings.json()).toEqual(OPEN_ALL_WEEK);
    expect(
      (await t.app.inject({ url: `${path}/settings`, cookies: { mh_session: mentee.token } })).statusCode,
    ).toBe(403);
  });

  it('validates the availability query', async () => {
    const base = `/api/mentors/${mentor.mentorId}/availability`;
    for (const query of [
      '',
      '?from=2027-01-10&to=2027-01-01',
      '?from=2027-01-01&to=2027-06-01',
      '?from=2027-01-01&to=2027-01-02&tz=Nowhere',
    ]) {
      expect((await t.app.inject(`${base}${query}`)).statusCode, query).toBe(400);
    }
    expect(
      (await t.app.inject('/api/mentors/999999/availability?from=2027-01-01&to=2027-01-02')).statusCode,
    ).toBe(404);
  });
});
