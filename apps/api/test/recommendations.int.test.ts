import type { ErrorBody, Recommendations } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { HOUR, OPEN_ALL_WEEK, hourFromNow } from './helpers/availability';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';

// What the signed-in user is recommended, and why, on a small hand-made catalog (cache on, and Redis when set).
let t: TestApp;

interface Mentor {
  token: string;
  userId: number;
  mentorId: number;
}
const m = {} as Record<
  'booked' | 'both' | 'typescript' | 'pending' | 'go' | 'design' | 'designPeer' | 'rust' | 'self',
  Mentor
>;
const c = {} as Record<'typescript' | 'draft' | 'enrolled' | 'design' | 'rust' | 'own' | 'go', number>;
let user = { token: '', userId: 0 };
let newcomer = { token: '', userId: 0 };

const run = (query: ReturnType<typeof sql>) => query.execute(t.database.db);

async function listedMentor(
  name: string,
  tags: string[],
  rating: number,
  status = 'approved',
): Promise<Mentor> {
  const mentor = await signUpMentor(t.app, `${name}@recommend.example`);
  await run(sql`UPDATE mentors SET rating_avg = ${rating}, rating_count = 3, status = ${status}
    WHERE id = ${mentor.mentorId}`);
  for (const slug of tags)
    await run(sql`INSERT INTO mentor_expertise (mentor_id, tag_id)
      SELECT ${mentor.mentorId}, id FROM expertise_tags WHERE slug = ${slug}`);
  return mentor;
}

async function course(instructor: Mentor, slug: string, status: string, enrollments = 0): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO courses (instructor_id, slug, title, level, status, published_at, enrollments_count)
    VALUES (${instructor.userId}, ${slug}, ${slug}, 'beginner', ${status},
            ${status === 'published' ? new Date() : null}, ${enrollments})
    RETURNING id`.execute(t.database.db);
  return rows[0]?.id ?? 0;
}

const get = (token: string | undefined, url = '/api/me/recommendations') =>
  t.app.inject({ method: 'GET', url, ...(token ? { cookies: { mh_session: token } } : {}) });

async function recommendationsOf(token: string, url?: string): Promise<Recommendations> {
  const response = await get(token, url);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Recommendations>();
}

const mentorIds = (r: Recommendations) => r.mentors.map((item) => item.mentor.id);
const courseIds = (r: Recommendations) => r.courses.map((item) => item.course.id);
const reasonOf = <T extends { reason: string }>(items: T[], match: (item: T) => boolean) =>
  items.find(match)?.reason;

beforeAll(async () => {
  t = await createTestApp({
    seed: false,
    env: process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, CACHE_PREFIX: `mhtest:${process.pid}:recommend:` }
      : {},
  });
  await run(sql`INSERT INTO expertise_tags (slug, name) VALUES
    ('typescript', 'TypeScript'), ('react', 'React'), ('go', 'Go'), ('design', 'Design'), ('rust', 'Rust')`);
  m.booked = await listedMentor('booked', ['typescript', 'react'], 4.9);
  m.both = await listedMentor('both', ['typescript', 'react'], 4.1);
  m.typescript = await listedMentor('typescript', ['typescript'], 4.8);
  m.pending = await listedMentor('pending', ['typescript', 'react'], 5, 'pending');
  m.go = await listedMentor('go', ['go'], 5);
  m.design = await listedMentor('design', ['design'], 3.5);
  m.designPeer = await listedMentor('designpeer', ['design'], 3.9);
  m.rust = await listedMentor('rust', ['rust'], 3);
  // The user is a listed mentor too, best rated of all and sharing every interest: never recommended to themself.
  m.self = await listedMentor('self', ['typescript', 'react', 'design'], 5);
  user = m.self;
  newcomer = await signUp(t.app, 'newcomer@recommend.example');

  c.typescript = await course(m.typescript, 'typescript-deep-dive', 'published', 5);
  c.draft = await course(m.both, 'react-draft', 'draft');
  c.enrolled = await course(m.booked, 'enrolled-course', 'published', 50);
  c.design = await course(m.design, 'design-basics', 'published', 2);
  c.rust = await course(m.rust, 'rust-popular', 'published', 90);
  c.own = await course(m.self, 'own-course', 'published', 100);
  c.go = await course(m.go, 'go-quiet', 'published', 1);

  // History: a past session with `booked`, and an enrollment in one course each of `booked` and `design`.
  const past = Date.now() - 48 * HOUR;
  await run(sql`INSERT INTO bookings (mentor_id, mentee_id, starts_at, ends_at, status, price_cents, currency)
    VALUES (${m.booked.mentorId}, ${user.userId}, ${new Date(past)}, ${new Date(past + HOUR)}, 'completed',
            6000, 'USD')`);
  for (const id of [c.enrolled, c.design])
    await run(sql`INSERT INTO enrollments (course_id, user_id) VALUES (${id}, ${user.userId})`);
});
afterAll(async () => {
  await t.app.cache.flush();
  await t.close();
});

describe('GET /api/me/recommendations', () => {
  it('recommends mentors sharing the user’s interests, best match first, with the reason', async () => {
    const r = await recommendationsOf(user.token);
    // Matches first, best rated first (the design ones come from an enrollment); then the best rated fill in.
    expect(mentorIds(r)).toEqual([
      m.typescript.mentorId,
      m.both.mentorId,
      m.designPeer.mentorId,
      m.design.mentorId,
      m.go.mentorId,
      m.rust.mentorId,
    ]);
    const reason = (mentor: Mentor) => reasonOf(r.mentors, (item) => item.mentor.id === mentor.mentorId);
    expect(reason(m.both)).toBe('Because you booked sessions on React and TypeScript');
    expect(reason(m.typescript)).toBe('Because you booked sessions on TypeScript');
    expect(reason(m.designPeer)).toBe('Because you enrolled in courses on Design');
    expect(reason(m.go)).toBe('Top rated');
    expect(r.mentors[1]?.mentor.user.name).toBe('both');
  });

  it('never recommends the user, a mentor they booked, or an unlisted mentor', async () => {
    const ids = mentorIds(await recommendationsOf(user.token, '/api/me/recommendations?limit=12'));
    expect(ids).toHaveLength(6); // every listed mentor but those three
    expect(ids).not.toContain(m.self.mentorId);
    expect(ids).not.toContain(m.booked.mentorId);
    expect(ids).not.toContain(m.pending.mentorId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('recommends published courses by instructors sharing the interests, then popular ones', async () => {
    const r = await recommendationsOf(user.token, '/api/me/recommendations?limit=12');
    expect(courseIds(r)).toEqual([c.typescript, c.rust, c.go]);
    const reason = (id: number) => reasonOf(r.courses, (item) => item.course.id === id);
    expect(reason(c.typescript)).toBe('Because you booked sessions on TypeScript');
    expect(reason(c.rust)).toBe('Popular');
    // Never a draft, the user's own course, or one they are enrolled in.
    for (const id of [c.draft, c.own, c.enrolled, c.design]) expect(courseIds(r)).not.toContain(id);
  });

  it('starts cold with the best rated mentors and the most popular courses', async () => {
    const r = await recommendationsOf(newcomer.token);
    expect(mentorIds(r)).toEqual([
      m.self.mentorId,
      m.go.mentorId,
      m.booked.mentorId,
      m.typescript.mentorId,
      m.both.mentorId,
      m.designPeer.mentorId,
    ]);
    expect(r.mentors.every((item) => item.reason === 'Top rated')).toBe(true);
    expect(courseIds(r)).toEqual([c.own, c.rust, c.enrolled, c.typescript, c.design, c.go]);
    expect(r.courses.every((item) => item.reason === 'Popular')).toBe(true);
  });

  it('honours limit, and refuses a limit out of bounds or an unknown parameter', async () => {
    const r = await recommendationsOf(newcomer.token, '/api/me/recommendations?limit=2');
    expect([r.mentors.length, r.courses.length]).toEqual([2, 2]);
    for (const query of ['limit=0', 'limit=13', 'limit=two', 'colour=blue']) {
      const response = await get(newcomer.token, `/api/me/recommendations?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers 401 without a session', async () => {
    const response = await get(undefined);
    expect(response.statusCode).toBe(401);
    expect(response.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
  });

  it('costs three statements (session, mentors, courses) whatever the limit, and only the session when cached', async () => {
    const mentee = await signUp(t.app, 'counted@recommend.example');
    const small = await get(mentee.token, '/api/me/recommendations?limit=1');
    const large = await get(mentee.token, '/api/me/recommendations?limit=12');
    expect(serverTiming(small)).toEqual({ cache: 'miss', queries: 3 });
    expect(serverTiming(large)).toEqual({ cache: 'miss', queries: 3 });
    const again = await get(mentee.token, '/api/me/recommendations?limit=12');
    expect(serverTiming(again)).toEqual({ cache: 'hit', queries: 1 });
    expect(again.body).toBe(large.body);
    expect(again.headers['cache-control']).toBe('private, max-age=0, must-revalidate');
  });

  it('is cached per user: another user never gets this user’s entry', async () => {
    const mine = await get(user.token);
    const theirs = await get(newcomer.token);
    expect(serverTiming(theirs).cache).toBe('hit'); // the newcomer's own entry, from the cold-start test
    expect(theirs.body).not.toBe(mine.body);
  });

  it('drops the cached entry when the user books a session or enrolls', async () => {
    const mentee = await signUp(t.app, 'active@recommend.example');
    const before = await recommendationsOf(mentee.token);
    expect(mentorIds(before)).toContain(m.typescript.mentorId);
    expect(serverTiming(await get(mentee.token)).cache).toBe('hit');

    const path = `/api/mentors/${m.typescript.mentorId}/availability`;
    expect((await write(t.app, m.typescript.token, 'PUT', path, OPEN_ALL_WEEK)).statusCode).toBe(200);
    const startsAt = hourFromNow(72);
    const booking = await write(t.app, mentee.token, 'POST', '/api/bookings', {
      mentorId: m.typescript.mentorId,
      startsAt,
    });
    expect(booking.statusCode, booking.body).toBe(201);

    const afterBooking = await get(mentee.token);
    expect(serverTiming(afterBooking).cache).toBe('miss');
    const booked = afterBooking.json<Recommendations>();
    expect(mentorIds(booked)).not.toContain(m.typescript.mentorId);
    expect(reasonOf(booked.courses, (item) => item.course.id === c.typescript)).toBe(
      'Because you booked sessions on TypeScript',
    );
    expect(serverTiming(await get(mentee.token)).cache).toBe('hit');

    const enrolled = await write(t.app, mentee.token, 'POST', `/api/courses/${c.typescript}/enrollments`);
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const afterEnrollment = await get(mentee.token);
    expect(serverTiming(afterEnrollment).cache).toBe('miss');
    expect(courseIds(afterEnrollment.json<Recommendations>())).not.toContain(c.typescript);
  });
});
