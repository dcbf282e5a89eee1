import {
  liveCloseCodes,
  type AuditEntry,
  type ErrorBody,
  type MentorDetail,
  type MentorSummary,
  type ModerationCase,
  type ModerationDecisionResult,
  type Message,
  type MessagePage,
  type Page,
  type Report,
  type Review,
  type StudioCourse,
} from '@mentorhub/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, PASSWORD, signIn, signUp, signUpMentor, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { booked } from './helpers/bookings';
import { LiveClient, upgradeRefusal } from './helpers/live-client';
import { eventually, redisUrlForTests } from './helpers/services';
import { createTestApp, queryCount, twoInstancesOnRedis, walkPages, type TestApp } from './helpers/test-app';

type Account = { token: string; userId: number };

let t: TestApp;
/** The app's clock runs this far ahead of the wall clock (suspensions end by it). */
let clockOffset = 0;
let admin: Account;
let nextAddress = 1;

function get(app: FastifyInstance, url: string, token?: string) {
  return app.inject({ method: 'GET', url, ...(token ? { cookies: { mh_session: token } } : {}) });
}

async function ok<T>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const done = await response;
  expect(done.statusCode, done.body).toBe(status);
  return done.json<T>();
}

const report = (app: FastifyInstance, reporter: Account, kind: string, itemId: number, reason = 'spam') =>
  write(app, reporter.token, 'POST', '/api/reports', {
    kind,
    itemId,
    reason,
    details: `About ${kind} ${itemId}`,
  });

const decide = (app: FastifyInstance, caseId: number, body: object) =>
  write(app, admin.token, 'POST', `/api/admin/moderation/cases/${caseId}/decisions`, body);

/** The open case of an item, read through the queue as an admin sees it. */
async function openCase(app: FastifyInstance, kind: string, itemId: number): Promise<ModerationCase> {
  const found = (await queue(app)).find((c) => c.item?.kind === kind && c.item.id === itemId);
  if (!found) throw new Error(`no open case for ${kind} ${itemId}`);
  return found;
}

/** Every open case, walking the queue's pages of `limit` as an admin. */
async function queue(app: FastifyInstance, limit = 100): Promise<ModerationCase[]> {
  const cases: ModerationCase[] = [];
  let cursor: string | null = null;
  do {
    const url = `/api/admin/moderation/queue?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page: Page<ModerationCase> = await ok(get(app, url, admin.token));
    cases.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return cases;
}

async function mentorWithReviewedSession(app: FastifyInstance, name: string) {
  const mentor = await signUpBookableMentor(app, `${name}@example.com`);
  const mentee = await signUp(app, `${name}.mentee@example.com`);
  const ratings: Review[] = [];
  for (const [offset, rating] of [
    [0, 5],
    [1, 1],
  ] as const) {
    const { id } = await booked(app, mentee.token, mentor.mentorId, hourFromNow(48 + offset));
    await ok(write(app, mentor.token, 'POST', `/api/bookings/${id}/confirm`));
    const past = Date.now() - (200 - offset) * HOUR;
    await sql`UPDATE bookings SET starts_at = ${new Date(past)}, ends_at = ${new Date(past + HOUR)}
      WHERE id = ${id}`.execute(app.db);
    await ok(write(app, mentor.token, 'POST', `/api/bookings/${id}/complete`));
    ratings.push(
      await ok<Review>(write(app, mentee.token, 'POST', `/api/bookings/${id}/review`, { rating }), 201),
    );
  }
  return { mentor, mentee, reviews: ratings };
}

async function publishedCourse(app: FastifyInstance, instructor: Account, title: string) {
  const course = await ok<StudioCourse>(
    write(app, instructor.token, 'POST', '/api/courses', { title, level: 'beginner' }),
    201,
  );
  await ok(
    write(app, instructor.token, 'POST', `/api/courses/${course.id}/lessons`, {
      title: 'One',
      content: 'Text',
    }),
    201,
  );
  await ok(write(app, instructor.token, 'POST', `/api/courses/${course.id}/publish`));
  return course;
}

const listedMentorIds = async (app: FastifyInstance) =>
  (await walkPages<MentorSummary>(app, '/api/mentors?limit=100')).items.map((m) => m.id);
const listedCourseIds = async (app: FastifyInstance) =>
  (await walkPages<{ id: number }>(app, '/api/courses?limit=100')).items.map((c) => c.id);

beforeAll(async () => {
  t = await createTestApp({ seed: false, clock: () => Date.now() + clockOffset });
  admin = await signUp(t.app, 'moderator@example.com', 'admin');
});
afterAll(() => t.close());

describe('reports', () => {
  it('any signed-in user reports a review, a mentor profile, a course or a user; the reporter lists them', async () => {
    const { mentor, mentee, reviews } = await mentorWithReviewedSession(t.app, 'reported.mentor');
    const course = await publishedCourse(t.app, mentor, 'Reported course');
    const reporter = await signUp(t.app, 'reporter@example.com');
    const items = [
      ['review', reviews[0]?.id ?? 0],
      ['mentor', mentor.mentorId],
      ['course', course.id],
      ['user', mentee.userId],
    ] as const;
    for (const [kind, id] of items) {
      const filed = await ok<Report>(report(t.app, reporter, kind, id), 201);
      expect(filed).toMatchObject({ kind, itemId: id, reason: 'spam', status: 'open', outcome: null });
    }
    const mine = await ok<Page<Report>>(get(t.app, '/api/me/reports', reporter.token));
    expect(mine.items.map((r) => [r.kind, r.itemId])).toEqual([...items].reverse());

    const own = await report(t.app, mentor, 'mentor', mentor.mentorId);
    expect([own.statusCode, own.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    const missing = await report(t.app, reporter, 'course', 2_000_000);
    expect(missing.statusCode).toBe(404);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reports`.execute(t.app.db);
    expect(count.rows[0]?.n).toBe(4);
  });

  it('counts one user’s reports of one item once, also when sent at the same time', async () => {
    const mentor = await signUpMentor(t.app, 'dup.mentor@example.com');
    const reporter = await signUp(t.app, 'dup.reporter@example.com');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => report(t.app, reporter, 'mentor', mentor.mentorId)),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.json<Report>().id)).size).toBe(1);
    const again = await report(t.app, reporter, 'mentor', mentor.mentorId, 'harassment');
    expect([again.statusCode, again.json<Report>().reason]).toEqual([200, 'spam']);

    // Different reporters at the same time: one open case holding every report.
    const others = await Promise.all([1, 2, 3, 4, 5].map((n) => signUp(t.app, `crowd${n}@example.com`)));
    const crowd = await Promise.all(
      others.map((o) => report(t.app, o, 'mentor', mentor.mentorId, 'misleading')),
    );
    expect(crowd.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    const open = await openCase(t.app, 'mentor', mentor.mentorId);
    expect(open.reportCount).toBe(6);
    expect(open.reasons).toEqual([
      { reason: 'misleading', count: 5 },
      { reason: 'spam', count: 1 },
    ]);
    const cases = await sql<{ n: number }>`SELECT count(*)::int AS n FROM moderation_cases
      WHERE item_kind = 'mentor' AND item_id = ${mentor.mentorId}`.execute(t.app.db);
    expect(cases.rows[0]?.n).toBe(1);
  });
});

describe('the moderation queue', () => {
  it('pages open cases oldest first, each item in context, in the same number of statements at any page size', async () => {
    const reporter = await signUp(t.app, 'queue.reporter@example.com');
    for (let n = 0; n < 5; n++) {
      const mentor = await signUpMentor(t.app, `queue.mentor${n}@example.com`);
      await ok(
        report(t.app, reporter, n % 2 ? 'user' : 'mentor', n % 2 ? mentor.userId : mentor.mentorId),
        201,
      );
    }
    const all = await queue(t.app);
    const paged = await queue(t.app, 2);
    expect(paged.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(all.map((c) => c.openedAt)).toEqual([...all.map((c) => c.openedAt)].sort());
    const latest = all.at(-1);
    expect(latest?.item).toMatchObject({ kind: 'mentor', title: 'queue.mentor4: Mentor', hidden: false });
    expect(latest?.details).toEqual([`About mentor ${latest?.item?.id}`]);

    const counts = [];
    for (const limit of [1, 2, 100]) {
      const response = await get(t.app, `/api/admin/moderation/queue?limit=${limit}`, admin.token);
      expect(response.statusCode).toBe(200);
      counts.push(queryCount(response));
    }
    expect(counts).toEqual([2, 2, 2]);
  });

  it('is for admins only: 403 for everyone else, 401 without a session before the query is read', async () => {
    const user = await signUp(t.app, 'curious@example.com');
    const refused = await get(t.app, '/api/admin/moderation/queue', user.token);
    expect([refused.statusCode, refused.json<ErrorBody>().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await get(t.app, '/api/admin/moderation/queue?limit=0')).statusCode).toBe(401);
    expect((await get(t.app, '/api/admin/audit-log', user.token)).statusCode).toBe(403);
  });
});

describe('decisions', () => {
  it('dismiss closes the case; the reporter sees the outcome; a decided case takes no second decision', async () => {
    const mentor = await signUpMentor(t.app, 'dismissed.mentor@example.com');
    const reporter = await signUp(t.app, 'dismissed.reporter@example.com');
    const filed = await ok<Report>(report(t.app, reporter, 'mentor', mentor.mentorId), 201);
    const open = await openCase(t.app, 'mentor', mentor.mentorId);
    const result = await ok<ModerationDecisionResult>(
      decide(t.app, open.id, { action: 'dismiss', reason: 'Fine' }),
    );
    expect(result.outcome).toBe('dismissed');
    const mine = await ok<Page<Report>>(get(t.app, '/api/me/reports', reporter.token));
    expect(mine.items.find((r) => r.id === filed.id)).toMatchObject({
      status: 'closed',
      outcome: 'dismissed',
    });
    const twice = await decide(t.app, open.id, { action: 'hide', reason: 'Changed my mind' });
    expect([twice.statusCode, twice.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    expect((await decide(t.app, 2_000_000, { action: 'dismiss', reason: 'x' })).statusCode).toBe(404);
  });

  it('hiding a review takes it out of the list and the rating average in the same transaction; reinstate restores', async () => {
    const { mentor, reviews } = await mentorWithReviewedSession(t.app, 'hidden.review');
    const reporter = await signUp(t.app, 'review.reporter@example.com');
    const rating = async () => (await ok<MentorDetail>(get(t.app, `/api/mentors/${mentor.mentorId}`))).rating;
    const listed = async () =>
      (await ok<Page<Review>>(get(t.app, `/api/mentors/${mentor.mentorId}/reviews`))).items.map((r) => r.id);
    expect(await rating()).toMatchObject({ average: 3, count: 2 });
    const harsh = reviews[1]?.id ?? 0;
    await ok(report(t.app, reporter, 'review', harsh, 'harassment'), 201);
    const open = await openCase(t.app, 'review', harsh);
    expect(open.item?.title).toContain('(1/5)');
    await ok(decide(t.app, open.id, { action: 'hide', reason: 'Abusive' }));
    expect(await rating()).toMatchObject({ average: 5, count: 1 });
    expect(await listed()).toEqual([reviews[0]?.id]);
    const stored = await sql<{
      rating_avg: string;
    }>`SELECT rating_avg FROM mentors WHERE id = ${mentor.mentorId}`.execute(t.app.db);
    expect(stored.rows[0]?.rating_avg).toBe('5.00');

    await ok(decide(t.app, open.id, { action: 'reinstate', reason: 'Appeal upheld' }));
    expect(await rating()).toMatchObject({ average: 3, count: 2 });
    expect((await listed()).sort()).toEqual(reviews.map((r) => r.id).sort());
    const again = await decide(t.app, open.id, { action: 'reinstate', reason: 'Twice' });
    expect(again.statusCode).toBe(409);
  });

  it('a participant reports a message, a stranger cannot; hidden it reads as removed to both; reinstate shows it', async () => {
    const mentor = await signUpMentor(t.app, 'message.mentor@example.com');
    const mentee = await signUp(t.app, 'message.mentee@example.com');
    const stranger = await signUp(t.app, 'message.stranger@example.com');
    const conversation = await ok<{ id: number }>(
      write(t.app, mentee.token, 'POST', '/api/conversations', { mentorId: mentor.mentorId }),
      201,
    );
    const message = await ok<Message>(
      write(t.app, mentee.token, 'POST', `/api/conversations/${conversation.id}/messages`, {
        body: 'Pay me outside the platform',
      }),
      201,
    );
    const shown = async (account: Account) =>
      (
        await ok<MessagePage>(get(t.app, `/api/conversations/${conversation.id}/messages`, account.token))
      ).items.find((m) => m.id === message.id);

    const refused = await report(t.app, stranger, 'message', message.id);
    expect([refused.statusCode, refused.json<ErrorBody>().error.code]).toEqual([404, 'NOT_FOUND']);
    const own = await report(t.app, mentee, 'message', message.id);
    expect(own.statusCode).toBe(409);
    await ok(report(t.app, mentor, 'message', message.id), 201);
    const open = await openCase(t.app, 'message', message.id);
    expect(open.owner.id).toBe(mentee.userId);
    expect(open.item).toMatchObject({
      title: 'Message from message.mentee to message.mentor',
      excerpt: 'Pay me outside the platform',
      hidden: false,
      path: null,
    });

    await ok(decide(t.app, open.id, { action: 'hide', reason: 'Off-platform payment' }));
    for (const account of [mentee, mentor])
      expect(await shown(account)).toEqual({ ...message, body: null, removed: true });
    await ok(decide(t.app, open.id, { action: 'reinstate', reason: 'Appeal upheld' }));
    for (const account of [mentee, mentor]) expect(await shown(account)).toEqual(message);
  });

  it('takes a message id above 2^31 end to end: report, queue, hide, the reporter’s list and the audit log', async () => {
    await sql`SELECT setval(pg_get_serial_sequence('messages', 'id'), ${String(2 ** 31 + 1000)}::bigint)`.execute(
      t.app.db,
    );
    const mentor = await signUpMentor(t.app, 'wide.mentor@example.com');
    const mentee = await signUp(t.app, 'wide.mentee@example.com');
    const conversation = await ok<{ id: number }>(
      write(t.app, mentee.token, 'POST', '/api/conversations', { mentorId: mentor.mentorId }),
      201,
    );
    const message = await ok<Message>(
      write(t.app, mentee.token, 'POST', `/api/conversations/${conversation.id}/messages`, {
        body: 'Past the integer range',
      }),
      201,
    );
    expect(message.id).toBeGreaterThan(2 ** 31);

    const filed = await ok<Report>(report(t.app, mentor, 'message', message.id), 201);
    expect(filed).toMatchObject({ kind: 'message', itemId: message.id });
    const open = await openCase(t.app, 'message', message.id);
    expect(open.item).toMatchObject({ kind: 'message', id: message.id, excerpt: 'Past the integer range' });
    await ok(decide(t.app, open.id, { action: 'hide', reason: 'Wide ids' }));
    const thread = await ok<MessagePage>(
      get(t.app, `/api/conversations/${conversation.id}/messages`, mentee.token),
    );
    expect(thread.items.find((m) => m.id === message.id)).toMatchObject({ removed: true, body: null });
    const mine = await ok<Page<Report>>(get(t.app, '/api/me/reports', mentor.token));
    expect(mine.items[0]).toMatchObject({ itemId: message.id, outcome: 'hidden' });
    const log = await ok<Page<AuditEntry>>(get(t.app, '/api/admin/audit-log?limit=1', admin.token));
    expect(log.items[0]?.subject).toEqual({ kind: 'message', id: message.id });

    // Every other kind has integer ids: an id past them is a 400 on the field, and nothing is written.
    const reportsBefore = await sql`SELECT count(*)::int AS n FROM reports`.execute(t.app.db);
    for (const kind of ['review', 'mentor', 'course', 'user']) {
      const refused = await report(t.app, mentee, kind, message.id);
      expect([refused.statusCode, refused.json<ErrorBody>().error.details]).toEqual([
        400,
        [{ path: 'body.itemId', message: 'must be at most 2147483647 for this kind' }],
      ]);
    }
    const beyond = await report(t.app, mentee, 'message', Number.MAX_SAFE_INTEGER + 1);
    expect(beyond.statusCode).toBe(400);
    const unknown = await report(t.app, mentor, 'message', Number.MAX_SAFE_INTEGER);
    expect(unknown.statusCode).toBe(404);
    expect((await sql`SELECT count(*)::int AS n FROM reports`.execute(t.app.db)).rows).toEqual(
      reportsBefore.rows,
    );
  });

  it('a hidden mentor profile and a hidden course leave every list and answer 404 publicly', async () => {
    const mentor = await signUpBookableMentor(t.app, 'hidden.profile@example.com');
    const course = await publishedCourse(t.app, mentor, 'Hidden course');
    const reporter = await signUp(t.app, 'profile.reporter@example.com');
    // Cached first, so the decision has something to invalidate.
    expect(await listedMentorIds(t.app)).toContain(mentor.mentorId);
    expect(await listedCourseIds(t.app)).toContain(course.id);
    await ok(get(t.app, `/api/mentors/${mentor.mentorId}`));
    await ok(get(t.app, `/api/courses/${course.id}`));

    await ok(report(t.app, reporter, 'mentor', mentor.mentorId), 201);
    await ok(report(t.app, reporter, 'course', course.id), 201);
    for (const kind of ['mentor', 'course'] as const) {
      const open = await openCase(t.app, kind, kind === 'mentor' ? mentor.mentorId : course.id);
      await ok(decide(t.app, open.id, { action: 'hide', reason: 'Spam listing' }));
    }
    expect(await listedMentorIds(t.app)).not.toContain(mentor.mentorId);
    expect(await listedCourseIds(t.app)).not.toContain(course.id);
    expect((await get(t.app, `/api/mentors/${mentor.mentorId}`)).statusCode).toBe(404);
    expect((await get(t.app, `/api/courses/${course.id}`)).statusCode).toBe(404);
    const stranger = await signUp(t.app, 'would.book@example.com');
    const booking = await write(t.app, stranger.token, 'POST', '/api/bookings', {
      mentorId: mentor.mentorId,
      startsAt: hourFromNow(30),
    });
    expect(booking.statusCode).toBe(404);
  });

  it('a user cannot be hidden; warning mails the owner', async () => {
    const owner = await signUp(t.app, 'warned.user@example.com');
    const reporter = await signUp(t.app, 'warn.reporter@example.com');
    await ok(report(t.app, reporter, 'user', owner.userId, 'harassment'), 201);
    const open = await openCase(t.app, 'user', owner.userId);
    const hide = await decide(t.app, open.id, { action: 'hide', reason: 'Rude' });
    expect([hide.statusCode, hide.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    await ok(decide(t.app, open.id, { action: 'warn', reason: 'Rude to mentors' }));
    const mail = await sql<{ kind: string; payload: { reason: string } }>`
      SELECT kind, payload FROM outbox WHERE recipient_id = ${owner.userId} AND kind = 'account.warned'`.execute(
      t.app.db,
    );
    expect(mail.rows).toEqual([{ kind: 'account.warned', payload: { reason: 'Rude to mentors' } }]);
  });

  it('bad decisions are 400s and write nothing; an admin cannot be suspended', async () => {
    const other = await signUp(t.app, 'other.admin@example.com', 'admin');
    const reporter = await signUp(t.app, 'admin.reporter@example.com');
    await ok(report(t.app, reporter, 'user', other.userId), 201);
    const open = await openCase(t.app, 'user', other.userId);
    const before = await sql`SELECT * FROM moderation_cases WHERE id = ${open.id}`.execute(t.app.db);
    const audits = async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log`.execute(t.app.db)).rows;
    const auditsBefore = await audits();
    for (const body of [
      { action: 'suspend', reason: 'x', suspendedUntil: new Date(Date.now() - HOUR).toISOString() },
      { action: 'dismiss', reason: 'x', suspendedUntil: new Date(Date.now() + HOUR).toISOString() },
      { action: 'dismiss', reason: '   ' },
      { action: 'ban', reason: 'x' },
    ]) {
      const refused = await decide(t.app, open.id, body);
      expect([refused.statusCode, refused.json<ErrorBody>().error.code], JSON.stringify(body)).toEqual([
        400,
        'VALIDATION_FAILED',
      ]);
    }
    const adminOwner = await decide(t.app, open.id, { action: 'suspend', reason: 'x' });
    expect(adminOwner.statusCode).toBe(409);
    expect((await sql`SELECT * FROM moderation_cases WHERE id = ${open.id}`.execute(t.app.db)).rows).toEqual(
      before.rows,
    );
    expect(await audits()).toEqual(auditsBefore);
    const noSession = await t.app.inject({
      method: 'POST',
      url: `/api/admin/moderation/cases/${open.id}/decisions`,
      payload: { action: 'ban' },
    });
    expect(noSession.statusCode).toBe(401);
  });
});

describe('suspension', () => {
  it('revokes the sessions and closes the sockets at once; refuses sign-in, booking and publishing; takes the profile and courses off every list', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const mentor = await signUpBookableMentor(t.app, 'suspended.mentor@example.com');
    const course = await publishedCourse(t.app, mentor, 'Course of a suspended mentor');
    const draft = await ok<StudioCourse>(
      write(t.app, mentor.token, 'POST', '/api/courses', { title: 'Draft', level: 'beginner' }),
      201,
    );
    const other = await signUpBookableMentor(t.app, 'bookable.other@example.com');
    const reporter = await signUp(t.app, 'suspend.reporter@example.com');
    await t.app.cache.flush(); // the mentors were listed in the database directly, not through the API
    expect(await listedMentorIds(t.app)).toContain(mentor.mentorId);
    expect(await listedCourseIds(t.app)).toContain(course.id);
    await ok(get(t.app, `/api/mentors/${mentor.mentorId}`));
    const socket = await LiveClient.open(t.app, mentor.token);

    await ok(report(t.app, reporter, 'course', course.id, 'misleading'), 201);
    const open = await openCase(t.app, 'course', course.id);
    expect(open.owner).toMatchObject({ id: mentor.userId, suspension: null });
    const until = new Date(Date.now() + 3 * 24 * HOUR);
    await ok(
      decide(t.app, open.id, {
        action: 'suspend',
        reason: 'Scam course',
        suspendedUntil: until.toISOString(),
      }),
    );
    try {
      await eventually(() => socket.closed?.code === liveCloseCodes.sessionEnded);
    } finally {
      socket.close();
    }
    expect((await get(t.app, '/api/auth/me', mentor.token)).statusCode).toBe(401);
    // GraphQL and the live socket refuse the revoked session like REST: `me` is signed out, no socket reopens.
    const graphqlMe = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: mentor.token },
      headers: { origin: ORIGIN },
      payload: { query: '{ me { id email conversations { unreadCount items { id } } } }' },
    });
    expect(graphqlMe.json()).toEqual({ data: { me: null } });
    const reconnect = await upgradeRefusal(t.app, { origin: ORIGIN, cookie: `mh_session=${mentor.token}` });
    expect([reconnect.status, reconnect.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const book = await write(t.app, mentor.token, 'POST', '/api/bookings', {
      mentorId: other.mentorId,
      startsAt: hourFromNow(50),
    });
    expect(book.statusCode).toBe(401);
    expect((await write(t.app, mentor.token, 'POST', `/api/courses/${draft.id}/publish`)).statusCode).toBe(
      401,
    );

    const address = `10.9.0.${nextAddress++}`;
    const refused = await signIn(
      t.app,
      { email: 'suspended.mentor@example.com', password: PASSWORD },
      address,
    );
    expect([refused.statusCode, refused.json<ErrorBody>().error]).toEqual([
      403,
      {
        code: 'ACCOUNT_SUSPENDED',
        message: `This account is suspended until ${until.toISOString()}`,
        details: [],
      },
    ]);
    const wrong = await signIn(
      t.app,
      { email: 'suspended.mentor@example.com', password: 'not it at all' },
      address,
    );
    expect(wrong.statusCode).toBe(401);

    expect(await listedMentorIds(t.app)).not.toContain(mentor.mentorId);
    expect(await listedCourseIds(t.app)).not.toContain(course.id);
    expect((await get(t.app, `/api/mentors/${mentor.mentorId}`)).statusCode).toBe(404);
    expect((await get(t.app, `/api/courses/${course.id}`)).statusCode).toBe(404);
    const stranger = await signUp(t.app, 'books.suspended@example.com');
    const bookSuspended = await write(t.app, stranger.token, 'POST', '/api/bookings', {
      mentorId: mentor.mentorId,
      startsAt: hourFromNow(52),
    });
    expect(bookSuspended.statusCode).toBe(404);

    // The period ends by the app's clock: sign-in works again without anything having run.
    clockOffset = 3 * 24 * HOUR + 1000;
    try {
      const back = await signIn(
        t.app,
        { email: 'suspended.mentor@example.com', password: PASSWORD },
        address,
      );
      expect(back.statusCode, back.body).toBe(200);
    } finally {
      clockOffset = 0;
    }
  });

  it('for good until reinstated; the audit log keeps every decision, and the database refuses to change it', async () => {
    const user = await signUp(t.app, 'banned.user@example.com');
    const reporter = await signUp(t.app, 'ban.reporter@example.com');
    await ok(report(t.app, reporter, 'user', user.userId, 'harassment'), 201);
    const open = await openCase(t.app, 'user', user.userId);
    await ok(decide(t.app, open.id, { action: 'suspend', reason: 'Threats' }));
    const credentials = { email: 'banned.user@example.com', password: PASSWORD };
    const address = `10.9.1.${nextAddress++}`;
    clockOffset = 3650 * 24 * HOUR;
    try {
      const refused = await signIn(t.app, credentials, address);
      expect(refused.json<ErrorBody>().error.message).toBe('This account is suspended for good');
    } finally {
      clockOffset = 0;
    }
    const mine = await ok<Page<Report>>(get(t.app, '/api/me/reports', reporter.token));
    expect(mine.items[0]).toMatchObject({ outcome: 'suspended', status: 'closed' });
    await ok(decide(t.app, open.id, { action: 'reinstate', reason: 'Appeal accepted' }));
    expect((await signIn(t.app, credentials, address)).statusCode).toBe(200);

    const log = await ok<Page<AuditEntry>>(get(t.app, '/api/admin/audit-log?limit=2', admin.token));
    expect(log.items.map((e) => [e.action, e.reason, e.subject])).toEqual([
      ['moderation.reinstate', 'Appeal accepted', { kind: 'user', id: user.userId }],
      ['moderation.suspend', 'Threats', { kind: 'user', id: user.userId }],
    ]);
    expect(log.items[1]).toMatchObject({
      actor: { id: admin.userId, name: 'moderator' },
      details: { caseId: open.id, ownerId: user.userId, suspendedUntil: null },
    });
    expect(log.nextCursor).not.toBeNull();

    await expect(sql`UPDATE audit_log SET reason = 'rewritten'`.execute(t.app.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(t.app.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(t.app.db)).rejects.toThrow(/append-only/);
  });
});

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('two API instances on one Redis', () => {
  it('a suspension reaches the cached lists and pages of the other instance before the decision returns', async () => {
    const pair = await twoInstancesOnRedis(redisUrl ?? '', { seed: false });
    try {
      const { a, b } = pair;
      const moderator = await signUp(a.app, 'pair.admin@example.com', 'admin');
      const mentor = await signUpMentor(a.app, 'pair.mentor@example.com');
      const course = await publishedCourse(a.app, mentor, 'Pair course');
      const reporter = await signUp(a.app, 'pair.reporter@example.com');
      for (const app of [a.app, b.app]) {
        expect(await listedMentorIds(app)).toContain(mentor.mentorId);
        expect(await listedCourseIds(app)).toContain(course.id);
        await ok(get(app, `/api/mentors/${mentor.mentorId}`));
      }
      await ok(report(a.app, reporter, 'mentor', mentor.mentorId), 201);
      const { items } = await ok<Page<ModerationCase>>(
        get(a.app, '/api/admin/moderation/queue', moderator.token),
      );
      const caseId = items[0]?.id ?? 0;
      await ok(
        write(a.app, moderator.token, 'POST', `/api/admin/moderation/cases/${caseId}/decisions`, {
          action: 'suspend',
          reason: 'Fake profile',
        }),
      );
      expect(await listedMentorIds(b.app)).not.toContain(mentor.mentorId);
      expect(await listedCourseIds(b.app)).not.toContain(course.id);
      expect((await get(b.app, `/api/mentors/${mentor.mentorId}`)).statusCode).toBe(404);
    } finally {
      await pair.close();
    }
  });
});
