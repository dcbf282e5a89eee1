import { randomUUID } from 'node:crypto';
import type { Booking, ErrorBody } from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { signUp, write } from './helpers/accounts';
import { HOUR, OPEN_ALL_WEEK, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { booked } from './helpers/bookings';
import { line } from './helpers/mail';
import { wallClockTime } from './helpers/mail-server';
import { useMailingTestApp } from './helpers/mailing-app';

type Account = { token: string; userId: number };
type Mentor = Account & { mentorId: number };

const t = useMailingTestApp();
let accounts = 0;

/** A mentor open every hour (clock in New York) and a mentee (clock in Berlin) of their own, so tests never share time. */
async function pair(): Promise<{
  mentor: Mentor;
  mentee: Account;
  mentorEmail: string;
  menteeEmail: string;
}> {
  accounts += 1;
  const mentorEmail = `mentor${String(accounts)}@example.com`;
  const menteeEmail = `mentee${String(accounts)}@example.com`;
  const mentor = await signUpBookableMentor(t.app, mentorEmail);
  const mentee = await signUp(t.app, menteeEmail);
  await sql`UPDATE users SET timezone = 'America/New_York' WHERE id = ${mentor.userId}`.execute(t.app.db);
  await sql`UPDATE users SET timezone = 'Europe/Berlin' WHERE id = ${mentee.userId}`.execute(t.app.db);
  return { mentor, mentee, mentorEmail, menteeEmail };
}

async function stranger(): Promise<Account> {
  accounts += 1;
  return signUp(t.app, `someone${String(accounts)}@example.com`);
}

function book(token: string, mentorId: number, startsAt: string) {
  return write(t.app, token, 'POST', '/api/bookings', { mentorId, startsAt });
}

async function confirmed(mentor: Mentor, mentee: Account, startsAt: string): Promise<Booking> {
  const booking = await booked(t.app, mentee.token, mentor.mentorId, startsAt);
  const response = await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/confirm`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Booking>();
}

function propose(
  token: string,
  booking: { id: number; sequence: number },
  startsAt: string,
  headers: Record<string, string> = {},
) {
  return write(
    t.app,
    token,
    'POST',
    `/api/bookings/${String(booking.id)}/reschedule`,
    { sequence: booking.sequence, startsAt },
    headers,
  );
}

function answer(
  token: string,
  booking: { id: number; sequence: number },
  verb: 'accept' | 'decline' | 'withdraw',
) {
  return write(t.app, token, 'POST', `/api/bookings/${String(booking.id)}/reschedule/${verb}`, {
    sequence: booking.sequence,
  });
}

function ok(response: LightMyRequestResponse): Booking {
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Booking>();
}

function refusal(response: LightMyRequestResponse): [number, string] {
  return [response.statusCode, response.json<ErrorBody>().error.code];
}

async function read(token: string, id: number): Promise<Booking> {
  return ok(await t.app.inject({ url: `/api/bookings/${String(id)}`, cookies: { mh_session: token } }));
}

/** How many bookings the mentee has, whatever their status. */
async function bookingRows(mentee: Account): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM bookings WHERE mentee_id = ${mentee.userId}`.execute(t.app.db);
  return rows[0]?.n ?? -1;
}

/** Whether another mentee could book `startsAt` with the mentor now (tried for real, then withdrawn again). */
async function bookableByOthers(mentor: Mentor, startsAt: string): Promise<boolean> {
  const other = await stranger();
  const response = await book(other.token, mentor.mentorId, startsAt);
  if (response.statusCode !== 201) {
    expect(refusal(response)).toEqual([409, 'SLOT_TAKEN']);
    return false;
  }
  const id = response.json<Booking>().id;
  expect((await write(t.app, other.token, 'POST', `/api/bookings/${String(id)}/withdraw`)).statusCode).toBe(
    200,
  );
  return true;
}

async function offeredStarts(mentorId: number, startsAt: string): Promise<string[]> {
  const date = startsAt.slice(0, 10);
  const response = await t.app.inject(
    `/api/mentors/${String(mentorId)}/availability?from=${date}&to=${date}&tz=UTC`,
  );
  expect(response.statusCode, response.body).toBe(200);
  return response
    .json<{ days: { slots: { startsAt: string }[] }[] }>()
    .days.flatMap((day) => day.slots.map((slot) => slot.startsAt));
}

describe('rescheduling', () => {
  it('the mentee proposes, the mentor accepts: same booking at the new time, old time free, both mailed', async () => {
    const { mentor, mentee, mentorEmail, menteeEmail } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    const newStart = hourFromNow(96);
    const rows = await bookingRows(mentee);

    const proposed = ok(await propose(mentee.token, booking, newStart));
    expect(proposed).toMatchObject({
      id: booking.id,
      status: 'confirmed',
      startsAt: booking.startsAt,
      sequence: booking.sequence + 1,
      proposal: { startsAt: newStart, proposedBy: 'mentee' },
      actions: ['cancel', 'withdraw-reschedule'],
    });
    const asMentor = await read(mentor.token, booking.id);
    expect(asMentor.actions).toEqual(['cancel', 'accept-reschedule', 'decline-reschedule']);
    // While open, the proposed time is held and the old one still belongs to the booking.
    expect(await offeredStarts(mentor.mentorId, newStart)).not.toContain(newStart);
    expect(await bookableByOthers(mentor, newStart)).toBe(false);
    expect(await bookableByOthers(mentor, booking.startsAt)).toBe(false);

    await t.deliver();
    const proposal = t.onlyMailTo(mentorEmail, /^mentee\d+ proposed a new time for your session$/);
    expect(line(proposal, 'Now')).toContain(wallClockTime(booking.startsAt, 'America/New_York'));
    expect(line(proposal, 'Proposed')).toContain(wallClockTime(newStart, 'America/New_York'));
    expect(line(proposal, 'Proposed')).toMatch(/ E[SD]T$/);
    expect(proposal.html).toContain('<strong>Proposed:</strong>');
    expect(t.mailsTo(menteeEmail, /proposed/)).toHaveLength(0);

    const accepted = ok(await answer(mentor.token, proposed, 'accept'));
    expect(accepted).toMatchObject({
      id: booking.id,
      status: 'confirmed',
      startsAt: newStart,
      sequence: booking.sequence + 2,
      proposal: null,
    });
    expect(new Date(accepted.endsAt).getTime() - new Date(newStart).getTime()).toBe(HOUR);
    expect((await read(mentee.token, booking.id)).startsAt).toBe(newStart);
    expect(await bookingRows(mentee)).toBe(rows);
    expect(await bookableByOthers(mentor, booking.startsAt)).toBe(true);
    expect(await bookableByOthers(mentor, newStart)).toBe(false);

    await t.deliver();
    const toMentee = t.onlyMailTo(menteeEmail, /^Your session with mentor\d+ was moved$/);
    expect(line(toMentee, 'When')).toContain(wallClockTime(newStart, 'Europe/Berlin'));
    expect(line(toMentee, 'Was')).toContain(wallClockTime(booking.startsAt, 'Europe/Berlin'));
    expect(toMentee.text).not.toContain(wallClockTime(newStart, 'America/New_York'));
    const toMentor = t.onlyMailTo(mentorEmail, /^Your session with mentee\d+ was moved$/);
    expect(line(toMentor, 'When')).toContain(wallClockTime(newStart, 'America/New_York'));

    const notified = await sql<{ type: string; user_id: number }>`
      SELECT type, user_id FROM notifications
      WHERE (payload->>'bookingId')::int = ${booking.id} AND type LIKE 'booking.resched%' ORDER BY id`.execute(
      t.app.db,
    );
    expect(notified.rows).toEqual([
      { type: 'booking.reschedule_proposed', user_id: mentor.userId },
      { type: 'booking.rescheduled', user_id: mentee.userId },
    ]);
  });

  it('a booking moved twice mails each move (keys carry the version)', async () => {
    const { mentor, mentee, menteeEmail } = await pair();
    let booking = await confirmed(mentor, mentee, hourFromNow(72));
    for (const hours of [80, 90]) {
      booking = ok(await propose(mentor.token, booking, hourFromNow(hours)));
      booking = ok(await answer(mentee.token, booking, 'accept'));
    }
    expect(booking.startsAt).toBe(hourFromNow(90));
    await t.deliver();
    expect(t.mailsTo(menteeEmail, /proposed a new time/)).toHaveLength(2);
    expect(t.mailsTo(menteeEmail, /was moved/)).toHaveLength(2);
  });

  it('the mentor proposes on a request, the mentee declines: the proposer is mailed and the proposed time freed', async () => {
    const { mentor, mentee, mentorEmail } = await pair();
    const booking = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(50));
    const newStart = hourFromNow(52);
    const proposed = ok(await propose(mentor.token, booking, newStart));
    expect(proposed.status).toBe('requested');
    expect(await bookableByOthers(mentor, newStart)).toBe(false);

    const declined = ok(await answer(mentee.token, proposed, 'decline'));
    expect(declined).toMatchObject({ startsAt: booking.startsAt, proposal: null, status: 'requested' });
    expect(await offeredStarts(mentor.mentorId, newStart)).toContain(newStart);
    expect(await bookableByOthers(mentor, newStart)).toBe(true);
    await t.deliver();
    const mail = t.onlyMailTo(mentorEmail, /^mentee\d+ declined the new time you proposed$/);
    expect(line(mail, 'Declined')).toContain(wallClockTime(newStart, 'America/New_York'));
  });

  it('the proposer withdraws the proposal: its time is free, the other party is told in the app only', async () => {
    const { mentor, mentee, mentorEmail } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(60));
    const newStart = hourFromNow(62);
    const proposed = ok(await propose(mentee.token, booking, newStart));
    await t.deliver();
    t.smtp.received.length = 0;
    const withdrawn = ok(await answer(mentee.token, proposed, 'withdraw'));
    expect(withdrawn).toMatchObject({ proposal: null, startsAt: booking.startsAt });
    expect(withdrawn.actions).toContain('reschedule');
    await t.deliver();
    expect(t.mailsTo(mentorEmail, /./)).toHaveLength(0);
    expect(await bookableByOthers(mentor, newStart)).toBe(true);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notifications
      WHERE user_id = ${mentor.userId} AND type = 'booking.reschedule_withdrawn'`.execute(t.app.db);
    expect(rows[0]?.n).toBe(1);
  });
});

describe('rescheduling rules', () => {
  it('refuses times the mentor does not offer, inside the notice, and the booking’s own time', async () => {
    const { mentor, mentee } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    const offHour = new Date(Date.parse(hourFromNow(80)) + HOUR / 2).toISOString();
    expect(refusal(await propose(mentee.token, booking, offHour))).toEqual([422, 'SLOT_UNAVAILABLE']);
    expect(refusal(await propose(mentee.token, booking, booking.startsAt))).toEqual([
      422,
      'SLOT_UNAVAILABLE',
    ]);
    const settings = { ...OPEN_ALL_WEEK, minNoticeMinutes: 48 * 60 };
    const saved = await write(
      t.app,
      mentor.token,
      'PUT',
      `/api/mentors/${String(mentor.mentorId)}/availability`,
      settings,
    );
    expect(saved.statusCode, saved.body).toBe(200);
    expect(refusal(await propose(mentee.token, booking, hourFromNow(30)))).toEqual([422, 'SLOT_UNAVAILABLE']);
    // One hour later than now: the booking's own time counts as free for it.
    ok(await propose(mentee.token, booking, new Date(Date.parse(booking.startsAt) + HOUR).toISOString()));
  });

  it('a confirmed session cannot be moved inside the cancellation window; a request can', async () => {
    const { mentor, mentee } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(10));
    expect(booking.actions).not.toContain('reschedule');
    expect(refusal(await propose(mentee.token, booking, hourFromNow(40)))).toEqual([
      409,
      'CANCELLATION_WINDOW_CLOSED',
    ]);
    const request = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(12));
    expect(request.actions).toContain('reschedule');
    ok(await propose(mentee.token, request, hourFromNow(14)));
  });

  it('strangers get 404, the wrong party and closed bookings 409, an old version 409 BOOKING_CHANGED', async () => {
    const { mentor, mentee } = await pair();
    const someone = await stranger();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    expect((await propose(someone.token, booking, hourFromNow(80))).statusCode).toBe(404);
    const proposed = ok(await propose(mentee.token, booking, hourFromNow(80)));
    expect((await answer(someone.token, proposed, 'accept')).statusCode).toBe(404);
    expect(refusal(await answer(mentee.token, proposed, 'accept'))).toEqual([409, 'INVALID_TRANSITION']);
    expect(refusal(await answer(mentee.token, proposed, 'decline'))).toEqual([409, 'INVALID_TRANSITION']);
    expect(refusal(await answer(mentor.token, proposed, 'withdraw'))).toEqual([409, 'INVALID_TRANSITION']);
    expect(refusal(await propose(mentor.token, proposed, hourFromNow(82)))).toEqual([
      409,
      'INVALID_TRANSITION',
    ]);
    // The link of the first version is stale now.
    expect(refusal(await answer(mentor.token, booking, 'accept'))).toEqual([409, 'BOOKING_CHANGED']);
    expect(refusal(await propose(mentee.token, booking, hourFromNow(84)))).toEqual([409, 'BOOKING_CHANGED']);

    const cancelled = ok(
      await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/cancel`),
    );
    expect(cancelled.proposal).toBeNull();
    expect(cancelled.actions).toEqual([]);
    expect(refusal(await propose(mentee.token, cancelled, hourFromNow(86)))).toEqual([
      409,
      'INVALID_TRANSITION',
    ]);
    expect(refusal(await answer(mentor.token, cancelled, 'accept'))).toEqual([409, 'INVALID_TRANSITION']);
    expect(await bookableByOthers(mentor, hourFromNow(80))).toBe(true);
  });

  it('refuses malformed proposals before touching the database', async () => {
    const { mentor, mentee } = await pair();
    const booking = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(72));
    const url = `/api/bookings/${String(booking.id)}/reschedule`;
    for (const body of [
      {},
      { sequence: '1', startsAt: hourFromNow(80) },
      { sequence: -1, startsAt: hourFromNow(80) },
      { sequence: 0, startsAt: 'tomorrow' },
      { sequence: 0, startsAt: hourFromNow(80), extra: true },
    ]) {
      const response = await write(t.app, mentee.token, 'POST', url, body);
      expect(refusal(response), JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await t.app.inject({ method: 'POST', url, payload: { sequence: 0 } })).statusCode).toBe(401);
  });
});

describe('withdrawing a request', () => {
  it('the mentee withdraws a pending request: the slot is free and the mentor told in the app and by mail', async () => {
    const { mentor, mentee, mentorEmail } = await pair();
    const booking = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(40));
    expect(
      refusal(await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/withdraw`)),
    ).toEqual([409, 'INVALID_TRANSITION']);
    const withdrawn = ok(
      await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/withdraw`),
    );
    expect(withdrawn).toMatchObject({ status: 'withdrawn', actions: [] });
    expect(await offeredStarts(mentor.mentorId, booking.startsAt)).toContain(booking.startsAt);
    expect(await bookableByOthers(mentor, booking.startsAt)).toBe(true);
    await t.deliver();
    const mail = t.onlyMailTo(mentorEmail, /^mentee\d+ withdrew their session request$/);
    expect(mail.text).toContain(wallClockTime(booking.startsAt, 'America/New_York'));
    const again = await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/withdraw`);
    expect(refusal(again)).toEqual([409, 'INVALID_TRANSITION']);
  });

  it('a confirmed session cannot be withdrawn (it is cancelled instead)', async () => {
    const { mentor, mentee } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(40));
    expect(booking.actions).not.toContain('withdraw');
    expect(
      refusal(await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/withdraw`)),
    ).toEqual([409, 'INVALID_TRANSITION']);
  });

  it('withdrawing a request with an open proposal frees both times', async () => {
    const { mentor, mentee } = await pair();
    const booking = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(44));
    ok(await propose(mentor.token, booking, hourFromNow(46)));
    ok(await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/withdraw`));
    expect(await bookableByOthers(mentor, hourFromNow(44))).toBe(true);
    expect(await bookableByOthers(mentor, hourFromNow(46))).toBe(true);
  });
});

describe('under concurrency', () => {
  it('proposals at once on one booking: one is open, the others 409', async () => {
    const { mentor, mentee } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    const responses = await Promise.all(
      [80, 81, 82, 83, 84, 85].map((hours, i) =>
        propose(i % 2 === 0 ? mentee.token : mentor.token, booking, hourFromNow(hours)),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = responses.find((response) => response.statusCode === 200)?.json<Booking>();
    expect((await read(mentee.token, booking.id)).proposal).toEqual(winner?.proposal);
    // The losers' times were never held.
    for (const hours of [80, 81, 82, 83, 84, 85]) {
      const start = hourFromNow(hours);
      if (start !== winner?.proposal?.startsAt) expect(await bookableByOthers(mentor, start)).toBe(true);
    }
  });

  it('accept racing decline, withdraw or cancel: one outcome, never a second booking', async () => {
    const { mentor, mentee } = await pair();
    const rows = await bookingRows(mentee);
    const races = [
      ['decline', mentor],
      ['withdraw', mentee],
      ['cancel', mentee],
    ] as const;
    for (const [round, [rival, by]] of races.entries()) {
      const booking = await confirmed(mentor, mentee, hourFromNow(100 + 10 * round));
      const newStart = hourFromNow(102 + 10 * round);
      const proposed = ok(await propose(mentee.token, booking, newStart));
      const [accepted, other] = await Promise.all([
        answer(mentor.token, proposed, 'accept'),
        rival === 'cancel'
          ? write(t.app, by.token, 'POST', `/api/bookings/${String(booking.id)}/cancel`)
          : answer(by.token, proposed, rival),
      ]);
      const after = await read(mentee.token, booking.id);
      expect(after.proposal).toBeNull();
      if (rival === 'cancel') {
        // Cancelling never waits on a version: it applies to whatever time the session has by then.
        expect(other.statusCode).toBe(200);
        expect(after.status).toBe('cancelled');
        expect(after.startsAt).toBe(accepted.statusCode === 200 ? newStart : booking.startsAt);
        if (accepted.statusCode !== 200) expect(refusal(accepted)[0]).toBe(409);
      } else {
        expect([accepted.statusCode, other.statusCode].sort()).toEqual([200, 409]);
        expect(after.startsAt).toBe(accepted.statusCode === 200 ? newStart : booking.startsAt);
        expect(after.status).toBe('confirmed');
      }
      expect(after.sequence).toBe(
        proposed.sequence + (rival === 'cancel' && accepted.statusCode === 200 ? 2 : 1),
      );
      const held = after.status === 'confirmed' ? after.startsAt : undefined;
      for (const start of [booking.startsAt, newStart])
        expect(await bookableByOthers(mentor, start)).toBe(start !== held);
    }
    expect(await bookingRows(mentee)).toBe(rows + 3);
  });

  it('two bookings proposing the same new time at once: one holds it, the others get 409 SLOT_TAKEN', async () => {
    const { mentor } = await pair();
    const mentees = await Promise.all([1, 2, 3, 4, 5].map(() => stranger()));
    const bookings = await Promise.all(
      mentees.map((mentee, i) => booked(t.app, mentee.token, mentor.mentorId, hourFromNow(60 + i))),
    );
    const target = hourFromNow(70);
    const responses = await Promise.all(
      bookings.map((booking, i) => propose((mentees[i] as Account).token, booking, target)),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409, 409, 409, 409]);
    for (const response of responses)
      if (response.statusCode !== 200) expect(refusal(response)).toEqual([409, 'SLOT_TAKEN']);
    expect(await bookableByOthers(mentor, target)).toBe(false);
  });

  it('the exclusion constraint itself holds a proposed time against any other booking', async () => {
    const { mentor, mentee } = await pair();
    const booking = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(60));
    ok(await propose(mentee.token, booking, hourFromNow(64)));
    const other = await booked(t.app, mentee.token, mentor.mentorId, hourFromNow(66));
    // Past every check of the service, straight at the table: the database refuses the overlap.
    await expect(
      sql`UPDATE bookings SET starts_at = ${hourFromNow(64)}, ends_at = ${hourFromNow(65)}
          WHERE id = ${other.id}`.execute(t.app.db),
    ).rejects.toMatchObject({ code: '23P01' });
  });

  it('a replayed or stale request never moves twice nor creates a booking', async () => {
    const { mentor, mentee } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    const rows = await bookingRows(mentee);
    const key = { 'idempotency-key': `reschedule-${String(booking.id)}-${String(booking.sequence)}` };
    const first = await propose(mentee.token, booking, hourFromNow(80), key);
    const replays = await Promise.all(
      [1, 2, 3].map(() => propose(mentee.token, booking, hourFromNow(80), key)),
    );
    expect(ok(first).sequence).toBe(booking.sequence + 1);
    for (const replay of replays) {
      expect(ok(replay)).toEqual(first.json<Booking>());
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    expect(refusal(await propose(mentee.token, booking, hourFromNow(81), key))).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
    ]);

    const proposed = first.json<Booking>();
    const accepts = await Promise.all([1, 2, 3].map(() => answer(mentor.token, proposed, 'accept')));
    expect(accepts.map((response) => response.statusCode).sort()).toEqual([200, 409, 409]);
    const moved = await read(mentee.token, booking.id);
    expect(moved).toMatchObject({ startsAt: hourFromNow(80), sequence: booking.sequence + 2 });

    // After the move, and again after a cancellation: replays answer what they answered, and change nothing.
    ok(await propose(mentee.token, booking, hourFromNow(80), key));
    expect(refusal(await answer(mentor.token, proposed, 'accept'))).toEqual([409, 'BOOKING_CHANGED']);
    ok(await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/cancel`));
    ok(await propose(mentee.token, booking, hourFromNow(80), key));
    expect(refusal(await propose(mentee.token, booking, hourFromNow(90)))).toEqual([409, 'BOOKING_CHANGED']);
    expect(refusal(await answer(mentor.token, proposed, 'accept'))).toEqual([409, 'BOOKING_CHANGED']);
    const final = await read(mentee.token, booking.id);
    expect(final).toMatchObject({ status: 'cancelled', startsAt: hourFromNow(80), proposal: null });
    expect(final.sequence).toBe(booking.sequence + 3);
    expect(await bookingRows(mentee)).toBe(rows);
    const moves = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox
      WHERE kind = 'booking.rescheduled' AND payload->>'bookingId' = ${String(booking.id)}`.execute(t.app.db);
    expect(moves.rows[0]?.n).toBe(2);
  });
});

describe('idempotency keys are per request', () => {
  it('a key from a booking request cannot be reused for a proposal', async () => {
    const { mentor, mentee } = await pair();
    const key = { 'idempotency-key': randomUUID() };
    const created = await write(
      t.app,
      mentee.token,
      'POST',
      '/api/bookings',
      { mentorId: mentor.mentorId, startsAt: hourFromNow(72) },
      key,
    );
    const booking = created.json<Booking>();
    expect(refusal(await propose(mentee.token, booking, hourFromNow(80), key))).toEqual([
      422,
      'IDEMPOTENCY_KEY_REUSED',
    ]);
  });
});

describe('who is mailed', () => {
  it('a cancellation is mailed to both parties: the other party, and the canceller as their record', async () => {
    const { mentor, mentee, mentorEmail, menteeEmail } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    await t.deliver();
    t.smtp.received.length = 0;
    ok(await write(t.app, mentee.token, 'POST', `/api/bookings/${String(booking.id)}/cancel`));
    await t.deliver();
    expect(line(t.onlyMailTo(mentorEmail, /^Your session with mentee\d+ was cancelled$/), 'When')).toContain(
      wallClockTime(booking.startsAt, 'America/New_York'),
    );
    expect(line(t.onlyMailTo(menteeEmail, /^Your session with mentor\d+ was cancelled$/), 'When')).toContain(
      wallClockTime(booking.startsAt, 'Europe/Berlin'),
    );
    expect(t.smtp.received).toHaveLength(2);
  });

  it('a completed session invites its mentee to review it, with a link to where they review', async () => {
    const { mentor, mentee, mentorEmail, menteeEmail } = await pair();
    const booking = await confirmed(mentor, mentee, hourFromNow(72));
    const ended = new Date(Date.now() - 2 * HOUR);
    await sql`UPDATE bookings SET starts_at = ${ended}, ends_at = ${new Date(ended.getTime() + HOUR)}
      WHERE id = ${booking.id}`.execute(t.app.db);
    await t.deliver();
    t.smtp.received.length = 0;
    ok(await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/complete`));
    await t.deliver();
    const invitation = t.onlyMailTo(menteeEmail, /^How was your session with mentor\d+\?$/);
    const link = `https://app.mentorhub.test/dashboard#booking-${String(booking.id)}`;
    expect(invitation.text).toContain(`Review the session: ${link}`);
    expect(invitation.html).toContain(`href="${link}"`);
    expect(t.mailsTo(mentorEmail, /./)).toHaveLength(0);
  });
});
