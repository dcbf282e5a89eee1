import { randomBytes } from 'node:crypto';
import type {
  CourseDetail,
  CourseSummary,
  ErrorBody,
  Lesson,
  Page,
  StudioCourse,
  StudioCourseSummary,
} from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { redisUrlForTests } from './helpers/services';
import {
  createTestApp,
  queryCount,
  serverTiming,
  twoInstancesOnRedis,
  type TestApp,
} from './helpers/test-app';

let t: TestApp;
let mentorA: string;
let mentorAId: number;
let mentorB: string;
let mentee: string;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 30, mentors: 5, courses: 6, enrollments: 10, bookings: 5 } });
  ({ token: mentorA, userId: mentorAId } = await signUpMentor(t.app, 'author.a@example.com'));
  mentorB = (await signUpMentor(t.app, 'author.b@example.com')).token;
  mentee = (await signUp(t.app, 'learner@example.com')).token;
  admin = (await signUp(t.app, 'course.admin@example.com', 'admin')).token;
});
afterAll(() => t.close());

const draft = { title: 'Shipping Go Services', level: 'intermediate', priceCents: 4900 };
const unique = () => randomBytes(3).toString('hex');

async function createCourse(token = mentorA, body: object = draft): Promise<StudioCourse> {
  const response = await write(t.app, token, 'POST', '/api/courses', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<StudioCourse>();
}

async function addLesson(courseId: number, body: object, token = mentorA): Promise<Lesson> {
  const response = await write(t.app, token, 'POST', `/api/courses/${courseId}/lessons`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Lesson>();
}

/** A course with three lessons (10, 20 and 30 minutes), optionally published. */
async function courseWithLessons(publish: boolean, token = mentorA) {
  const course = await createCourse(token, { ...draft, title: `Course ${unique()}` });
  const lessons = [];
  for (const [i, minutes] of [10, 20, 30].entries())
    lessons.push(await addLesson(course.id, { title: `Lesson ${i + 1}`, durationMinutes: minutes }, token));
  if (publish)
    expect((await write(t.app, token, 'POST', `/api/courses/${course.id}/publish`)).statusCode).toBe(200);
  return { course, lessons };
}

async function dbCourse(id: number) {
  const { rows } = await sql<{
    lessons_count: number;
    duration_minutes: number;
    status: string;
    title: string;
  }>`
    SELECT lessons_count, duration_minutes, status, title FROM courses WHERE id = ${id}`.execute(
    t.database.db,
  );
  return rows[0];
}

async function dbPositions(courseId: number): Promise<[number, number][]> {
  const { rows } = await sql<{ id: number; position: number }>`
    SELECT id, position FROM lessons WHERE course_id = ${courseId} ORDER BY position`.execute(t.database.db);
  return rows.map((row) => [row.id, row.position]);
}

const asUser = (token: string, url: string) =>
  t.app.inject({ method: 'GET', url, cookies: { mh_session: token } });

/** The newest published courses, through the response cache: primed until it answers from the cache. */
async function primedNewest() {
  await t.app.inject('/api/courses?limit=100');
  const again = await t.app.inject('/api/courses?limit=100');
  expect(serverTiming(again).cache).toBe('hit');
}
const newestIds = async () =>
  (await t.app.inject('/api/courses?limit=100')).json<Page<CourseSummary>>().items.map((c) => c.id);

describe('POST /api/courses', () => {
  it('creates a private draft with a slug derived from the title, made unique', async () => {
    const first = await createCourse();
    expect(first).toMatchObject({
      status: 'draft',
      slug: 'shipping-go-services',
      title: draft.title,
      level: 'intermediate',
      price: { amountCents: 4900, currency: 'USD' },
      lessonsCount: 0,
      durationMinutes: 0,
      enrollmentsCount: 0,
      publishedAt: null,
      lessons: [],
      instructor: { id: mentorAId },
    });
    const second = await createCourse();
    expect(second.slug).toMatch(/^shipping-go-services-[a-z0-9]{6}$/);
    expect((await createCourse(mentorA, { title: '2024', level: 'beginner' })).slug).toMatch(/^course-2024/);
    expect((await createCourse(mentorA, { title: 'Ünïcödé Café!', level: 'beginner' })).slug).toMatch(
      /^unicode-cafe/,
    );
  });

  it('takes a given slug once: a duplicate is a 409 and writes nothing', async () => {
    const slug = `given-${unique()}`;
    expect((await createCourse(mentorA, { ...draft, slug })).slug).toBe(slug);
    const again = await write(t.app, mentorB, 'POST', '/api/courses', { ...draft, slug });
    expect([again.statusCode, again.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM courses WHERE slug = ${slug}`.execute(t.database.db);
    expect(rows[0]?.n).toBe(1);
  });

  it.each([
    [{ ...draft, title: '' }, 'body.title'],
    [{ ...draft, title: 'Null\u0000byte' }, 'body.title'],
    [{ ...draft, level: 'expert' }, 'body.level'],
    [{ ...draft, priceCents: -1 }, 'body.priceCents'],
    [{ ...draft, priceCents: 10.5 }, 'body.priceCents'],
    [{ ...draft, slug: 'Not A Slug' }, 'body.slug'],
    [{ ...draft, slug: '12345' }, 'body.slug'],
    [{ ...draft, currency: 'usd' }, 'body.currency'],
    [{ ...draft, status: 'published' }, 'body'],
    [{ ...draft, instructorId: 1 }, 'body'],
    [{ level: 'beginner' }, 'body.title'],
  ])('rejects an invalid course (%#) with 400 at %s and writes nothing', async (payload, path) => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM courses`.execute(t.database.db);
    const response = await write(t.app, mentorA, 'POST', '/api/courses', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM courses`.execute(t.database.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});

describe('drafts are private', () => {
  it('shows a draft to its instructor and admins only, uncached, and never caches it for others', async () => {
    const course = await createCourse(mentorA, { ...draft, title: `Secret ${unique()}` });
    for (const key of [String(course.id), course.slug]) {
      const url = `/api/courses/${key}`;
      expect((await t.app.inject(url)).statusCode).toBe(404);
      for (const token of [mentorB, mentee]) expect((await asUser(token, url)).statusCode).toBe(404);
      for (const token of [mentorA, admin]) {
        const seen = await asUser(token, url);
        expect(seen.statusCode).toBe(200);
        expect(seen.headers['cache-control']).toBe('private, no-store');
        expect(seen.json<CourseDetail>()).toMatchObject({ id: course.id, status: 'draft' });
      }
      // Right after the instructor saw it, the public still gets a 404, from the database.
      const again = await t.app.inject(url);
      expect(again.statusCode).toBe(404);
      expect(serverTiming(again).queries).toBe(1);
    }
  });

  it('costs the instructor three statements (public miss, session, draft) and the public one', async () => {
    const course = await createCourse(mentorA, { ...draft, title: `Counted ${unique()}` });
    expect(queryCount(await asUser(mentorA, `/api/courses/${course.id}`))).toBe(3);
    expect(queryCount(await t.app.inject(`/api/courses/${course.id}`))).toBe(1);
  });
});

describe('lessons', () => {
  it('appends lessons in order and keeps lessons_count and duration_minutes in step', async () => {
    const { course, lessons } = await courseWithLessons(false);
    expect(lessons.map((l) => l.position)).toEqual([1, 2, 3]);
    expect(lessons[0]).toMatchObject({
      courseId: course.id,
      title: 'Lesson 1',
      isPreview: false,
      content: '',
    });
    expect(await dbCourse(course.id)).toMatchObject({ lessons_count: 3, duration_minutes: 60 });

    const [first, second, third] = lessons as [Lesson, Lesson, Lesson];
    const edited = await write(t.app, mentorA, 'PATCH', `/api/lessons/${second.id}`, {
      durationMinutes: 25,
      content: 'Line one\nLine two',
      isPreview: true,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json<Lesson>()).toMatchObject({ durationMinutes: 25, isPreview: true, position: 2 });
    expect(await dbCourse(course.id)).toMatchObject({ lessons_count: 3, duration_minutes: 65 });

    const removed = await write(t.app, mentorA, 'DELETE', `/api/lessons/${first.id}`);
    expect(removed.statusCode).toBe(204);
    expect(await dbPositions(course.id)).toEqual([
      [second.id, 1],
      [third.id, 2],
    ]);
    expect(await dbCourse(course.id)).toMatchObject({ lessons_count: 2, duration_minutes: 55 });
    expect((await write(t.app, mentorA, 'DELETE', `/api/lessons/${first.id}`)).statusCode).toBe(404);
  });

  it('appends ten lessons sent at once at positions 1–10', async () => {
    const course = await createCourse(mentorA, { ...draft, title: `Burst ${unique()}` });
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        write(t.app, mentorA, 'POST', `/api/courses/${course.id}/lessons`, {
          title: `Burst ${i}`,
          durationMinutes: 5,
        }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    expect((await dbPositions(course.id)).map(([, position]) => position)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(await dbCourse(course.id)).toMatchObject({ lessons_count: 10, duration_minutes: 50 });
  });

  it('reorders every lesson in one request, and refuses a list that is not exactly the course’s lessons', async () => {
    const { course, lessons } = await courseWithLessons(false);
    const other = await courseWithLessons(false);
    const [a, b, c] = lessons.map((l) => l.id) as [number, number, number];
    const url = `/api/courses/${course.id}/lessons/order`;

    const reordered = await write(t.app, mentorA, 'PUT', url, { lessonIds: [c, a, b] });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json<StudioCourse>().lessons.map((l) => [l.id, l.position])).toEqual([
      [c, 1],
      [a, 2],
      [b, 3],
    ]);
    expect(await dbPositions(course.id)).toEqual([
      [c, 1],
      [a, 2],
      [b, 3],
    ]);

    for (const lessonIds of [
      [c, a], // missing
      [c, a, b, other.lessons[0]?.id], // another course's lesson
      [c, a, a], // duplicate
      [c, a, b, 999_999], // unknown
      [],
    ]) {
      const refused = await write(t.app, mentorA, 'PUT', url, { lessonIds });
      expect(refused.statusCode, JSON.stringify(lessonIds)).toBe(400);
      expect(refused.json<ErrorBody>().error.details.map((d) => d.path)).toContain('body.lessonIds');
    }
    expect((await write(t.app, mentorA, 'PUT', url, { lessonIds: [a, b, c], extra: 1 })).statusCode).toBe(
      400,
    );
    expect(await dbPositions(course.id)).toEqual([
      [c, 1],
      [a, 2],
      [b, 3],
    ]);
  });

  it.each([
    [{ title: '' }, 'body.title'],
    [{ title: 'Intro', durationMinutes: -5 }, 'body.durationMinutes'],
    [{ title: 'Intro', isPreview: 'yes' }, 'body.isPreview'],
    [{ title: 'Intro', position: 1 }, 'body'],
  ])('rejects an invalid lesson (%#) with 400 at %s and writes nothing', async (payload, path) => {
    const course = await createCourse(mentorA, { ...draft, title: `Invalid ${unique()}` });
    const response = await write(t.app, mentorA, 'POST', `/api/courses/${course.id}/lessons`, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    expect(await dbPositions(course.id)).toEqual([]);
  });
});

describe('edits', () => {
  it('rejects unknown or read-only fields on edits with 400 and changes nothing', async () => {
    const { course, lessons } = await courseWithLessons(false);
    const lessonId = lessons[0]?.id ?? 0;
    for (const [url, payload, path] of [
      [`/api/courses/${course.id}`, { status: 'published' }, 'body'],
      [`/api/courses/${course.id}`, { enrollmentsCount: 1000 }, 'body'],
      [`/api/courses/${course.id}`, { title: 'Fine', instructorId: 1 }, 'body'],
      [`/api/courses/${course.id}`, { level: 'expert' }, 'body.level'],
      [`/api/lessons/${lessonId}`, { courseId: 1 }, 'body'],
      [`/api/lessons/${lessonId}`, { position: 3 }, 'body'],
      [`/api/lessons/${lessonId}`, { title: ' ' }, 'body.title'],
      [`/api/lessons/${lessonId}`, {}, 'body'],
    ] as const) {
      const response = await write(t.app, mentorA, 'PATCH', url, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    }
    expect(await dbCourse(course.id)).toMatchObject({
      status: 'draft',
      title: course.title,
      lessons_count: 3,
    });
    expect((await dbPositions(course.id)).map(([, position]) => position)).toEqual([1, 2, 3]);
  });
});

describe('publishing and the public cache', () => {
  it('refuses to publish a course without lessons', async () => {
    const course = await createCourse(mentorA, { ...draft, title: `Empty ${unique()}` });
    const response = await write(t.app, mentorA, 'POST', `/api/courses/${course.id}/publish`);
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>().error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/at least one lesson/) as unknown,
    });
    expect((await dbCourse(course.id))?.status).toBe('draft');
  });

  it('lists a published course in the cached list at once, and unpublishing removes it at once', async () => {
    const { course } = await courseWithLessons(false);
    await primedNewest();
    expect(await newestIds()).not.toContain(course.id);

    const published = await write(t.app, mentorA, 'POST', `/api/courses/${course.id}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json<StudioCourse>()).toMatchObject({ status: 'published', lessonsCount: 3 });
    expect(published.json<StudioCourse>().publishedAt).not.toBeNull();
    expect(await newestIds()).toContain(course.id);
    const page = await t.app.inject(`/api/courses/${course.slug}`);
    expect([page.statusCode, page.json<CourseDetail>().lessons.length]).toEqual([200, 3]);
    expect(serverTiming(await t.app.inject(`/api/courses/${course.slug}`)).cache).toBe('hit');

    const unpublished = await write(t.app, mentorA, 'POST', `/api/courses/${course.id}/unpublish`);
    expect(unpublished.json<StudioCourse>()).toMatchObject({ status: 'draft', publishedAt: null });
    expect(await newestIds()).not.toContain(course.id);
    expect((await t.app.inject(`/api/courses/${course.slug}`)).statusCode).toBe(404);
  });

  it('shows a reorder, a lesson edit and a course edit in the cached pages at once', async () => {
    const { course, lessons } = await courseWithLessons(true);
    const [a, b, c] = lessons.map((l) => l.id) as [number, number, number];
    const pageUrl = `/api/courses/${course.id}`;
    await t.app.inject(pageUrl);
    expect(serverTiming(await t.app.inject(pageUrl)).cache).toBe('hit');

    await write(t.app, mentorA, 'PUT', `/api/courses/${course.id}/lessons/order`, { lessonIds: [b, c, a] });
    expect((await t.app.inject(pageUrl)).json<CourseDetail>().lessons.map((l) => l.id)).toEqual([b, c, a]);

    await write(t.app, mentorA, 'PATCH', `/api/lessons/${a}`, {
      title: 'Renamed lesson',
      durationMinutes: 40,
    });
    const afterLessonEdit = (await t.app.inject(pageUrl)).json<CourseDetail>();
    expect(afterLessonEdit.lessons[2]?.title).toBe('Renamed lesson');
    expect(afterLessonEdit.durationMinutes).toBe(90);

    await primedNewest();
    const title = `Retitled ${unique()}`;
    const patched = await write(t.app, mentorA, 'PATCH', `/api/courses/${course.id}`, {
      title,
      priceCents: 0,
    });
    expect(patched.json<StudioCourse>()).toMatchObject({ title, price: { amountCents: 0 } });
    expect((await t.app.inject(pageUrl)).json<CourseDetail>().title).toBe(title);
    const listed = (await t.app.inject('/api/courses?limit=100')).json<Page<CourseSummary>>();
    expect(listed.items.find((item) => item.id === course.id)?.title).toBe(title);

    await addLesson(course.id, { title: 'Bonus', durationMinutes: 10 });
    expect((await t.app.inject(pageUrl)).json<CourseDetail>()).toMatchObject({
      lessonsCount: 4,
      durationMinutes: 100,
    });
  });

  it('keeps at least one lesson on a published course', async () => {
    const course = await createCourse(mentorA, { ...draft, title: `Single ${unique()}` });
    const only = await addLesson(course.id, { title: 'Only lesson' });
    await write(t.app, mentorA, 'POST', `/api/courses/${course.id}/publish`);
    const refused = await write(t.app, mentorA, 'DELETE', `/api/lessons/${only.id}`);
    expect([refused.statusCode, refused.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    expect((await dbCourse(course.id))?.lessons_count).toBe(1);
  });

  it('answers a duplicate slug on edit with 409', async () => {
    const taken = await createCourse(mentorA, { ...draft, title: `Taken ${unique()}` });
    const course = await createCourse(mentorA, { ...draft, title: `Mine ${unique()}` });
    const response = await write(t.app, mentorA, 'PATCH', `/api/courses/${course.id}`, { slug: taken.slug });
    expect([response.statusCode, response.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    expect((await write(t.app, mentorA, 'PATCH', `/api/courses/${course.id}`, {})).statusCode).toBe(400);
  });
});

describe('statement counts of writes', () => {
  it('runs a small fixed number of statements per write, whatever the course size', async () => {
    const counts = async (lessonCount: number) => {
      const created = await write(t.app, mentorA, 'POST', '/api/courses', {
        ...draft,
        title: `Sized ${unique()}`,
      });
      const { id } = created.json<StudioCourse>();
      const lessons: Lesson[] = [];
      let append = 0;
      for (let i = 0; i < lessonCount; i++) {
        const response = await write(t.app, mentorA, 'POST', `/api/courses/${id}/lessons`, {
          title: `L${i}`,
        });
        lessons.push(response.json<Lesson>());
        append = queryCount(response);
      }
      const ids = lessons.map((l) => l.id);
      return {
        create: queryCount(created),
        append,
        edit: queryCount(
          await write(t.app, mentorA, 'PATCH', `/api/courses/${id}`, { summary: 'Now with a summary' }),
        ),
        publish: queryCount(await write(t.app, mentorA, 'POST', `/api/courses/${id}/publish`)),
        reorder: queryCount(
          await write(t.app, mentorA, 'PUT', `/api/courses/${id}/lessons/order`, {
            lessonIds: [...ids].reverse(),
          }),
        ),
        editLesson: queryCount(
          await write(t.app, mentorA, 'PATCH', `/api/lessons/${ids[0] ?? 0}`, { durationMinutes: 12 }),
        ),
        deleteLesson: queryCount(await write(t.app, mentorA, 'DELETE', `/api/lessons/${ids[1] ?? 0}`)),
        unpublish: queryCount(await write(t.app, mentorA, 'POST', `/api/courses/${id}/unpublish`)),
      };
    };
    const small = await counts(2);
    // Session lookup, then BEGIN · lock the course · the write(s) · COMMIT, then the fresh studio view.
    expect(small).toEqual({
      create: 3,
      append: 6,
      edit: 6,
      publish: 6,
      reorder: 6,
      editLesson: 6,
      deleteLesson: 7,
      unpublish: 6,
    });
    expect(await counts(12)).toEqual(small);
  });
});

describe('who may write', () => {
  it('needs a signed-in user for every write (401)', async () => {
    const { course, lessons } = await courseWithLessons(true);
    const lessonId = lessons[0]?.id ?? 0;
    for (const [method, url, payload] of [
      ['POST', '/api/courses', draft],
      ['PATCH', `/api/courses/${course.id}`, { title: 'X' }],
      ['POST', `/api/courses/${course.id}/publish`, undefined],
      ['POST', `/api/courses/${course.id}/unpublish`, undefined],
      ['POST', `/api/courses/${course.id}/lessons`, { title: 'X' }],
      ['PUT', `/api/courses/${course.id}/lessons/order`, { lessonIds: [lessonId] }],
      ['PATCH', `/api/lessons/${lessonId}`, { title: 'X' }],
      ['DELETE', `/api/lessons/${lessonId}`, undefined],
      ['GET', '/api/me/courses', undefined],
    ] as const) {
      const response = await t.app.inject({ method, url, ...(payload ? { payload } : {}) });
      expect([response.statusCode, response.json<ErrorBody>().error.code], `${method} ${url}`).toEqual([
        401,
        'UNAUTHENTICATED',
      ]);
    }
  });

  it('lets only mentors and admins create courses', async () => {
    const response = await write(t.app, mentee, 'POST', '/api/courses', draft);
    expect([response.statusCode, response.json<ErrorBody>().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await asUser(mentee, '/api/me/courses')).statusCode).toBe(403);
    expect(
      (await write(t.app, admin, 'POST', '/api/courses', { ...draft, title: 'Admin course' })).statusCode,
    ).toBe(201);
  });

  it.each([false, true])(
    'refuses another mentor every write on a course (published: %s) with 403, and changes nothing',
    async (published) => {
      const { course, lessons } = await courseWithLessons(published);
      const ids = lessons.map((l) => l.id);
      const before = await dbPositions(course.id);
      const beforeCourse = await dbCourse(course.id);
      // Admins can see drafts but do not write other people's courses.
      for (const token of [mentorB, mentee, admin]) {
        for (const [method, url, payload] of [
          ['PATCH', `/api/courses/${course.id}`, { title: 'Hijacked' }],
          ['POST', `/api/courses/${course.id}/publish`, undefined],
          ['POST', `/api/courses/${course.id}/unpublish`, undefined],
          ['POST', `/api/courses/${course.id}/lessons`, { title: 'Injected' }],
          ['PUT', `/api/courses/${course.id}/lessons/order`, { lessonIds: [...ids].reverse() }],
          ['PATCH', `/api/lessons/${ids[0] ?? 0}`, { title: 'Hijacked' }],
          ['DELETE', `/api/lessons/${ids[1] ?? 0}`, undefined],
        ] as const) {
          const response = await write(t.app, token, method, url, payload);
          expect([response.statusCode, response.json<ErrorBody>().error.code], `${method} ${url}`).toEqual([
            403,
            'FORBIDDEN',
          ]);
        }
      }
      expect(await dbPositions(course.id)).toEqual(before);
      expect(await dbCourse(course.id)).toEqual(beforeCourse);
    },
  );

  it('answers 404 for courses and lessons that do not exist, 400 for malformed ids', async () => {
    expect((await write(t.app, mentorA, 'PATCH', '/api/courses/999999', { title: 'Ghost' })).statusCode).toBe(
      404,
    );
    expect((await write(t.app, mentorA, 'POST', '/api/courses/999999/publish')).statusCode).toBe(404);
    expect((await write(t.app, mentorA, 'PATCH', '/api/lessons/999999', { title: 'Ghost' })).statusCode).toBe(
      404,
    );
    expect((await write(t.app, mentorA, 'DELETE', '/api/lessons/999999')).statusCode).toBe(404);
    const malformed = await write(t.app, mentorA, 'PATCH', '/api/courses/1e3', { title: 'X' });
    expect(malformed.json<ErrorBody>().error.details[0]?.path).toBe('params.id');
  });
});

describe('GET /api/me/courses', () => {
  it('lists your own courses, drafts included, newest first, in two statements whatever the page size', async () => {
    const author = await signUpMentor(t.app, `studio.${unique()}@example.com`);
    const created: number[] = [];
    for (let i = 0; i < 5; i++)
      created.push((await createCourse(author.token, { ...draft, title: `S${i}` })).id);
    const published = await courseWithLessons(true, author.token);
    created.push(published.course.id);

    const all = await asUser(author.token, '/api/me/courses?limit=100');
    expect(all.headers['cache-control']).toBe('private, no-store');
    const items = all.json<Page<StudioCourseSummary>>().items;
    expect(items.map((c) => c.id)).toEqual([...created].reverse());
    expect(items[0]).toMatchObject({ status: 'published', lessonsCount: 3 });
    expect(items[1]).toMatchObject({ status: 'draft' });

    // Walk it two at a time (the signed-in walk is done by hand: walkPages sends no cookie).
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/me/courses?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await asUser(author.token, url);
      expect(queryCount(page)).toBe(2);
      const body = page.json<Page<StudioCourseSummary>>();
      seen.push(...body.items.map((c) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());

    expect(queryCount(all)).toBe(2);
    const drafts = (await asUser(author.token, '/api/me/courses?status=draft')).json<
      Page<StudioCourseSummary>
    >();
    expect(drafts.items).toHaveLength(5);
    const others = (await asUser(mentorB, '/api/me/courses?limit=100')).json<Page<StudioCourseSummary>>();
    expect(others.items.filter((c) => created.includes(c.id))).toEqual([]);
    expect((await asUser(author.token, '/api/me/courses?userId=1')).statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents every authoring route with tags, summary, params or body, and its error responses', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<string, { tags?: string[]; summary?: string; responses: Record<string, unknown> }>
      >;
    }>();
    const expected: [string, string, string[]][] = [
      ['/api/courses', 'post', ['201', '400', '401', '403', '409']],
      ['/api/courses/{id}', 'patch', ['200', '400', '401', '403', '404', '409']],
      ['/api/courses/{id}/publish', 'post', ['200', '400', '401', '403', '404', '409']],
      ['/api/courses/{id}/unpublish', 'post', ['200', '400', '401', '403', '404']],
      ['/api/courses/{id}/lessons', 'post', ['201', '400', '401', '403', '404']],
      ['/api/courses/{id}/lessons/order', 'put', ['200', '400', '401', '403', '404']],
      ['/api/lessons/{id}', 'patch', ['200', '400', '401', '403', '404']],
      ['/api/lessons/{id}', 'delete', ['204', '400', '401', '403', '404', '409']],
      ['/api/me/courses', 'get', ['200', '400', '401', '403']],
      ['/api/courses/{id}', 'get', ['200', '400', '404']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation?.tags).toEqual(['courses']);
      expect(operation?.summary?.length).toBeGreaterThan(10);
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(statuses));
    }
  });
});

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('two API instances on one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let instances: Awaited<ReturnType<typeof twoInstancesOnRedis>>;
  beforeAll(async () => {
    instances = await twoInstancesOnRedis(redisUrl ?? '', { seed: false });
    ({ a, b } = instances);
  });
  afterAll(() => instances.close());

  it('publishing on one instance lists the course on the other at once; unpublishing hides it', async () => {
    const { token } = await signUpMentor(a.app, 'shared.author@example.com');
    const course = (await write(a.app, token, 'POST', '/api/courses', draft)).json<StudioCourse>();
    await write(a.app, token, 'POST', `/api/courses/${course.id}/lessons`, { title: 'One' });
    const listed = async () =>
      (await b.app.inject('/api/courses?limit=100')).json<Page<CourseSummary>>().items.map((c) => c.id);
    expect(await listed()).not.toContain(course.id);
    expect(serverTiming(await b.app.inject('/api/courses?limit=100')).cache).toBe('hit');

    await write(a.app, token, 'POST', `/api/courses/${course.id}/publish`);
    expect(await listed()).toContain(course.id);
    await b.app.inject(`/api/courses/${course.id}`);
    await write(a.app, token, 'POST', `/api/courses/${course.id}/unpublish`);
    expect(await listed()).not.toContain(course.id);
    expect((await b.app.inject(`/api/courses/${course.id}`)).statusCode).toBe(404);
  });
});
