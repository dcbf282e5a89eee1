import type { Booking, ErrorBody, MentorDetail, Page, Review } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { createTestApp, queryCount, serverTiming, walkPages, type TestApp } from './helpers/test-app';

let t: TestApp;
let mentor: { token: string; userId: number; mentorId: number };
let nextHour = 48;

/** A session the mentee booked, the mentor confirmed, and that took place (moved into the past) and was completed. */
async function completedSession(menteeToken: string): Promise<number> {
  const slot = nextHour++; // its own hour, in the future for booking and in the past once it took place
  const startsAt = hourFromNow(slot);
  const booked = await write(t.app, menteeToken, 'POST', '/api/bookings', {
    mentorId: mentor.mentorId,
    startsAt,
  });
  expect(booked.statusCode, booked.body).toBe(201);
  const { id } = booked.json<Booking>();
  await write(t.app, mentor.token, 'POST', `/api/bookings/${id}/confirm`);
  const past = Date.parse(startsAt) - 1000 * HOUR;
  await sql`UPDATE bookings SET starts_at = ${new Date(past)}, ends_at = ${new Date(past + HOUR)} WHERE id = ${id}`.execute(
    t.app.db,
  );
  expect((await write(t.app, mentor.token, 'POST', `/api/bookings/${id}/complete`)).statusCode).toBe(200);
  return id;
}

function review(token: string, bookingId: number, payload: object = { rating: 5, body: 'Clear and kind.' }) {
  return write(t.app, token, 'POST', `/api/bookings/${bookingId}/review`, payload);
}

const rating = async () =>
  (await t.app.inject(`/api/mentors/${mentor.mentorId}`)).json<MentorDetail>().rating;

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  mentor = await signUpBookableMentor(t.app, 'reviewed.mentor@example.com');
});
afterAll(() => t.close());

describe('reviews', () => {
  it('only the mentee of a completed session reviews it, once; the rating updates with it', async () => {
    const mentee = await signUp(t.app, 'reviewer@example.com');
    const stranger = await signUp(t.app, 'nosy@example.com');
    const pending = await write(t.app, mentee.token, 'POST', '/api/bookings', {
      mentorId: mentor.mentorId,
      startsAt: new Date(Math.ceil((Date.now() + 300 * HOUR) / HOUR) * HOUR).toISOString(),
    });
    const notYet = await review(mentee.token, pending.json<Booking>().id);
    expect([notYet.statusCode, notYet.json<ErrorBody>().error.code]).toEqual([409, 'REVIEW_NOT_ALLOWED']);

    const bookingId = await completedSession(mentee.token);
    expect(await rating()).toMatchObject({ average: 0, count: 0 }); // cached from here on
    const byMentor = await review(mentor.token, bookingId);
    expect([byMentor.statusCode, byMentor.json<ErrorBody>().error.code]).toEqual([409, 'REVIEW_NOT_ALLOWED']);
    expect((await review(stranger.token, bookingId)).statusCode).toBe(404);

    const created = await review(mentee.token, bookingId, {
      rating: 4,
      body: 'Useful session.\nWould book again.',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<Review>()).toMatchObject({
      bookingId,
      rating: 4,
      author: { id: mentee.userId, name: 'reviewer' },
    });
    expect(await rating()).toMatchObject({ average: 4, count: 1 });
    const again = await review(mentee.token, bookingId, { rating: 1 });
    expect([again.statusCode, again.json<ErrorBody>().error.code]).toEqual([409, 'ALREADY_REVIEWED']);
    const mine = await t.app.inject({
      url: `/api/bookings/${bookingId}`,
      cookies: { mh_session: mentee.token },
    });
    expect(mine.json<Booking>().reviewed).toBe(true);
  });

  it('concurrent reviews of one session: one row; of many sessions: an exact average and count', async () => {
    const mentee = await signUp(t.app, 'eager@example.com');
    const bookingId = await completedSession(mentee.token);
    const same = await Promise.all(
      Array.from({ length: 10 }, () => review(mentee.token, bookingId, { rating: 5 })),
    );
    expect(same.map((r) => r.statusCode).sort()).toEqual([201, ...Array<number>(9).fill(409)]);

    const others = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUp(t.app, `crowd${i}@example.com`)),
    );
    const sessions = await Promise.all(others.map(async (m) => ({ m, id: await completedSession(m.token) })));
    const ratings = [1, 2, 3, 4, 5, 5];
    const responses = await Promise.all(
      sessions.map(({ m, id }, i) => review(m.token, id, { rating: ratings[i] })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const { rows } = await sql<{ avg: string; n: number }>`
      SELECT round(avg(rating), 2)::text AS avg, count(*)::int AS n FROM reviews WHERE mentor_id = ${mentor.mentorId}`.execute(
      t.app.db,
    );
    expect(await rating()).toMatchObject({ average: Number(rows[0]?.avg), count: rows[0]?.n });
    expect(rows[0]?.n).toBe(8); // the first test's, this test's first, and the six above
  });

  it('lists reviews newest first with keyset pages in one statement, cached and refreshed by a new review', async () => {
    const url = `/api/mentors/${mentor.mentorId}/reviews?limit=3`;
    const first = await t.app.inject(url);
    expect(queryCount(first)).toBe(1);
    expect(serverTiming(await t.app.inject(url)).cache).toBe('hit');
    const { items, pages } = await walkPages<Review>(t.app, url);
    expect([items.length, pages]).toEqual([8, 3]);
    const keys = items.map((r) => `${r.createdAt}|${String(r.id).padStart(9, '0')}`);
    expect([...keys].sort().reverse()).toEqual(keys);
    expect(JSON.stringify(items)).not.toContain('@example.com');

    const latecomer = await signUp(t.app, 'latecomer@example.com');
    const bookingId = await completedSession(latecomer.token);
    expect((await review(latecomer.token, bookingId, { rating: 3, body: 'Fine.' })).statusCode).toBe(201);
    expect((await t.app.inject(url)).json<Page<Review>>().items[0]).toMatchObject({
      bookingId,
      body: 'Fine.',
    });
  });

  it('refuses bad reviews and unknown mentors', async () => {
    const mentee = await signUp(t.app, 'picky@example.com');
    const bookingId = await completedSession(mentee.token);
    for (const payload of [
      { rating: 0 },
      { rating: 6 },
      { rating: 3.5 },
      { rating: 3, body: 'a\u0000' },
      { rating: 3, extra: 1 },
      {},
    ]) {
      expect((await review(mentee.token, bookingId, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await t.app.inject('/api/mentors/999999/reviews')).statusCode).toBe(404);
    expect((await t.app.inject('/api/mentors/1/reviews?limit=0')).statusCode).toBe(400);
  });
});
