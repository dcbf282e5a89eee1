import type { Booking, Dispute, MentorDetail, MentorSummary, Page, Standing } from '@mentorhub/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshAllMentors, responsivenessPolicyOf } from '../src/modules/reliability/responsiveness.service';
import { signUp, write } from './helpers/accounts';
import { HOUR, signUpBookableMentor } from './helpers/availability';
import { createTestApp, getJson, serverTiming, type TestApp } from './helpers/test-app';

const MINUTE = 60_000;
const DAY = 24 * HOUR;

/** The app's clock: every rule under test goes by it, so the test sets it to the exact instant it checks. */
let now = Date.UTC(2031, 0, 6);
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({
    seed: false,
    clock: () => now,
    env: {
      STRIKES_TO_PAUSE: '2',
      STRIKE_WINDOW_DAYS: '10',
      STRIKE_EXPIRY_DAYS: '30',
      PAUSE_DAYS: '5',
      DISPUTE_WINDOW_DAYS: '7',
      // Cancelling is allowed up to the start here, so the late window can be crossed.
      CANCELLATION_WINDOW_HOURS: '0',
      MENTOR_INACTIVE_DAYS: '3',
      RESPONSIVENESS_REFRESH_SECONDS: '0',
      BOOKING_EXPIRY_SWEEP_SECONDS: '0',
      // Sessions outlive the clock's jumps.
      SESSION_IDLE_DAYS: '90',
      SESSION_MAX_DAYS: '365',
    },
  });
});
afterAll(() => t.close());

type Account = { token: string; userId: number };
type MentorAccount = Account & { mentorId: number };

let accounts = 0;
const mentee = () => signUp(t.app, `mentee${String((accounts += 1))}@example.com`);
const mentor = () => signUpBookableMentor(t.app, `mentor${String((accounts += 1))}@example.com`);

const request = (who: Account, mentorId: number, startsAt: number) =>
  write(t.app, who.token, 'POST', '/api/bookings', { mentorId, startsAt: new Date(startsAt).toISOString() });

async function requested(who: Account, mentorId: number, startsAt: number): Promise<Booking> {
  const response = await request(who, mentorId, startsAt);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Booking>();
}

const act = (who: Account, id: number, action: string, payload?: object) =>
  write(t.app, who.token, 'POST', `/api/bookings/${String(id)}/${action}`, payload ?? {});

function ok(response: { statusCode: number; body: string }) {
  expect(response.statusCode, response.body).toBe(200);
}

/** A session confirmed now, starting at `startsAt`. */
async function confirmed(host: MentorAccount, guest: Account, startsAt: number): Promise<Booking> {
  const booking = await requested(guest, host.mentorId, startsAt);
  ok(await act(host, booking.id, 'confirm'));
  return booking;
}

const hourBefore = (instant: number) => Math.floor(instant / HOUR) * HOUR;

/** The mentor reports `guest` absent exactly at `at`: a no-show strike given at that instant. */
async function noShowStrikeAt(host: MentorAccount, guest: Account, at: number): Promise<Booking> {
  now = at - DAY;
  const booking = await confirmed(host, guest, hourBefore(at - 12 * HOUR));
  now = at;
  ok(await act(host, booking.id, 'no-show'));
  return booking;
}

const standing = (who: Account) =>
  t.app
    .inject({ url: '/api/me/standing', cookies: { mh_session: who.token } })
    .then((response) => response.json<Standing>());

/** The reliability notifications the account was sent, oldest first. */
const reliabilityNotices = async (who: Account) =>
  (
    await t.app.db
      .selectFrom('notifications')
      .select('type')
      .where('user_id', '=', who.userId)
      .where('type', 'like', 'reliability.%')
      .orderBy('id')
      .execute()
  ).map((row) => row.type);

const errorOf = (response: { body: string }) =>
  (JSON.parse(response.body) as { error: { code: string; message: string } }).error;

describe('strikes and pauses', () => {
  it('counts strikes in the window exactly: a millisecond inside pauses, at or past the edge does not', async () => {
    const host = await mentor();
    const start = Date.UTC(2031, 1, 1);
    const cases = [
      { gap: 10 * DAY - 1, paused: true },
      { gap: 10 * DAY, paused: false },
      { gap: 10 * DAY + 1, paused: false },
    ];
    for (const [index, { gap, paused }] of cases.entries()) {
      const guest = await mentee();
      const first = start + index * 40 * DAY;
      await noShowStrikeAt(host, guest, first);
      await noShowStrikeAt(host, guest, first + gap);
      const seen = await standing(guest);
      expect(seen.strikes, `gap ${String(gap)}`).toHaveLength(2);
      expect(seen.pausedUntil, `gap ${String(gap)}`).toBe(
        paused ? new Date(first + gap + 5 * DAY).toISOString() : null,
      );
    }
  });

  it('a strike stops counting exactly when it expires, and a pause ends exactly at its time', async () => {
    const host = await mentor();
    const guest = await mentee();
    const given = Date.UTC(2031, 6, 1);
    await noShowStrikeAt(host, guest, given);
    await noShowStrikeAt(host, guest, given + HOUR);
    const until = given + HOUR + 5 * DAY;
    now = until - 1;
    const refused = await request(guest, host.mentorId, hourBefore(now + 2 * HOUR));
    expect([refused.statusCode, errorOf(refused).code]).toEqual([403, 'ACCOUNT_PAUSED']);
    expect(errorOf(refused).message).toContain(new Date(until).toISOString());
    now = until;
    expect((await standing(guest)).pausedUntil).toBeNull();
    await requested(guest, host.mentorId, hourBefore(now + 3 * HOUR));
    now = given + 30 * DAY - 1;
    expect((await standing(guest)).strikes).toHaveLength(2);
    now = given + 30 * DAY;
    expect((await standing(guest)).strikes).toHaveLength(1);
    now = given + 30 * DAY + 1;
    expect((await standing(guest)).strikes).toHaveLength(1);
  });

  it('a cancellation inside the late window gives the canceller a strike; one at its edge does not', async () => {
    now = Date.UTC(2031, 9, 1);
    const host = await mentor();
    const guest = await mentee();
    const onTime = await confirmed(host, guest, now + DAY);
    const late = await confirmed(host, guest, now + 2 * DAY);
    now = Date.parse(onTime.startsAt) - 3 * HOUR;
    ok(await act(guest, onTime.id, 'cancel'));
    expect((await standing(guest)).strikes).toEqual([]);
    now = Date.parse(late.startsAt) - 3 * HOUR + 1;
    ok(await act(host, late.id, 'cancel', { reason: 'ill' }));
    expect((await standing(guest)).strikes).toEqual([]);
    const [strike] = (await standing(host)).strikes;
    expect(strike).toMatchObject({
      kind: 'late_cancel',
      bookingId: late.id,
      givenAt: new Date(now).toISOString(),
    });
  });

  it('either party reports the other as a no-show, from the grace period on, never before', async () => {
    now = Date.UTC(2031, 10, 1);
    const host = await mentor();
    const guest = await mentee();
    const booking = await confirmed(host, guest, now + DAY);
    now = Date.parse(booking.startsAt) + 10 * MINUTE - 1;
    const early = await act(guest, booking.id, 'no-show');
    expect([early.statusCode, errorOf(early).code]).toEqual([409, 'INVALID_TRANSITION']);
    expect(errorOf(early).message).toContain('10 minutes after the start');
    expect((await standing(host)).strikes).toEqual([]);
    now += 1;
    ok(await act(guest, booking.id, 'no-show'));
    expect((await standing(host)).strikes).toMatchObject([{ kind: 'no_show', bookingId: booking.id }]);
    expect((await standing(guest)).strikes).toEqual([]);
    // The one the report is about is told.
    expect(await reliabilityNotices(host)).toEqual(['reliability.strike']);
  });
});

describe('a paused mentor, and disputes', () => {
  let host: MentorAccount;
  let guest: Account;
  let admin: Account;
  let reported: Booking;
  const at = Date.UTC(2032, 0, 5);

  beforeAll(async () => {
    host = await mentor();
    guest = await mentee();
    admin = await signUp(t.app, 'admin@example.com', 'admin');
    // The mentee reports the mentor twice: the second strike pauses the mentor.
    for (const instant of [at, at + DAY]) {
      now = instant - DAY;
      const booking = await confirmed(host, guest, hourBefore(instant - 12 * HOUR));
      now = instant;
      ok(await act(guest, booking.id, 'no-show'));
      reported = booking;
    }
  });

  it('cannot be booked and shows as paused on the cached profile', async () => {
    const until = new Date(at + DAY + 5 * DAY).toISOString();
    expect((await standing(host)).pausedUntil).toBe(until);
    const other = await mentee();
    const refused = await request(other, host.mentorId, hourBefore(now + 3 * HOUR));
    expect([refused.statusCode, errorOf(refused).code]).toEqual([409, 'MENTOR_PAUSED']);
    expect(errorOf(refused).message).toContain(until);
    expect((await getJson<MentorDetail>(t.app, `/api/mentors/${String(host.mentorId)}`)).pausedUntil).toBe(
      until,
    );
    expect(await reliabilityNotices(host)).toEqual(['reliability.strike', 'reliability.paused']);
  });

  it('one dispute per booking per party, by a party only, within the window', async () => {
    const path = `/api/bookings/${String(reported.id)}/dispute`;
    const stranger = await mentee();
    expect((await write(t.app, stranger.token, 'POST', path, { reason: 'x' })).statusCode).toBe(404);
    expect((await write(t.app, host.token, 'POST', path, { reason: '' })).statusCode).toBe(400);
    const filed = await write(t.app, host.token, 'POST', path, { reason: 'I was there, the link was wrong' });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json<Dispute>()).toMatchObject({
      status: 'open',
      struck: { id: host.userId },
      mentor: { id: host.userId },
      mentee: { id: guest.userId },
    });
    const again = await write(t.app, host.token, 'POST', path, { reason: 'again' });
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'CONFLICT']);
    expect((await standing(host)).strikes.find((s) => s.bookingId === reported.id)?.dispute).toEqual({
      status: 'open',
    });
    const saved = now;
    now = at + DAY + 7 * DAY;
    const late = await write(t.app, guest.token, 'POST', path, { reason: 'too late' });
    expect([late.statusCode, errorOf(late).code]).toEqual([409, 'INVALID_TRANSITION']);
    now = saved;
  });

  it('voiding the strike lifts the pause it caused, at once on the cached profile', async () => {
    const queue = () => t.app.inject({ url: '/api/admin/disputes', cookies: { mh_session: admin.token } });
    const notAdmin = await t.app.inject({ url: '/api/admin/disputes', cookies: { mh_session: guest.token } });
    expect(notAdmin.statusCode).toBe(403);
    const [open] = (await queue()).json<Page<Dispute>>().items;
    if (!open) throw new Error('the dispute is not in the queue');
    const decide = (who: Account, decision: string) =>
      write(t.app, who.token, 'POST', `/api/admin/disputes/${String(open.id)}/decide`, {
        decision,
        reason: 'The meeting link was broken',
      });
    expect((await decide(host, 'void')).statusCode).toBe(403);
    const profile = `/api/mentors/${String(host.mentorId)}`;
    await t.app.inject(profile);
    expect(serverTiming(await t.app.inject(profile)).cache).toBe('hit');
    const voided = await decide(admin, 'void');
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json<Dispute>()).toMatchObject({
      status: 'voided',
      decisionReason: 'The meeting link was broken',
    });
    // The decision is in the audit log, with who took it and why; a second decision is refused and logs nothing.
    // A bigint column: PostgreSQL's driver reads it as a string, the embedded one as a number.
    const audit = async () =>
      (
        await t.app.db
          .selectFrom('audit_log')
          .select(['actor_id', 'action', 'subject_kind', 'subject_id', 'reason', 'details'])
          .where('subject_kind', '=', 'booking')
          .where('subject_id', '=', String(reported.id))
          .execute()
      ).map((row) => ({ ...row, subject_id: Number(row.subject_id) }));
    expect(await audit()).toEqual([
      {
        actor_id: admin.userId,
        action: 'dispute.void',
        subject_kind: 'booking',
        subject_id: reported.id,
        reason: 'The meeting link was broken',
        details: { disputeId: open.id, filedBy: host.userId, struckUserId: host.userId },
      },
    ]);
    const again = await decide(admin, 'uphold');
    expect([again.statusCode, errorOf(again).code]).toEqual([409, 'CONFLICT']);
    expect(await audit()).toHaveLength(1);
    expect(await standing(host)).toMatchObject({ pausedUntil: null });
    expect((await standing(host)).strikes).toHaveLength(1);
    expect((await getJson<MentorDetail>(t.app, profile)).pausedUntil).toBeNull();
    expect((await queue()).json<Page<Dispute>>().items).toEqual([]);
    await requested(guest, host.mentorId, hourBefore(now + 5 * HOUR));
  });
});

describe('mentor responsiveness', () => {
  it('rate and median over a crafted history; the filter and the sort use them', async () => {
    now = Date.UTC(2032, 3, 5);
    const host = await mentor();
    const guest = await mentee();
    const base = now;
    const first = await requested(guest, host.mentorId, base + 2 * DAY);
    const second = await requested(guest, host.mentorId, base + 3 * DAY);
    const ignored = await requested(guest, host.mentorId, base + 4 * DAY);
    const withdrawn = await requested(guest, host.mentorId, base + 5 * DAY);
    ok(await act(guest, withdrawn.id, 'withdraw'));
    now = base + 60 * MINUTE;
    ok(await act(host, first.id, 'confirm'));
    now = base + 180 * MINUTE;
    ok(await act(host, second.id, 'decline'));
    // A day later the third request has expired; a new request stores that and recounts.
    now = base + DAY + MINUTE;
    await requested(guest, host.mentorId, base + 6 * DAY);
    expect(
      (await t.app.db.selectFrom('bookings').select('status').where('id', '=', ignored.id).executeTakeFirst())
        ?.status,
    ).toBe('expired');
    const profile = await getJson<MentorDetail>(t.app, `/api/mentors/${String(host.mentorId)}`);
    expect(profile.responsiveness).toEqual({ rate: 66, medianMinutes: 120 });
    const listed = async (query: string) =>
      (await getJson<Page<MentorSummary>>(t.app, `/api/mentors?${query}`)).items.map((m) => m.id);
    expect(await listed('minResponseRate=66')).toContain(host.mentorId);
    expect(await listed('minResponseRate=67')).not.toContain(host.mentorId);
    const sorted = await getJson<Page<MentorSummary>>(t.app, '/api/mentors?sort=responsive&limit=100');
    const rates = sorted.items.map((m) => m.responsiveness.rate ?? 0);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(sorted.items.map((m) => m.id)).toContain(host.mentorId);
  });

  it('a mentor who leaves requests unanswered leaves the cached list, and comes back by changing availability', async () => {
    now = Date.UTC(2032, 6, 5);
    const host = await mentor();
    const guest = await mentee();
    // Made after the mentor last set their availability.
    now += MINUTE;
    const ignored = await requested(guest, host.mentorId, hourBefore(now + 5 * DAY));
    const list = '/api/mentors?limit=100';
    const ids = async () => (await getJson<Page<MentorSummary>>(t.app, list)).items.map((m) => m.id);
    const refresh = () =>
      refreshAllMentors(t.app.db, t.app.cache, responsivenessPolicyOf(t.app.config), now, t.app.log);
    expect(await ids()).toContain(host.mentorId);
    expect(serverTiming(await t.app.inject(list)).cache).toBe('hit');
    // Expired after a day; hidden once it has gone unanswered three days, not a millisecond before.
    now += 3 * DAY - 1;
    await refresh();
    expect(await ids()).toContain(host.mentorId);
    expect((await standing(host)).hiddenSince).toBeNull();
    now += 1;
    await refresh();
    expect(await ids()).not.toContain(host.mentorId);
    expect((await standing(host)).hiddenSince).toBe(ignored.createdAt);
    const back = await write(t.app, host.token, 'PUT', `/api/mentors/${String(host.mentorId)}/availability`, {
      timezone: 'UTC',
      sessionMinutes: 60,
      minNoticeMinutes: 0,
      bufferMinutes: 0,
      rules: [{ weekday: 1, start: '09:00', end: '17:00' }],
      overrides: [],
    });
    expect(back.statusCode, back.body).toBe(200);
    expect(await ids()).toContain(host.mentorId);
    expect((await standing(host)).hiddenSince).toBeNull();
  });
});
