import type { Booking, CalendarFeedIssued, CalendarFeedStatus, MeetingRoom } from '@mentorhub/contracts';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, write } from './helpers/accounts';
import { signUpBookableMentor } from './helpers/availability';
import { booked } from './helpers/bookings';
import { inviteOf, property } from './helpers/mail';
import { useMailingTestApp } from './helpers/mailing-app';
import { queryCount } from './helpers/test-app';

const MEETING_BASE_URL = 'https://rooms.mentorhub.test';
const GENERATED_ROOM = new RegExp(`^${MEETING_BASE_URL}/mentorhub-[0-9a-f-]{36}$`);

const t = useMailingTestApp({
  env: { MAIL_FROM: 'MentorHub <bookings@mentorhub.test>', MEETING_BASE_URL: `${MEETING_BASE_URL}/` },
});
type Account = { token: string; userId: number; email: string };
let mentor: Account & { mentorId: number };
let berlin: Account;
let sydney: Account;
let stranger: Account;

async function account(email: string, timezone: string): Promise<Account> {
  const user = await signUp(t.app, email);
  await sql`UPDATE users SET timezone = ${timezone} WHERE id = ${user.userId}`.execute(t.app.db);
  return { ...user, email };
}

function book(mentee: Account, startsAt: string, by = mentor): Promise<Booking> {
  return booked(t.app, mentee.token, by.mentorId, startsAt);
}

async function act(who: Account, booking: Booking, action: 'confirm' | 'cancel'): Promise<Booking> {
  const response = await write(
    t.app,
    who.token,
    'POST',
    `/api/bookings/${String(booking.id)}/${action}`,
    action === 'cancel' ? {} : undefined,
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Booking>();
}

async function bookingAs(who: Account, booking: Booking) {
  return t.app.inject({
    method: 'GET',
    url: `/api/bookings/${String(booking.id)}`,
    cookies: { mh_session: who.token },
  });
}

async function sequenceOf(booking: Booking): Promise<number> {
  const { rows } = await sql<{ sequence: number }>`
    SELECT sequence FROM bookings WHERE id = ${booking.id}`.execute(t.app.db);
  return rows[0]?.sequence ?? -1;
}

function uidOf(booking: Booking) {
  return `booking-${String(booking.id)}@mentorhub.test`;
}

beforeAll(async () => {
  mentor = { ...(await signUpBookableMentor(t.app, 'carla@example.com')), email: 'carla@example.com' };
  await sql`UPDATE users SET timezone = 'America/New_York', name = 'Carla Coach'
            WHERE id = ${mentor.userId}`.execute(t.app.db);
  berlin = await account('bea@example.com', 'Europe/Berlin');
  sydney = await account('sid@example.com', 'Australia/Sydney');
  stranger = await account('eve@example.com', 'UTC');
});

describe('invites', () => {
  it('a confirmation sends both parties a REQUEST, a cancellation both parties a CANCEL of the same event', async () => {
    const requested = await book(berlin, '2027-02-01T14:00:00Z');
    const confirmed = await act(mentor, requested, 'confirm');
    expect(await t.deliver()).toMatchObject({ sent: 3 }); // the request to the mentor, the confirmation to both
    const meetingUrl = confirmed.meetingUrl;
    expect(meetingUrl).toMatch(GENERATED_ROOM);

    const requestSequence = await sequenceOf(confirmed);
    for (const [recipient, other] of [
      [berlin, 'Carla Coach'],
      [mentor, 'bea'],
    ] as const) {
      const mail = t.onlyMailTo(recipient.email, /is confirmed$/);
      const { method, vevent, event } = inviteOf(mail);
      expect(method).toBe('REQUEST');
      expect(event.uid).toBe(uidOf(confirmed));
      expect(event.sequence).toBe(requestSequence);
      expect(event.summary).toBe(`Mentoring session with ${other}`);
      expect(event.startDate.toJSDate().toISOString()).toBe(confirmed.startsAt);
      expect(event.endDate.toJSDate().toISOString()).toBe(confirmed.endsAt);
      expect(event.startDate.zone.tzid).toBe('UTC');
      expect(property(vevent, 'organizer').getFirstValue()).toBe('mailto:bookings@mentorhub.test');
      const attendees = event.attendees;
      expect(attendees.map((a) => a.getFirstValue())).toEqual([`mailto:${recipient.email}`]);
      expect(attendees[0]?.getParameter('partstat')).toBe('ACCEPTED');
      expect(event.location).toBe(meetingUrl);
      expect(vevent.getFirstPropertyValue('url')).toBe(meetingUrl);
      expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
      expect(event.description).toContain('https://app.mentorhub.test/dashboard');
      expect(mail.text).toContain(`Join the session: ${String(meetingUrl)}`);
      expect(mail.html).toContain(`href="${String(meetingUrl)}"`);
    }

    t.smtp.received.length = 0;
    await act(berlin, confirmed, 'cancel');
    // The other party, and the canceller as their record: both calendars must drop the event.
    expect(await t.deliver()).toMatchObject({ sent: 2 });
    for (const recipient of [mentor, berlin]) {
      const { method, vevent, event } = inviteOf(t.onlyMailTo(recipient.email, /was cancelled$/));
      expect(method).toBe('CANCEL');
      expect(event.uid).toBe(uidOf(confirmed));
      expect(event.sequence).toBe(await sequenceOf(confirmed));
      expect(event.sequence).toBeGreaterThan(requestSequence);
      expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(event.attendees.map((a) => a.getFirstValue())).toEqual([`mailto:${recipient.email}`]);
      expect(event.startDate.toJSDate().toISOString()).toBe(confirmed.startsAt);
      expect(event.location).toBeNull(); // a cancelled session has no room to join
    }
  });

  it('a confirmation delivered after the session was cancelled is dropped, and the cancellation still goes out', async () => {
    const booking = await act(mentor, await book(berlin, '2027-02-02T14:00:00Z'), 'confirm');
    await act(mentor, booking, 'cancel');
    expect(await t.deliver()).toMatchObject({ sent: 3, dropped: 2 }); // request + both cancellations; both confirmations
    const { method } = inviteOf(t.onlyMailTo(berlin.email, /was cancelled$/));
    expect(method).toBe('CANCEL');
    expect(t.mailsTo(berlin.email).filter((mail) => /confirmed/.test(mail.subject ?? ''))).toEqual([]);
  });

  it('a message delivered after its session moved tells the time, sequence and link as they are at delivery', async () => {
    const booking = await act(mentor, await book(sydney, '2027-02-06T14:00:00Z'), 'confirm');
    // The session moves before the confirmation goes out (as a reschedule would).
    await sql`UPDATE bookings SET starts_at = '2027-02-07T09:00:00Z', ends_at = '2027-02-07T10:00:00Z',
              sequence = sequence + 1 WHERE id = ${booking.id}`.execute(t.app.db);
    await t.deliver();
    const mail = t.onlyMailTo(sydney.email, /is confirmed$/);
    expect(mail.text).toContain('When: Sunday, February 7, 2027 at 8:00 PM GMT+11');
    const { event } = inviteOf(mail);
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-02-07T09:00:00.000Z');
    expect(event.sequence).toBe(await sequenceOf(booking));
    expect(event.location).toBe(booking.meetingUrl);
  });

  it('mails without a calendar event carry no invite', async () => {
    await book(sydney, '2027-02-03T14:00:00Z');
    await t.deliver();
    const request = t.onlyMailTo(mentor.email, /^New session request/);
    expect(request.attachments).toEqual([]);
  });
});

describe('times across clock changes (mentor in New York, mentees in Berlin and Sydney)', () => {
  // US: 2027-03-14 and 2027-11-07; EU: 2027-03-28 and 2027-10-31; Australia: 2027-04-04 and 2027-10-03.
  const cases = [
    [
      '2027-03-13T09:00:00Z',
      'berlin',
      'Saturday, March 13, 2027 at 4:00 AM EST',
      'Saturday, March 13, 2027 at 10:00 AM CET',
    ],
    [
      '2027-03-14T06:00:00Z',
      'berlin',
      'Sunday, March 14, 2027 at 1:00 AM EST',
      'Sunday, March 14, 2027 at 7:00 AM CET',
    ],
    [
      '2027-03-15T09:00:00Z',
      'berlin',
      'Monday, March 15, 2027 at 5:00 AM EDT',
      'Monday, March 15, 2027 at 10:00 AM CET',
    ],
    [
      '2027-03-28T01:00:00Z',
      'berlin',
      'Saturday, March 27, 2027 at 9:00 PM EDT',
      'Sunday, March 28, 2027 at 3:00 AM CEST',
    ],
    [
      '2027-03-15T10:00:00Z',
      'sydney',
      'Monday, March 15, 2027 at 6:00 AM EDT',
      'Monday, March 15, 2027 at 9:00 PM GMT+11',
    ],
    [
      '2027-04-05T09:00:00Z',
      'sydney',
      'Monday, April 5, 2027 at 5:00 AM EDT',
      'Monday, April 5, 2027 at 7:00 PM GMT+10',
    ],
    [
      '2027-10-30T09:00:00Z',
      'berlin',
      'Saturday, October 30, 2027 at 5:00 AM EDT',
      'Saturday, October 30, 2027 at 11:00 AM CEST',
    ],
    [
      '2027-10-31T00:00:00Z',
      'berlin',
      'Saturday, October 30, 2027 at 8:00 PM EDT',
      'Sunday, October 31, 2027 at 2:00 AM CEST',
    ],
    [
      '2027-10-31T01:00:00Z',
      'berlin',
      'Saturday, October 30, 2027 at 9:00 PM EDT',
      'Sunday, October 31, 2027 at 2:00 AM CET',
    ],
    [
      '2027-11-07T05:00:00Z',
      'sydney',
      'Sunday, November 7, 2027 at 1:00 AM EDT',
      'Sunday, November 7, 2027 at 4:00 PM GMT+11',
    ],
    [
      '2027-11-07T06:00:00Z',
      'sydney',
      'Sunday, November 7, 2027 at 1:00 AM EST',
      'Sunday, November 7, 2027 at 5:00 PM GMT+11',
    ],
    [
      '2027-11-08T09:00:00Z',
      'berlin',
      'Monday, November 8, 2027 at 4:00 AM EST',
      'Monday, November 8, 2027 at 10:00 AM CET',
    ],
  ] as const;

  it.each(cases)('%s with the %s mentee', async (startsAt, who, mentorSees, menteeSees) => {
    const mentee = who === 'berlin' ? berlin : sydney;
    const booking = await act(mentor, await book(mentee, startsAt), 'confirm');
    await t.deliver();
    for (const [recipient, wallClock] of [
      [mentee, menteeSees],
      [mentor, mentorSees],
    ] as const) {
      const mail = t.onlyMailTo(recipient.email, /is confirmed$/);
      expect(mail.text).toContain(`When: ${wallClock}`);
      const { event, raw } = inviteOf(mail);
      // One unambiguous instant in UTC: each calendar shows it in its own user's zone.
      expect(event.startDate.toJSDate().toISOString()).toBe(new Date(startsAt).toISOString());
      expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(3_600_000);
      expect(raw).toMatch(/\r\nDTSTART:\d{8}T\d{6}Z\r\n/);
      expect(raw).not.toMatch(/TZID/);
      expect(event.uid).toBe(uidOf(booking));
    }
  });
});

describe('meeting links', () => {
  it('a generated room is the booking’s own, stable, shown only once confirmed and only to the two parties', async () => {
    const requested = await book(berlin, '2027-02-04T14:00:00Z');
    expect(requested.meetingUrl).toBeNull();
    const confirmed = await act(mentor, requested, 'confirm');
    expect(confirmed.meetingUrl).toMatch(GENERATED_ROOM);
    expect((await bookingAs(berlin, confirmed)).json<Booking>().meetingUrl).toBe(confirmed.meetingUrl);
    expect((await bookingAs(mentor, confirmed)).json<Booking>().meetingUrl).toBe(confirmed.meetingUrl);
    const other = await act(mentor, await book(sydney, '2027-02-04T15:00:00Z'), 'confirm');
    expect(other.meetingUrl).toMatch(GENERATED_ROOM);
    expect(other.meetingUrl).not.toBe(confirmed.meetingUrl);

    const url = String(confirmed.meetingUrl);
    expect((await bookingAs(stranger, confirmed)).statusCode).toBe(404);
    const strangersView = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: stranger.token },
      headers: { origin: 'http://localhost:3000' },
      payload: { query: '{ me { bookings(first: 50) { items { meetingUrl } } } }' },
    });
    expect(strangersView.statusCode, strangersView.body).toBe(200);
    expect(strangersView.body).not.toContain(url);
    const menteesView = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: berlin.token },
      headers: { origin: 'http://localhost:3000' },
      payload: { query: '{ me { bookings(first: 50) { items { id meetingUrl } } } }' },
    });
    expect(
      menteesView
        .json<{ data: { me: { bookings: { items: { id: number; meetingUrl: string }[] } } } }>()
        .data.me.bookings.items.find((item) => item.id === confirmed.id)?.meetingUrl,
    ).toBe(url);

    const cancelled = await act(berlin, confirmed, 'cancel');
    expect(cancelled.meetingUrl).toBeNull();
  });

  it('a mentor’s own room serves all their sessions and never shows on their public profile', async () => {
    const room = 'https://video.example.com/carla-coach';
    const set = await write(t.app, mentor.token, 'PATCH', `/api/mentors/${String(mentor.mentorId)}`, {
      meetingUrl: room,
    });
    expect(set.statusCode, set.body).toBe(200);
    const own = await t.app.inject({
      method: 'GET',
      url: `/api/mentors/${String(mentor.mentorId)}/meeting-room`,
      cookies: { mh_session: mentor.token },
    });
    expect(own.json<MeetingRoom>()).toEqual({ meetingUrl: room });
    const strangers = await t.app.inject({
      method: 'GET',
      url: `/api/mentors/${String(mentor.mentorId)}/meeting-room`,
      cookies: { mh_session: stranger.token },
    });
    expect(strangers.statusCode).toBe(403);

    const booking = await act(mentor, await book(berlin, '2027-02-05T14:00:00Z'), 'confirm');
    expect(booking.meetingUrl).toBe(room);
    await t.deliver();
    expect(inviteOf(t.onlyMailTo(berlin.email, /is confirmed$/)).event.location).toBe(room);

    const profile = await t.app.inject({ method: 'GET', url: `/api/mentors/${String(mentor.mentorId)}` });
    expect(profile.statusCode).toBe(200);
    expect(profile.body).not.toContain(room);
    const graph = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      payload: { query: `{ mentor(id: ${String(mentor.mentorId)}) { headline bio user { name } } }` },
    });
    expect(graph.statusCode, graph.body).toBe(200);
    expect(graph.body).not.toContain(room);

    for (const meetingUrl of [
      'http://video.example.com/x',
      'javascript:alert(1)',
      'https://a b.com',
      'https://x',
    ]) {
      const refused = await write(t.app, mentor.token, 'PATCH', `/api/mentors/${String(mentor.mentorId)}`, {
        meetingUrl,
      });
      expect(refused.statusCode, meetingUrl).toBe(400);
      expect(refused.json<{ error: { details: { path: string }[] } }>().error.details[0]?.path).toBe(
        'body.meetingUrl',
      );
    }

    const cleared = await write(t.app, mentor.token, 'PATCH', `/api/mentors/${String(mentor.mentorId)}`, {
      meetingUrl: null,
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect((await bookingAs(berlin, booking)).json<Booking>().meetingUrl).toMatch(GENERATED_ROOM);
  });
});

describe('personal calendar feed', () => {
  async function feedStatus(who: Account) {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/calendar/feed',
      cookies: { mh_session: who.token },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<CalendarFeedStatus>();
  }

  async function issue(who: Account): Promise<string> {
    const response = await write(t.app, who.token, 'POST', '/api/calendar/feed');
    expect(response.statusCode, response.body).toBe(200);
    const { url } = response.json<CalendarFeedIssued>();
    expect(url).toMatch(/^https:\/\/app\.mentorhub\.test\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    return new URL(url).pathname;
  }

  function fetchFeed(path: string, headers: Record<string, string> = {}) {
    return t.app.inject({ method: 'GET', url: path, headers });
  }

  function eventsOf(body: string) {
    const vcalendar = ICAL.Component.fromString(body);
    expect(vcalendar.getFirstPropertyValue('method')).toBeNull();
    return vcalendar.getAllSubcomponents('vevent').map((vevent) => ({
      uid: String(vevent.getFirstPropertyValue('uid')),
      status: String(vevent.getFirstPropertyValue('status')),
      summary: String(vevent.getFirstPropertyValue('summary')),
      start: new ICAL.Event(vevent).startDate.toJSDate().toISOString(),
      url: vevent.getFirstPropertyValue('url') as string | null,
    }));
  }

  it('lists my sessions (cancelled ones as cancelled), revalidates with ETag, and a rotation kills the old URL', async () => {
    const fan = await account('fay@example.com', 'Europe/Berlin');
    expect(await feedStatus(fan)).toEqual({ exists: false, issuedAt: null });
    const kept = await act(mentor, await book(fan, '2027-06-01T10:00:00Z'), 'confirm');
    const dropped = await act(mentor, await book(fan, '2027-06-02T10:00:00Z'), 'confirm');
    await act(fan, dropped, 'cancel');
    await book(fan, '2027-06-03T10:00:00Z'); // a request never reaches a calendar
    const othersSession = await act(mentor, await book(sydney, '2027-06-01T11:00:00Z'), 'confirm');

    const path = await issue(fan);
    expect((await feedStatus(fan)).exists).toBe(true);
    const first = await fetchFeed(path);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(queryCount(first)).toBe(2); // the feed's owner, then their sessions
    const etag = String(first.headers.etag);
    expect(eventsOf(first.body)).toEqual([
      {
        uid: uidOf(kept),
        status: 'CONFIRMED',
        summary: 'Mentoring session with Carla Coach',
        start: kept.startsAt,
        url: kept.meetingUrl,
      },
      {
        uid: uidOf(dropped),
        status: 'CANCELLED',
        summary: 'Mentoring session with Carla Coach',
        start: dropped.startsAt,
        url: null,
      },
    ]);
    expect(first.body).not.toContain(uidOf(othersSession));

    const mentorsPath = await issue(mentor);
    const mentorsFeed = eventsOf((await fetchFeed(mentorsPath)).body);
    expect(mentorsFeed.map((event) => event.uid)).toEqual(
      expect.arrayContaining([uidOf(kept), uidOf(othersSession)]),
    );
    expect(mentorsFeed.find((event) => event.uid === uidOf(kept))?.summary).toBe(
      'Mentoring session with fay',
    );

    const revalidated = await fetchFeed(path, { 'if-none-match': etag });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe('');
    await act(fan, kept, 'cancel');
    const changed = await fetchFeed(path, { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);

    const rotated = await issue(fan);
    expect(rotated).not.toBe(path);
    const old = await fetchFeed(path);
    expect(old.statusCode).toBe(404);
    expect(old.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
    expect((await fetchFeed(path, { 'if-none-match': etag })).statusCode).toBe(404);
    expect((await fetchFeed(rotated)).statusCode).toBe(200);
  });

  it('shows sessions from 30 days back on', async () => {
    const past = await account('pat@example.com', 'UTC');
    const recent = await act(mentor, await book(past, '2027-07-01T10:00:00Z'), 'confirm');
    const old = await act(mentor, await book(past, '2027-07-02T10:00:00Z'), 'confirm');
    const day = 24 * 3_600_000;
    for (const [booking, daysAgo] of [
      [recent, 29],
      [old, 31],
    ] as const) {
      const startsAt = new Date(Date.now() - daysAgo * day);
      await sql`UPDATE bookings SET status = 'completed', starts_at = ${startsAt},
                ends_at = ${new Date(startsAt.getTime() + 3_600_000)} WHERE id = ${booking.id}`.execute(
        t.app.db,
      );
    }
    const events = eventsOf((await fetchFeed(await issue(past))).body);
    expect(events.map((event) => event.uid)).toEqual([uidOf(recent)]);
    expect(events[0]?.url).toBeNull(); // a session that took place needs no room
  });

  it('refuses a malformed name with 400, an unknown secret with 404, and issuing without a session with 401', async () => {
    const malformed = await fetchFeed('/api/calendar/not-a-secret.ics');
    expect(malformed.statusCode).toBe(400);
    const unknown = await fetchFeed(`/api/calendar/${'A'.repeat(43)}.ics`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/calendar/feed',
      headers: { origin: 'http://localhost:3000' },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
