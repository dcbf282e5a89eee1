import {
  timezoneSchema,
  type Availability,
  type AvailabilitySettings,
  type Booking,
} from '@mentorhub/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { createTestApp, queryCount, serverTiming, type TestApp } from './helpers/test-app';

// Daylight-saving changes after "now" for these tests: United States 14 March and 7 November 2027,
// European Union 28 March and 31 October 2027.
let t: TestApp;
let newYork: { token: string; mentorId: number };
let berlin: { token: string; mentorId: number };
let mentee: { token: string };

function settings(timezone: string, start: string, end: string, extra: Partial<AvailabilitySettings> = {}) {
  return {
    timezone,
    sessionMinutes: 60,
    minNoticeMinutes: 0,
    bufferMinutes: 0,
    rules: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start, end })),
    overrides: [],
    ...extra,
  };
}

async function setAvailability(mentor: { token: string; mentorId: number }, body: object) {
  const response = await write(
    t.app,
    mentor.token,
    'PUT',
    `/api/mentors/${mentor.mentorId}/availability`,
    body,
  );
  expect(response.statusCode, response.body).toBe(200);
}

/** One day's slots as "local time@UTC time". */
async function day(mentorId: number, date: string, tz?: string): Promise<string[]> {
  const response = await t.app.inject(
    `/api/mentors/${mentorId}/availability?from=${date}&to=${date}${tz ? `&tz=${encodeURIComponent(tz)}` : ''}`,
  );
  expect(response.statusCode, response.body).toBe(200);
  const [only] = response.json<Availability>().days;
  return only?.slots.map((s) => `${s.time}@${s.startsAt.slice(11, 16)}Z`) ?? [];
}

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  newYork = await signUpMentor(t.app, 'ny@example.com');
  berlin = await signUpMentor(t.app, 'berlin@example.com');
  mentee = await signUp(t.app, 'la@example.com');
  await setAvailability(newYork, settings('America/New_York', '00:00', '06:00'));
  await setAvailability(berlin, settings('Europe/Berlin', '09:00', '11:00'));
});
afterAll(() => t.close());

describe('availability across daylight-saving changes (through the API)', () => {
  it('New York: five sessions on the spring day, seven on the autumn day, each an hour of real time', async () => {
    expect(await day(newYork.mentorId, '2027-03-14')).toEqual([
      '00:00@05:00Z',
      '01:00@06:00Z',
      '03:00@07:00Z',
      '04:00@08:00Z',
      '05:00@09:00Z',
    ]);
    expect(await day(newYork.mentorId, '2027-11-07')).toEqual([
      '00:00@04:00Z',
      '01:00@05:00Z',
      '01:00@06:00Z',
      '02:00@07:00Z',
      '03:00@08:00Z',
      '04:00@09:00Z',
      '05:00@10:00Z',
    ]);
  });

  it('Berlin: 09:00 local on both sides of each change', async () => {
    expect(await day(berlin.mentorId, '2027-03-27')).toEqual(['09:00@08:00Z', '10:00@09:00Z']);
    expect(await day(berlin.mentorId, '2027-03-28')).toEqual(['09:00@07:00Z', '10:00@08:00Z']);
    expect(await day(berlin.mentorId, '2027-10-30')).toEqual(['09:00@07:00Z', '10:00@08:00Z']);
    expect(await day(berlin.mentorId, '2027-10-31')).toEqual(['09:00@08:00Z', '10:00@09:00Z']);
  });

  it('a mentee in Los Angeles sees the Berlin mentor’s morning in their own clock, shifting between the changes', async () => {
    const la = 'America/Los_Angeles';
    expect(await day(berlin.mentorId, '2027-03-10', la)).toEqual(['00:00@08:00Z', '01:00@09:00Z']);
    expect(await day(berlin.mentorId, '2027-03-16', la)).toEqual(['01:00@08:00Z', '02:00@09:00Z']);
    expect(await day(berlin.mentorId, '2027-03-30', la)).toEqual(['00:00@07:00Z', '01:00@08:00Z']);
    const response = await t.app.inject(
      `/api/mentors/${berlin.mentorId}/availability?from=2027-03-16&to=2027-03-16&tz=${la}`,
    );
    expect(response.json<Availability>()).toMatchObject({
      timezone: la,
      mentorTimezone: 'Europe/Berlin',
      sessionMinutes: 60,
    });
  });

  it('gives the same times for a zone under its current and its older name, labelled with one name', async () => {
    const calcutta = await day(berlin.mentorId, '2027-03-16', 'Asia/Calcutta');
    expect(calcutta).toEqual(['13:30@08:00Z', '14:30@09:00Z']);
    expect(await day(berlin.mentorId, '2027-03-16', 'Asia/Kolkata')).toEqual(calcutta);
    const response = await t.app.inject(
      `/api/mentors/${berlin.mentorId}/availability?from=2027-03-16&to=2027-03-16&tz=Asia/Kolkata`,
    );
    expect(response.json<Availability>().timezone).toBe(timezoneSchema.parse('Asia/Calcutta'));
  });

  it('books the second 01:00 of the autumn change without touching the first', async () => {
    const response = await write(t.app, mentee.token, 'POST', '/api/bookings', {
      mentorId: newYork.mentorId,
      startsAt: '2027-11-07T01:00:00-05:00', // the repeated hour, standard time
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Booking>()).toMatchObject({
      startsAt: '2027-11-07T06:00:00.000Z',
      endsAt: '2027-11-07T07:00:00.000Z',
    });
    expect(await day(newYork.mentorId, '2027-11-07')).toEqual([
      '00:00@04:00Z',
      '01:00@05:00Z',
      '02:00@07:00Z',
      '03:00@08:00Z',
      '04:00@09:00Z',
      '05:00@10:00Z',
    ]);
  });

  it('refuses a booking in the hour that does not exist on the spring day', async () => {
    const response = await write(t.app, mentee.token, 'POST', '/api/bookings', {
      mentorId: newYork.mentorId,
      startsAt: '2027-03-14T07:30:00Z', // 03:30 EDT: not a session start
    });
    expect(response.statusCode).toBe(422);
  });
});

describe('availability cache', () => {
  it('is one statement on a miss, a hit after, and refreshed by every settings change', async () => {
    const url = `/api/mentors/${berlin.mentorId}/availability?from=2027-06-07&to=2027-06-13`;
    const miss = await t.app.inject(url);
    expect([serverTiming(miss).cache, queryCount(miss)]).toEqual(['miss', 1]);
    const hit = await t.app.inject(url);
    expect([serverTiming(hit).cache, queryCount(hit)]).toEqual(['hit', 0]);
    expect(hit.json<Availability>().days).toHaveLength(7);

    await setAvailability(
      berlin,
      settings('Europe/Berlin', '09:00', '11:00', {
        overrides: [
          { date: '2027-06-08', available: false },
          { date: '2027-06-12', available: true, start: '14:00', end: '15:00' },
        ],
      }),
    );
    const days = (await t.app.inject(url)).json<Availability>().days;
    expect(days.find((d) => d.date === '2027-06-08')?.slots).toEqual([]);
    expect(days.find((d) => d.date === '2027-06-12')?.slots.map((s) => s.time)).toEqual([
      '09:00',
      '10:00',
      '14:00',
    ]);
    expect(days.find((d) => d.date === '2027-06-09')?.slots.map((s) => s.time)).toEqual(['09:00', '10:00']);
  });
});
