import { createHash } from 'node:crypto';
import type {
  Booking,
  Dispute,
  Lesson,
  MentorApplication,
  Recommendations,
  StudioCourse,
} from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, signUp, signUpMentor, write } from './helpers/accounts';
import { HOUR, OPEN_ALL_WEEK, hourFromNow } from './helpers/availability';
import { createTestApp, type TestApp } from './helpers/test-app';

const actors = ['anon', 'A', 'B', 'M1', 'M2', 'admin'] as const;
type Actor = (typeof actors)[number];
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Account {
  email: string;
  token: string;
  userId: number;
}

let t: TestApp;
const accounts = {} as Record<Exclude<Actor, 'anon'>, Account>;
/** The objects the matrix acts on, all owned by A or M1 (B's application is B's). */
const o = {
  m1MentorId: 0,
  m2MentorId: 0,
  bRequested: 0, // A's request with M1: read, confirmed, then cancelled by A
  bToDecline: 0, // A's request with M1, declined by M1
  bConfirmed: 0, // A's confirmed session with M1, cancelled by M1
  bEnded: 0, // A's confirmed session with M1 that has ended: completed by M1, reviewed by A
  bStarted: 0, // A's confirmed session with M1 that has started: marked a no-show by M1
  bStartedForA: 0, // another: A reports M1 as a no-show
  bMissed: 0, // A's session with M1 that M1 reported A missing: A disputes it (o.disputeId), then M1 and A
  disputeId: 0,
  draftId: 0,
  draftSlug: '',
  draftLessonIds: [] as number[],
  publishedId: 0,
  previewLessonId: 0,
  paidLessonId: 0,
  bApplicationId: 0,
  otherApplicationId: 0,
  aNotificationIds: [] as number[],
  conversationId: 0, // A's conversation with M1, opened by A's booking requests
  messageId: 0, // A's message in it
  bystanderId: 0,
};

const token = (actor: Actor) => (actor === 'anon' ? undefined : accounts[actor].token);

function send(actor: Actor, method: Method, url: string, payload?: object | Buffer, headers = {}) {
  const session = token(actor);
  return t.app.inject({
    method,
    url,
    headers: { ...(method === 'GET' ? {} : { origin: ORIGIN }), ...headers },
    ...(session ? { cookies: { mh_session: session } } : {}),
    ...(payload ? { payload } : {}),
  });
}

async function one<T>(query: ReturnType<typeof sql<T>>): Promise<T | undefined> {
  return (await query.execute(t.database.db)).rows[0];
}

const application = {
  headline: 'Platform engineer',
  bio: 'Ten years of on-call.',
  hourlyRateCents: 9000,
  languages: ['en'],
  timezone: 'UTC',
  expertise: ['go'],
};

async function ok<T>(response: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const done = await response;
  expect(done.statusCode, done.body).toBe(status);
  return done.json<T>();
}

async function book(menteeToken: string, startsAt: string): Promise<number> {
  const body = { mentorId: o.m1MentorId, startsAt };
  return (await ok<Booking>(write(t.app, menteeToken, 'POST', '/api/bookings', body), 201)).id;
}

const confirm = (id: number) => ok(write(t.app, accounts.M1.token, 'POST', `/api/bookings/${id}/confirm`));

beforeAll(async () => {
  t = await createTestApp({ seed: false });
  for (const actor of ['A', 'B', 'admin'] as const) {
    const email = `${actor.toLowerCase()}.matrix@example.com`;
    accounts[actor] = { email, ...(await signUp(t.app, email, actor === 'admin' ? 'admin' : 'mentee')) };
  }
  for (const actor of ['M1', 'M2'] as const) {
    const email = `${actor.toLowerCase()}.matrix@example.com`;
    const { mentorId, ...rest } = await signUpMentor(t.app, email);
    accounts[actor] = { email, ...rest };
    if (actor === 'M1') o.m1MentorId = mentorId;
    else o.m2MentorId = mentorId;
  }
  const { A, M1 } = accounts;
  await ok(write(t.app, M1.token, 'PUT', `/api/mentors/${o.m1MentorId}/availability`, OPEN_ALL_WEEK));

  o.bRequested = await book(A.token, hourFromNow(72));
  o.bToDecline = await book(A.token, hourFromNow(75));
  o.bConfirmed = await book(A.token, hourFromNow(78));
  await confirm(o.bConfirmed); // A is notified
  o.bEnded = await book(A.token, hourFromNow(81));
  await confirm(o.bEnded);
  o.bStarted = await book(A.token, hourFromNow(84));
  await confirm(o.bStarted);
  o.bStartedForA = await book(A.token, hourFromNow(87));
  await confirm(o.bStartedForA);
  o.bMissed = await book(A.token, hourFromNow(90));
  await confirm(o.bMissed);
  const ended = Date.now() - 100 * HOUR;
  await sql`UPDATE bookings SET starts_at = ${new Date(ended)}, ends_at = ${new Date(ended + HOUR)}
    WHERE id = ${o.bEnded}`.execute(t.database.db);
  for (const [index, id] of [o.bStarted, o.bStartedForA, o.bMissed].entries()) {
    const started = Date.now() - HOUR / 2 - index * 2 * HOUR;
    await sql`UPDATE bookings SET starts_at = ${new Date(started)}, ends_at = ${new Date(started + HOUR)}
      WHERE id = ${id}`.execute(t.database.db);
  }
  await ok(write(t.app, M1.token, 'POST', `/api/bookings/${o.bMissed}/no-show`));
  o.disputeId = (
    await ok<Dispute>(
      write(t.app, A.token, 'POST', `/api/bookings/${o.bMissed}/dispute`, { reason: 'I was there' }),
      201,
    )
  ).id;

  const draft = await ok<StudioCourse>(
    write(t.app, M1.token, 'POST', '/api/courses', { title: 'Draft by M1', level: 'beginner' }),
    201,
  );
  o.draftId = draft.id;
  o.draftSlug = draft.slug;
  for (const title of ['Draft lesson 1', 'Draft lesson 2'])
    o.draftLessonIds.push(
      (await ok<Lesson>(write(t.app, M1.token, 'POST', `/api/courses/${draft.id}/lessons`, { title }), 201))
        .id,
    );
  const published = await ok<StudioCourse>(
    write(t.app, M1.token, 'POST', '/api/courses', { title: 'Published by M1', level: 'beginner' }),
    201,
  );
  o.publishedId = published.id;
  const lesson = (title: string, isPreview: boolean) =>
    ok<Lesson>(
      write(t.app, M1.token, 'POST', `/api/courses/${published.id}/lessons`, {
        title,
        content: `${title} content`,
        isPreview,
      }),
      201,
    );
  o.previewLessonId = (await lesson('Preview', true)).id;
  o.paidLessonId = (await lesson('Enrolled only', false)).id;
  await ok(write(t.app, M1.token, 'POST', `/api/courses/${published.id}/publish`));
  await ok(write(t.app, A.token, 'POST', `/api/courses/${published.id}/enrollments`), 201);

  await sql`INSERT INTO expertise_tags (slug, name) VALUES ('go', 'Go')`.execute(t.database.db);
  o.bApplicationId = (
    await ok<MentorApplication>(write(t.app, accounts.B.token, 'POST', '/api/mentors', application), 201)
  ).id;
  const bystander = await signUp(t.app, 'bystander.matrix@example.com');
  o.bystanderId = bystander.userId;
  o.otherApplicationId = (
    await ok<MentorApplication>(write(t.app, bystander.token, 'POST', '/api/mentors', application), 201)
  ).id;

  const conversation = await one(sql<{ id: number }>`
    SELECT id FROM conversations WHERE mentee_id = ${A.userId} AND mentor_id = ${o.m1MentorId}`);
  o.conversationId = conversation?.id ?? 0;
  o.messageId = (
    await ok<{ id: number }>(
      write(t.app, A.token, 'POST', `/api/conversations/${o.conversationId}/messages`, { body: 'Hello' }),
      201,
    )
  ).id;

  const { rows } = await sql<{ id: number }>`
    SELECT id FROM notifications WHERE user_id = ${A.userId} ORDER BY id`.execute(t.database.db);
  o.aNotificationIds = rows.map((row) => row.id);
  expect(o.aNotificationIds.length).toBeGreaterThan(0);
});
afterAll(() => t.close());

interface Row {
  route: string;
  /** Which object, in words. */
  on: string;
  method: Method;
  url: (actor: Actor) => string;
  body?: (actor: Actor) => object | Buffer;
  headers?: Record<string, string>;
  expected: Record<Actor, number>;
  /** Runs last (the others are refused first). */
  owner?: Actor;
  /** The state the refused attempts must leave as it was (read from the database). */
  state?: () => Promise<unknown>;
  /** More about a response than its status. */
  check?: (actor: Actor, response: LightMyRequestResponse) => Promise<void> | void;
}

const refusedBy = (owner: Actor, refusal: number, anon = 401): Record<Actor, number> => ({
  anon,
  A: refusal,
  B: refusal,
  M1: refusal,
  M2: refusal,
  admin: refusal,
  [owner]: 200,
});
const signedIn = (status: number): Record<Actor, number> => ({
  anon: 401,
  A: status,
  B: status,
  M1: status,
  M2: status,
  admin: status,
});
const userRow = (id: () => number) => () =>
  one(sql`SELECT name, bio, timezone, avatar_media_id FROM users WHERE id = ${id()}`);
const bookingRow = (id: () => number) => () =>
  one(sql`SELECT status, cancelled_by, cancel_reason, updated_at FROM bookings WHERE id = ${id()}`);
const courseRow = (id: () => number) => () =>
  one(sql`SELECT c.title, c.status, c.lessons_count, c.updated_at,
    (SELECT json_agg(json_build_object('id', l.id, 'title', l.title, 'position', l.position) ORDER BY l.id)
       FROM lessons l WHERE l.course_id = c.id) AS lessons
    FROM courses c WHERE c.id = ${id()}`);
const mentorRow = (id: () => number) => () =>
  one(sql`SELECT headline, status, min_notice_minutes, updated_at FROM mentors WHERE id = ${id()}`);
const conversationRow = () =>
  one(sql`SELECT c.closed_at, c.last_message_id::text AS last_message_id,
    (SELECT json_agg(json_build_object('user', m.user_id, 'read', m.last_read_message_id::text) ORDER BY m.user_id)
       FROM conversation_members m WHERE m.conversation_id = c.id) AS members
    FROM conversations c WHERE c.id = ${o.conversationId}`);
const participantsOnly = (status: number): Record<Actor, number> => ({
  anon: 401,
  A: status,
  B: 404,
  M1: status,
  M2: 404,
  admin: 404,
});
const count = (table: string) => () => one(sql`SELECT count(*)::int AS n FROM ${sql.table(table)}`);
const mentorIdOf = (actor: 'M1' | 'M2') => (actor === 'M1' ? o.m1MentorId : o.m2MentorId);
const idOf = (actor: Actor) => (actor === 'anon' ? 0 : accounts[actor].userId);

const rows: Row[] = [
  {
    route: 'GET /api/auth/me',
    on: 'the session',
    method: 'GET',
    url: () => '/api/auth/me',
    expected: signedIn(200),
    check: (actor, response) => {
      if (actor !== 'anon')
        expect(response.json<{ user: { id: number } }>().user.id).toBe(accounts[actor].userId);
    },
  },
  {
    route: 'PATCH /api/users/:id',
    on: 'A’s profile',
    method: 'PATCH',
    url: () => `/api/users/${accounts.A.userId}`,
    body: () => ({ bio: 'Written by someone' }),
    expected: refusedBy('A', 403),
    owner: 'A',
    state: userRow(() => accounts.A.userId),
  },
  {
    route: 'PUT /api/users/:id/avatar',
    on: 'A’s avatar',
    method: 'PUT',
    url: () => `/api/users/${accounts.A.userId}/avatar`,
    body: () => avatarPng,
    headers: { 'content-type': 'image/png' },
    expected: refusedBy('A', 403),
    owner: 'A',
    state: userRow(() => accounts.A.userId),
  },
  {
    route: 'DELETE /api/users/:id/avatar',
    on: 'A’s avatar',
    method: 'DELETE',
    url: () => `/api/users/${accounts.A.userId}/avatar`,
    expected: refusedBy('A', 403),
    owner: 'A',
    state: userRow(() => accounts.A.userId),
  },
  {
    route: 'PATCH /api/mentors/:id',
    on: 'M1’s mentor profile',
    method: 'PATCH',
    url: () => `/api/mentors/${o.m1MentorId}`,
    body: () => ({ headline: 'Rewritten' }),
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: mentorRow(() => o.m1MentorId),
  },
  {
    route: 'GET /api/mentors/:id/availability/settings',
    on: 'M1’s settings',
    method: 'GET',
    url: () => `/api/mentors/${o.m1MentorId}/availability/settings`,
    expected: { ...refusedBy('M1', 403), admin: 200 },
    owner: 'M1',
  },
  {
    route: 'PUT /api/mentors/:id/availability',
    on: 'M1’s settings',
    method: 'PUT',
    url: () => `/api/mentors/${o.m1MentorId}/availability`,
    body: () => ({ ...OPEN_ALL_WEEK, minNoticeMinutes: 5 }),
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: mentorRow(() => o.m1MentorId),
  },
  {
    route: 'POST /api/bookings',
    on: 'a slot of M1 (each actor its own hour)',
    method: 'POST',
    url: () => '/api/bookings',
    body: (actor) => ({ mentorId: o.m1MentorId, startsAt: hourFromNow(100 + actors.indexOf(actor)) }),
    expected: { ...signedIn(201), M1: 403 },
    state: count('bookings'),
  },
  {
    route: 'GET /api/bookings/:id',
    on: 'A’s request with M1',
    method: 'GET',
    url: () => `/api/bookings/${o.bRequested}`,
    expected: { anon: 401, A: 200, B: 404, M1: 200, M2: 404, admin: 404 },
  },
  {
    route: 'POST /api/bookings/:id/confirm',
    on: 'A’s request with M1',
    method: 'POST',
    url: () => `/api/bookings/${o.bRequested}/confirm`,
    expected: { anon: 401, A: 409, B: 404, M1: 200, M2: 404, admin: 404 },
    owner: 'M1',
    state: bookingRow(() => o.bRequested),
  },
  {
    route: 'POST /api/bookings/:id/decline',
    on: 'A’s other request with M1',
    method: 'POST',
    url: () => `/api/bookings/${o.bToDecline}/decline`,
    expected: { anon: 401, A: 409, B: 404, M1: 200, M2: 404, admin: 404 },
    owner: 'M1',
    state: bookingRow(() => o.bToDecline),
  },
  {
    route: 'POST /api/bookings/:id/complete',
    on: 'A’s ended session with M1',
    method: 'POST',
    url: () => `/api/bookings/${o.bEnded}/complete`,
    expected: { anon: 401, A: 409, B: 404, M1: 200, M2: 404, admin: 404 },
    owner: 'M1',
    state: bookingRow(() => o.bEnded),
  },
  {
    route: 'POST /api/bookings/:id/no-show',
    on: 'A’s started sessions with M1 (A reports M1 on one, M1 reports A on the other)',
    method: 'POST',
    url: (actor) => `/api/bookings/${actor === 'A' ? o.bStartedForA : o.bStarted}/no-show`,
    expected: { anon: 401, A: 200, B: 404, M1: 200, M2: 404, admin: 404 },
    owner: 'M1',
    state: async () => [await bookingRow(() => o.bStarted)(), await bookingRow(() => o.bStartedForA)()],
  },
  {
    route: 'POST /api/bookings/:id/dispute',
    on: 'A’s session M1 reported A missing (A has disputed it already)',
    method: 'POST',
    url: () => `/api/bookings/${o.bMissed}/dispute`,
    body: () => ({ reason: 'The link did not work' }),
    expected: { anon: 401, A: 409, B: 404, M1: 201, M2: 404, admin: 404 },
    owner: 'M1',
    state: count('no_show_disputes'),
  },
  {
    route: 'GET /api/me/standing',
    on: 'the caller’s own strikes',
    method: 'GET',
    url: () => '/api/me/standing',
    expected: signedIn(200),
  },
  {
    route: 'POST /api/bookings/:id/cancel',
    on: 'A’s confirmed sessions (A: the one M1 confirmed above; M1: another)',
    method: 'POST',
    url: (actor) => `/api/bookings/${actor === 'M1' ? o.bConfirmed : o.bRequested}/cancel`,
    body: () => ({ reason: 'Something came up' }),
    expected: { anon: 401, A: 200, B: 404, M1: 200, M2: 404, admin: 404 },
    owner: 'A',
    state: async () => [await bookingRow(() => o.bRequested)(), await bookingRow(() => o.bConfirmed)()],
  },
  {
    route: 'POST /api/bookings/:id/review',
    on: 'A’s completed session with M1',
    method: 'POST',
    url: () => `/api/bookings/${o.bEnded}/review`,
    body: () => ({ rating: 4, body: 'Helpful.' }),
    expected: { anon: 401, A: 201, B: 404, M1: 409, M2: 404, admin: 404 },
    owner: 'A',
    state: async () => [await count('reviews')(), await mentorRow(() => o.m1MentorId)()],
  },
  {
    route: 'GET /api/me/bookings',
    on: 'one’s own sessions',
    method: 'GET',
    url: () => '/api/me/bookings?limit=100',
    expected: signedIn(200),
    check: (actor, response) => {
      if (actor === 'anon') return;
      const items = response.json<{ items: Booking[] }>().items;
      for (const booking of items) expect(booking.mentee.id).toBe(accounts[actor].userId);
      if (actor === 'A') expect(items.map((b) => b.id)).toContain(o.bRequested);
    },
  },
  {
    route: 'POST /api/courses',
    on: 'a new draft',
    method: 'POST',
    url: () => '/api/courses',
    body: () => ({ title: 'Another course', level: 'advanced' }),
    expected: { anon: 401, A: 403, B: 403, M1: 201, M2: 201, admin: 201 },
    owner: 'M1',
    state: count('courses'),
  },
  {
    route: 'PATCH /api/courses/:id',
    on: 'M1’s draft',
    method: 'PATCH',
    url: () => `/api/courses/${o.draftId}`,
    body: () => ({ title: 'Renamed draft' }),
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'POST /api/courses/:id/lessons',
    on: 'M1’s draft',
    method: 'POST',
    url: () => `/api/courses/${o.draftId}/lessons`,
    body: () => ({ title: 'Added lesson' }),
    expected: { ...refusedBy('M1', 403), M1: 201 },
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'PATCH /api/lessons/:id',
    on: 'a lesson of M1’s draft',
    method: 'PATCH',
    url: () => `/api/lessons/${o.draftLessonIds[0]}`,
    body: () => ({ title: 'Retitled lesson' }),
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'PUT /api/courses/:id/lessons/order',
    on: 'M1’s draft',
    method: 'PUT',
    url: () => `/api/courses/${o.draftId}/lessons/order`,
    body: () => ({ lessonIds: [...draftLessons].reverse() }),
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'DELETE /api/lessons/:id',
    on: 'a lesson of M1’s draft',
    method: 'DELETE',
    url: () => `/api/lessons/${o.draftLessonIds[1]}`,
    expected: { ...refusedBy('M1', 403), M1: 204 },
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'GET /api/courses/:id',
    on: 'M1’s draft, by id',
    method: 'GET',
    url: () => `/api/courses/${o.draftId}`,
    expected: { anon: 404, A: 404, B: 404, M1: 200, M2: 404, admin: 200 },
    owner: 'M1',
  },
  {
    route: 'GET /api/courses/:id',
    on: 'M1’s draft, by slug',
    method: 'GET',
    url: () => `/api/courses/${o.draftSlug}`,
    expected: { anon: 404, A: 404, B: 404, M1: 200, M2: 404, admin: 200 },
    owner: 'M1',
  },
  {
    route: 'GET /api/lessons/:id',
    on: 'a lesson of M1’s draft',
    method: 'GET',
    url: () => `/api/lessons/${o.draftLessonIds[0]}`,
    expected: { anon: 404, A: 404, B: 404, M1: 200, M2: 404, admin: 200 },
    owner: 'M1',
  },
  {
    route: 'GET /api/lessons/:id',
    on: 'a non-preview lesson of M1’s published course',
    method: 'GET',
    url: () => `/api/lessons/${o.paidLessonId}`,
    expected: { anon: 401, A: 200, B: 403, M1: 200, M2: 403, admin: 200 },
    owner: 'A',
  },
  {
    route: 'POST /api/lessons/:id/complete',
    on: 'a non-preview lesson of M1’s published course',
    method: 'POST',
    url: () => `/api/lessons/${o.paidLessonId}/complete`,
    expected: { anon: 401, A: 200, B: 403, M1: 403, M2: 403, admin: 403 },
    owner: 'A',
    state: () => one(sql`SELECT count(*)::int AS n FROM lesson_progress`),
  },
  {
    route: 'POST /api/lessons/:id/complete',
    on: 'a lesson of M1’s draft',
    method: 'POST',
    url: () => `/api/lessons/${o.draftLessonIds[0]}/complete`,
    expected: { anon: 401, A: 404, B: 404, M1: 403, M2: 404, admin: 403 },
    state: () => one(sql`SELECT count(*)::int AS n FROM lesson_progress`),
  },
  {
    route: 'POST /api/courses/:id/enrollments',
    on: 'M1’s draft',
    method: 'POST',
    url: () => `/api/courses/${o.draftId}/enrollments`,
    expected: { anon: 401, A: 404, B: 404, M1: 409, M2: 404, admin: 409 },
    state: count('enrollments'),
  },
  {
    route: 'POST /api/courses/:id/publish',
    on: 'M1’s draft',
    method: 'POST',
    url: () => `/api/courses/${o.draftId}/publish`,
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'POST /api/courses/:id/unpublish',
    on: 'M1’s course just published',
    method: 'POST',
    url: () => `/api/courses/${o.draftId}/unpublish`,
    expected: refusedBy('M1', 403),
    owner: 'M1',
    state: courseRow(() => o.draftId),
  },
  {
    route: 'POST /api/courses/:id/enrollments',
    on: 'M1’s published course (A is enrolled)',
    method: 'POST',
    url: () => `/api/courses/${o.publishedId}/enrollments`,
    expected: { ...signedIn(201), A: 409 },
    state: count('enrollments'),
  },
  {
    route: 'GET /api/me/enrollments',
    on: 'one’s own enrollments',
    method: 'GET',
    url: () => '/api/me/enrollments?limit=100',
    expected: signedIn(200),
    check: async (actor, response) => {
      if (actor === 'anon') return;
      const ids = response.json<{ items: { id: number }[] }>().items.map((e) => e.id);
      const { rows: own } = await sql<{ id: number }>`
        SELECT id FROM enrollments WHERE user_id = ${idOf(actor)}`.execute(t.database.db);
      expect(ids.sort()).toEqual(own.map((e) => e.id).sort());
    },
  },
  {
    route: 'GET /api/me/courses',
    on: 'one’s own courses',
    method: 'GET',
    url: () => '/api/me/courses?limit=100',
    expected: { anon: 401, A: 403, B: 403, M1: 200, M2: 200, admin: 200 },
    check: (actor, response) => {
      if (response.statusCode !== 200) return;
      const items = response.json<{ items: { id: number; instructor: { id: number } }[] }>().items;
      for (const course of items) expect(course.instructor.id).toBe(idOf(actor));
      if (actor === 'M1') expect(items.map((c) => c.id)).toContain(o.draftId);
    },
  },
  {
    route: 'GET /api/me/notifications',
    on: 'one’s own notifications',
    method: 'GET',
    url: () => '/api/me/notifications?limit=100',
    expected: signedIn(200),
    check: async (actor, response) => {
      if (actor === 'anon') return;
      const ids = response.json<{ items: { id: number }[] }>().items.map((n) => n.id);
      const { rows: own } = await sql<{ id: number }>`
        SELECT id FROM notifications WHERE user_id = ${idOf(actor)}`.execute(t.database.db);
      expect(ids.sort()).toEqual(own.map((n) => n.id).sort());
    },
  },
  {
    route: 'POST /api/me/notifications/read',
    on: 'A’s notifications, by id',
    method: 'POST',
    url: () => '/api/me/notifications/read',
    body: () => ({ ids: o.aNotificationIds }),
    expected: signedIn(200),
    owner: 'A',
    state: () => one(sql`SELECT count(*)::int AS n FROM notifications WHERE read_at IS NOT NULL`),
    check: (actor, response) => {
      if (actor !== 'anon')
        expect(response.json<{ marked: number }>().marked).toBe(
          actor === 'A' ? o.aNotificationIds.length : 0,
        );
    },
  },
  {
    route: 'GET /api/me/recommendations',
    on: 'one’s own recommendations',
    method: 'GET',
    url: () => '/api/me/recommendations',
    expected: signedIn(200),
    check: (actor, response) => {
      if (actor === 'anon') return;
      const { mentors, courses } = response.json<Recommendations>();
      for (const { mentor } of mentors) expect(mentor.user.id).not.toBe(idOf(actor));
      for (const { course } of courses) expect(course.instructor.id).not.toBe(idOf(actor));
      // A booked M1 and is enrolled in M1's published course: neither comes back to A.
      if (actor === 'A') {
        expect(mentors.map((item) => item.mentor.id)).not.toContain(o.m1MentorId);
        expect(courses.map((item) => item.course.id)).not.toContain(o.publishedId);
      }
    },
  },
  {
    // The upgrade itself is tested in live.int.test.ts; a plain GET runs the same checks before the upgrade.
    route: 'GET /api/ws',
    on: 'one’s own live events (a plain GET, not an upgrade)',
    method: 'GET',
    url: () => '/api/ws',
    headers: { origin: ORIGIN },
    expected: signedIn(426),
  },
  {
    route: 'GET /api/me/conversations',
    on: 'one’s own conversations',
    method: 'GET',
    url: () => '/api/me/conversations?limit=100',
    expected: signedIn(200),
    check: (actor, response) => {
      if (actor === 'anon') return;
      const ids = response.json<{ items: { id: number }[] }>().items.map((c) => c.id);
      if (actor === 'A' || actor === 'M1') expect(ids).toContain(o.conversationId);
      else expect(ids).not.toContain(o.conversationId);
    },
  },
  {
    route: 'POST /api/conversations',
    on: 'a conversation with M2',
    method: 'POST',
    url: () => '/api/conversations',
    body: () => ({ mentorId: mentorIdOf('M2') }),
    expected: { anon: 401, A: 201, B: 201, M1: 201, M2: 403, admin: 201 },
    state: count('conversations'),
  },
  {
    route: 'GET /api/conversations/:id/messages',
    on: 'A’s conversation with M1',
    method: 'GET',
    url: () => `/api/conversations/${o.conversationId}/messages`,
    expected: participantsOnly(200),
    check: (_actor, response) => {
      if (response.statusCode !== 200) expect(response.body).not.toContain('Hello');
    },
  },
  {
    route: 'POST /api/conversations/:id/messages',
    on: 'A’s conversation with M1',
    method: 'POST',
    url: () => `/api/conversations/${o.conversationId}/messages`,
    body: () => ({ body: 'A reply' }),
    expected: participantsOnly(201),
    state: conversationRow,
  },
  {
    route: 'POST /api/conversations/:id/read',
    on: 'A’s conversation with M1',
    method: 'POST',
    url: () => `/api/conversations/${o.conversationId}/read`,
    body: () => ({ upToMessageId: o.messageId }),
    expected: participantsOnly(200),
    state: conversationRow,
  },
  {
    route: 'POST /api/conversations/:id/close',
    on: 'A’s conversation with M1',
    method: 'POST',
    url: () => `/api/conversations/${o.conversationId}/close`,
    expected: { ...participantsOnly(200), A: 403 },
    owner: 'M1',
    state: conversationRow,
  },
  {
    route: 'POST /api/me/blocks/:userId',
    on: 'a bystander',
    method: 'POST',
    url: () => `/api/me/blocks/${o.bystanderId}`,
    expected: signedIn(204),
    state: count('user_blocks'),
  },
  {
    route: 'DELETE /api/me/blocks/:userId',
    on: 'a bystander',
    method: 'DELETE',
    url: () => `/api/me/blocks/${o.bystanderId}`,
    expected: signedIn(204),
    state: count('user_blocks'),
  },
  {
    route: 'POST /api/mentors',
    on: 'an application of one’s own',
    method: 'POST',
    url: () => '/api/mentors',
    body: () => application,
    expected: { anon: 401, A: 201, B: 409, M1: 409, M2: 409, admin: 201 },
    owner: 'A',
    state: count('mentors'),
  },
  {
    route: 'POST /api/mentors/:id/reject',
    on: 'a bystander’s pending application',
    method: 'POST',
    url: () => `/api/mentors/${o.otherApplicationId}/reject`,
    expected: { ...refusedBy('admin', 403) },
    owner: 'admin',
    state: mentorRow(() => o.otherApplicationId),
  },
  {
    route: 'POST /api/mentors/:id/approve',
    on: 'B’s pending application',
    method: 'POST',
    url: () => `/api/mentors/${o.bApplicationId}/approve`,
    expected: { ...refusedBy('admin', 403) },
    owner: 'admin',
    state: async () => [
      await mentorRow(() => o.bApplicationId)(),
      await one(sql`SELECT role FROM users WHERE id = ${accounts.B.userId}`),
    ],
  },
  {
    route: 'GET /api/admin/disputes',
    on: 'the open no-show disputes',
    method: 'GET',
    url: () => '/api/admin/disputes',
    expected: refusedBy('admin', 403),
  },
  {
    route: 'POST /api/admin/disputes/:id/decide',
    on: 'A’s dispute',
    method: 'POST',
    url: () => `/api/admin/disputes/${o.disputeId}/decide`,
    body: () => ({ decision: 'uphold', reason: 'M1’s report stands' }),
    expected: refusedBy('admin', 403),
    owner: 'admin',
    state: () => one(sql`SELECT string_agg(status, ',' ORDER BY id) AS statuses FROM no_show_disputes`),
  },
  {
    route: 'GET /api/admin/outbox',
    on: 'the outbox’s dead letters',
    method: 'GET',
    url: () => '/api/admin/outbox',
    expected: refusedBy('admin', 403),
  },
  {
    route: 'POST /api/admin/outbox/:id/retry',
    on: 'an outbox message that does not exist',
    method: 'POST',
    url: () => '/api/admin/outbox/2147483647/retry',
    expected: { ...refusedBy('admin', 403), admin: 404 },
    state: count('outbox'),
  },
  {
    route: 'POST /api/admin/outbox/retry',
    on: 'the dead letters of one kind',
    method: 'POST',
    url: () => '/api/admin/outbox/retry',
    body: () => ({ kind: 'booking.requested' }),
    expected: refusedBy('admin', 403),
    state: () => one(sql`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`),
  },
  {
    route: 'POST /api/reports',
    on: 'M1’s mentor profile (its owner cannot report it)',
    method: 'POST',
    url: () => '/api/reports',
    body: () => ({ kind: 'mentor', itemId: o.m1MentorId, reason: 'spam' }),
    expected: { ...signedIn(201), M1: 409 },
  },
  {
    route: 'GET /api/me/reports',
    on: 'the caller’s own reports',
    method: 'GET',
    url: () => '/api/me/reports',
    expected: signedIn(200),
  },
  {
    route: 'GET /api/admin/moderation/queue',
    on: 'the open reports, grouped by item',
    method: 'GET',
    url: () => '/api/admin/moderation/queue',
    expected: refusedBy('admin', 403),
  },
  {
    route: 'POST /api/admin/moderation/cases/:id/decisions',
    on: 'a moderation case that does not exist',
    method: 'POST',
    url: () => '/api/admin/moderation/cases/2147483647/decisions',
    body: () => ({ action: 'dismiss', reason: 'Nothing wrong' }),
    expected: { ...refusedBy('admin', 403), admin: 404 },
    state: count('audit_log'),
  },
  {
    route: 'GET /api/admin/audit-log',
    on: 'the moderation decisions',
    method: 'GET',
    url: () => '/api/admin/audit-log',
    expected: refusedBy('admin', 403),
  },
];

let avatarPng: Buffer;
let draftLessons: number[] = [];
const responses: { actor: Actor; row: string; body: string }[] = [];

/** Refused actors first, then the allowed ones, the owner last. */
function order(row: Row): Actor[] {
  const allowed = (actor: Actor) => row.expected[actor] < 400;
  return [
    ...actors.filter((a) => !allowed(a)),
    ...actors.filter((a) => allowed(a) && a !== row.owner),
    ...actors.filter((a) => allowed(a) && a === row.owner),
  ];
}

const cells = (row: Row) => actors.map((actor) => `${actor} ${row.expected[actor]}`).join(' · ');

describe('access matrix: route × actor → status', () => {
  beforeAll(async () => {
    avatarPng = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
  });

  it.each(rows.map((row) => [`${row.route} — ${row.on} │ ${cells(row)}`, row] as const))(
    '%s',
    async (_name, row) => {
      if (row.route === 'PUT /api/courses/:id/lessons/order') {
        const { rows: lessons } = await sql<{ id: number }>`
          SELECT id FROM lessons WHERE course_id = ${o.draftId} ORDER BY position`.execute(t.database.db);
        draftLessons = lessons.map((l) => l.id);
      }
      const before = await row.state?.();
      const actual: Partial<Record<Actor, number>> = {};
      let checked = false;
      for (const actor of order(row)) {
        if (!checked && row.expected[actor] < 400 && row.state) {
          expect(await row.state(), `${row.route}: state after the refused attempts`).toEqual(before);
          checked = true;
        }
        const response = await send(actor, row.method, row.url(actor), row.body?.(actor), row.headers);
        actual[actor] = response.statusCode;
        responses.push({ actor, row: row.route, body: response.body });
        await row.check?.(actor, response);
      }
      if (row.state && actors.every((a) => row.expected[a] >= 400))
        expect(await row.state(), `${row.route}: state after the refused attempts`).toEqual(before);
      expect(actual).toEqual(row.expected);
    },
  );
});

describe('what responses never carry', () => {
  it('no other user’s email, no password hash, no session token or its hash', () => {
    expect(responses.length).toBeGreaterThan(rows.length * 5);
    const secrets = Object.values(accounts).flatMap((account) => [
      account.token,
      createHash('sha256').update(account.token).digest('hex'),
      createHash('sha256').update(account.token).digest('base64'),
    ]);
    for (const { actor, row, body } of responses) {
      const own = actor === 'anon' ? '' : accounts[actor].email;
      const stripped = own ? body.split(own).join('') : body;
      expect(stripped, `${row} as ${actor}`).not.toContain('@');
      expect(body.toLowerCase(), `${row} as ${actor}`).not.toContain('argon2');
      for (const secret of secrets) expect(body, `${row} as ${actor}`).not.toContain(secret);
    }
  });
});

describe('signed-in writes from a disallowed Origin', () => {
  const attempts: [string, Method, () => string, () => object | undefined][] = [
    ['PATCH /api/users/:id', 'PATCH', () => `/api/users/${accounts.A.userId}`, () => ({ bio: 'csrf' })],
    ['POST /api/courses', 'POST', () => '/api/courses', () => ({ title: 'CSRF course', level: 'beginner' })],
    ['POST /api/courses/:id/publish', 'POST', () => `/api/courses/${o.draftId}/publish`, () => undefined],
    ['POST /api/me/notifications/read', 'POST', () => '/api/me/notifications/read', () => ({ all: true })],
    ['DELETE /api/lessons/:id', 'DELETE', () => `/api/lessons/${o.draftLessonIds[0]}`, () => undefined],
    [
      'POST /api/conversations/:id/messages',
      'POST',
      () => `/api/conversations/${o.conversationId}/messages`,
      () => ({ body: 'csrf' }),
    ],
  ];
  const snapshot = () =>
    Promise.all([
      userRow(() => accounts.A.userId)(),
      count('courses')(),
      courseRow(() => o.draftId)(),
      one(sql`SELECT count(*)::int AS n FROM notifications WHERE read_at IS NULL`),
      count('messages')(),
    ]);

  it.each(attempts)(
    '%s → 403 without Origin, with a foreign Origin or Referer',
    async (_r, method, url, body) => {
      const owner = method === 'PATCH' ? 'A' : 'M1';
      const before = await snapshot();
      for (const headers of [
        {},
        { origin: 'https://evil.example' },
        { referer: 'https://evil.example/page' },
        { origin: 'null' },
      ]) {
        const response = await t.app.inject({
          method,
          url: url(),
          headers,
          cookies: { mh_session: accounts[owner].token },
          ...(body() ? { payload: body() } : {}),
        });
        expect([response.statusCode, response.json<{ error: { code: string } }>().error.code]).toEqual([
          403,
          'FORBIDDEN',
        ]);
      }
      expect(await snapshot()).toEqual(before);
    },
  );

  it('an allowed Referer stands in for a missing Origin', async () => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${accounts.A.userId}`,
      headers: { referer: `${ORIGIN}/settings` },
      cookies: { mh_session: accounts.A.token },
      payload: { bio: 'From the settings page' },
    });
    expect(response.statusCode).toBe(200);
  });
});
