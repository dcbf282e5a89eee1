import { randomBytes } from 'node:crypto';
import type {
  CourseDetail,
  CourseSummary,
  Enrollment,
  ErrorBody,
  Lesson,
  LessonCompletion,
  LessonView,
  Page,
  StudioCourse,
} from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, signUpMentor, write } from './helpers/accounts';
import { createTestApp, queryCount, serverTiming, type TestApp } from './helpers/test-app';

let t: TestApp;
let mentor: string;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 30, mentors: 5, courses: 6, enrollments: 10, bookings: 5 } });
  mentor = (await signUpMentor(t.app, 'teacher@example.com')).token;
});
afterAll(() => t.close());

const unique = () => randomBytes(3).toString('hex');

/** A course by `mentor` with `count` lessons (the first one a preview), published unless told otherwise. */
async function course(count = 3, publish = true): Promise<{ id: number; slug: string; lessons: Lesson[] }> {
  const created = await write(t.app, mentor, 'POST', '/api/courses', {
    title: `Learning ${unique()}`,
    level: 'beginner',
  });
  const { id, slug } = created.json<StudioCourse>();
  const lessons: Lesson[] = [];
  for (let i = 0; i < count; i++) {
    const response = await write(t.app, mentor, 'POST', `/api/courses/${id}/lessons`, {
      title: `Part ${i + 1}`,
      content: `Content of part ${i + 1}`,
      durationMinutes: 10,
      isPreview: i === 0,
    });
    lessons.push(response.json<Lesson>());
  }
  if (publish) await write(t.app, mentor, 'POST', `/api/courses/${id}/publish`);
  return { id, slug, lessons };
}

const learner = async () => signUp(t.app, `learner.${unique()}@example.com`);
const asUser = (token: string, url: string) =>
  t.app.inject({ method: 'GET', url, cookies: { mh_session: token } });
const enroll = (token: string, courseId: number) =>
  write(t.app, token, 'POST', `/api/courses/${courseId}/enrollments`);
const complete = (token: string, lessonId: number) =>
  write(t.app, token, 'POST', `/api/lessons/${lessonId}/complete`);

async function enrollmentRows(courseId: number) {
  const { rows } = await sql<{ enrollments: number; counted: number }>`
    SELECT (SELECT count(*)::int FROM enrollments WHERE course_id = ${courseId}) AS enrollments,
           enrollments_count AS counted
    FROM courses WHERE id = ${courseId}`.execute(t.database.db);
  return rows[0];
}

describe('POST /api/courses/:id/enrollments', () => {
  it('enrolls once: 201 with the course card and empty progress, then 409 ALREADY_ENROLLED', async () => {
    const { id } = await course();
    const { token } = await learner();
    const first = await enroll(token, id);
    expect(first.statusCode).toBe(201);
    expect(first.json<Enrollment>()).toMatchObject({
      course: { id, lessonsCount: 3, enrollmentsCount: 1 },
      progress: { completedLessons: 0, totalLessons: 3, percent: 0 },
      completedAt: null,
    });
    const second = await enroll(token, id);
    expect([second.statusCode, second.json<ErrorBody>().error.code]).toEqual([409, 'ALREADY_ENROLLED']);
    expect(await enrollmentRows(id)).toEqual({ enrollments: 1, counted: 1 });
  });

  it('refuses drafts (404 to learners, who cannot know they exist; 409 to their instructor), unknown courses and anonymous users', async () => {
    const { id } = await course(1, false);
    const { token } = await learner();
    expect((await enroll(token, id)).statusCode).toBe(404);
    const own = await enroll(mentor, id);
    expect([own.statusCode, own.json<ErrorBody>().error.code]).toEqual([409, 'COURSE_NOT_PUBLISHED']);
    expect((await enroll(token, 999_999)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/courses/${id}/enrollments` })).statusCode).toBe(
      401,
    );
    expect((await write(t.app, token, 'POST', '/api/courses/abc/enrollments')).statusCode).toBe(400);
    expect(await enrollmentRows(id)).toEqual({ enrollments: 0, counted: 0 });
  });

  it('gives exactly one enrollment to 20 simultaneous requests by one user', async () => {
    const { id } = await course();
    const { token } = await learner();
    const responses = await Promise.all(Array.from({ length: 20 }, () => enroll(token, id)));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const response of responses.filter((r) => r.statusCode === 409))
      expect(response.json<ErrorBody>().error.code).toBe('ALREADY_ENROLLED');
    expect(await enrollmentRows(id)).toEqual({ enrollments: 1, counted: 1 });
  });

  it('counts simultaneous enrollments of different users exactly', async () => {
    const { id } = await course();
    const learners = await Promise.all(Array.from({ length: 8 }, () => learner()));
    const responses = await Promise.all(learners.map(({ token }) => enroll(token, id)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect(await enrollmentRows(id)).toEqual({ enrollments: 8, counted: 8 });
  });

  it('shows a new enrollment in the enrollment count of the cached list and course page at once', async () => {
    const { id, slug } = await course();
    const listUrl = '/api/courses?limit=100';
    for (const url of [listUrl, `/api/courses/${slug}`]) {
      await t.app.inject(url);
      expect(serverTiming(await t.app.inject(url)).cache).toBe('hit');
    }
    const { token } = await learner();
    expect((await enroll(token, id)).statusCode).toBe(201);
    const listed = (await t.app.inject(listUrl)).json<Page<CourseSummary>>().items.find((c) => c.id === id);
    expect(listed?.enrollmentsCount).toBe(1);
    expect((await t.app.inject(`/api/courses/${slug}`)).json<CourseDetail>().enrollmentsCount).toBe(1);
    const popular = (await t.app.inject('/api/courses?sort=popular&limit=100')).json<Page<CourseSummary>>();
    expect(popular.items.find((c) => c.id === id)?.enrollmentsCount).toBe(1);
  });
});

describe('GET /api/me/enrollments', () => {
  it('lists your enrollments newest first with progress, two statements whatever the page size', async () => {
    const { token } = await learner();
    const courses = [await course(2), await course(4), await course(1)];
    for (const c of courses) expect((await enroll(token, c.id)).statusCode).toBe(201);
    await complete(token, courses[1]?.lessons[0]?.id ?? 0);

    const all = await asUser(token, '/api/me/enrollments?limit=100');
    expect(all.headers['cache-control']).toBe('private, no-store');
    expect(queryCount(all)).toBe(2);
    const page = all.json<Page<Enrollment>>();
    expect(page.items.map((e) => e.course.id)).toEqual(courses.map((c) => c.id).reverse());
    expect(page.items[1]?.progress).toEqual({ completedLessons: 1, totalLessons: 4, percent: 25 });
    expect(page.items[0]?.course.instructor.name).toBe('teacher');

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/me/enrollments?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await asUser(token, url);
      expect(queryCount(response)).toBe(2);
      const body = response.json<Page<Enrollment>>();
      seen.push(...body.items.map((e) => e.course.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(courses.map((c) => c.id).reverse());
  });

  it('shows only your own enrollments; there is no way to name another user', async () => {
    const a = await learner();
    const b = await learner();
    const { id } = await course(1);
    await enroll(a.token, id);
    expect((await asUser(b.token, '/api/me/enrollments')).json<Page<Enrollment>>().items).toEqual([]);
    expect((await asUser(b.token, `/api/me/enrollments?userId=${a.userId}`)).statusCode).toBe(400);
    expect((await t.app.inject('/api/me/enrollments')).statusCode).toBe(401);
    expect((await asUser(a.token, '/api/me/enrollments?limit=0')).statusCode).toBe(400);
    expect((await asUser(a.token, '/api/me/enrollments?cursor=%E2%9C%93')).statusCode).toBe(400);
  });
});

describe('GET /api/lessons/:id', () => {
  it('opens previews to everyone and other lessons to enrolled learners and the instructor', async () => {
    const { id, lessons } = await course(2);
    const [preview, locked] = lessons as [Lesson, Lesson];
    const { token } = await learner();

    const open = await t.app.inject(`/api/lessons/${preview.id}`);
    expect(open.statusCode).toBe(200);
    expect(open.json<LessonView>()).toMatchObject({
      id: preview.id,
      courseId: id,
      isPreview: true,
      completed: false,
    });
    expect(queryCount(open)).toBe(1);

    const anonymous = await t.app.inject(`/api/lessons/${locked.id}`);
    expect([anonymous.statusCode, anonymous.json<ErrorBody>().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const notEnrolled = await asUser(token, `/api/lessons/${locked.id}`);
    expect([notEnrolled.statusCode, notEnrolled.json<ErrorBody>().error.code]).toEqual([403, 'NOT_ENROLLED']);
    expect((await asUser(mentor, `/api/lessons/${locked.id}`)).statusCode).toBe(200);

    await enroll(token, id);
    await complete(token, locked.id);
    const enrolled = await asUser(token, `/api/lessons/${locked.id}`);
    expect(enrolled.json<LessonView>()).toMatchObject({ content: 'Content of part 2', completed: true });
    expect(queryCount(enrolled)).toBe(2);
    expect((await t.app.inject('/api/lessons/999999')).statusCode).toBe(404);
    expect((await t.app.inject('/api/lessons/x')).statusCode).toBe(400);
  });

  it('keeps every lesson of a draft private, previews included', async () => {
    const { lessons } = await course(2, false);
    const { token } = await learner();
    for (const lesson of lessons) {
      expect((await t.app.inject(`/api/lessons/${lesson.id}`)).statusCode).toBe(404);
      expect((await asUser(token, `/api/lessons/${lesson.id}`)).statusCode).toBe(404);
      expect((await asUser(mentor, `/api/lessons/${lesson.id}`)).statusCode).toBe(200);
    }
  });
});

describe('POST /api/lessons/:id/complete', () => {
  it('needs an enrollment, is idempotent, and completes the course with its last lesson', async () => {
    const { id, lessons } = await course(3);
    const { token } = await learner();
    const refused = await complete(token, lessons[0]?.id ?? 0);
    expect([refused.statusCode, refused.json<ErrorBody>().error.code]).toEqual([403, 'NOT_ENROLLED']);
    expect((await complete(token, 999_999)).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/lessons/${lessons[0]?.id}/complete` })).statusCode,
    ).toBe(401);

    await enroll(token, id);
    const once = await complete(token, lessons[0]?.id ?? 0);
    expect(once.statusCode).toBe(200);
    const twice = await complete(token, lessons[0]?.id ?? 0);
    expect(twice.json<LessonCompletion>()).toEqual(once.json<LessonCompletion>());
    expect(twice.json<LessonCompletion>()).toMatchObject({
      courseId: id,
      progress: { completedLessons: 1, totalLessons: 3, percent: 33 },
      completedAt: null,
    });

    await complete(token, lessons[1]?.id ?? 0);
    const last = (await complete(token, lessons[2]?.id ?? 0)).json<LessonCompletion>();
    expect(last.progress).toEqual({ completedLessons: 3, totalLessons: 3, percent: 100 });
    expect(last.completedAt).not.toBeNull();
    const again = (await complete(token, lessons[2]?.id ?? 0)).json<LessonCompletion>();
    expect(again.completedAt).toBe(last.completedAt);
    const listed = (await asUser(token, '/api/me/enrollments')).json<Page<Enrollment>>().items[0];
    expect(listed).toMatchObject({ progress: { percent: 100 }, completedAt: last.completedAt });
  });

  it('completes the course when every lesson is marked at the same moment', async () => {
    const { id, lessons } = await course(6);
    const { token } = await learner();
    await enroll(token, id);
    const responses = await Promise.all(lessons.map((lesson) => complete(token, lesson.id)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    const { rows } = await sql<{ completed_at: Date | null; done: number }>`
      SELECT e.completed_at, (SELECT count(*)::int FROM lesson_progress WHERE enrollment_id = e.id) AS done
      FROM enrollments e WHERE e.course_id = ${id}`.execute(t.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.done).toBe(6);
    expect(rows[0]?.completed_at).not.toBeNull();
  });
});

describe('statement counts of learning writes', () => {
  it('enrolls and completes in a small fixed number of statements, whatever the course size', async () => {
    const counts = async (lessonCount: number) => {
      const { id, lessons } = await course(lessonCount);
      const { token } = await learner();
      const enrolled = await enroll(token, id);
      const again = await enroll(token, id);
      return {
        enroll: queryCount(enrolled),
        alreadyEnrolled: queryCount(again),
        complete: queryCount(await complete(token, lessons[0]?.id ?? 0)),
        completeAgain: queryCount(await complete(token, lessons[0]?.id ?? 0)),
      };
    };
    const small = await counts(1);
    // Session · one insert-and-count statement · the new enrollment's card; a refusal reads why instead.
    // Completing: session · BEGIN · lock the enrollment · record · settle progress · COMMIT.
    expect(small).toEqual({ enroll: 3, alreadyEnrolled: 3, complete: 6, completeAgain: 6 });
    expect(await counts(8)).toEqual(small);
  });
});

describe('OpenAPI', () => {
  it('documents every learning route with tags, summary and its error responses', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json<{
      paths: Record<
        string,
        Record<string, { tags?: string[]; summary?: string; responses: Record<string, unknown> }>
      >;
    }>();
    for (const [path, method, statuses] of [
      ['/api/courses/{id}/enrollments', 'post', ['201', '400', '401', '404', '409']],
      ['/api/me/enrollments', 'get', ['200', '400', '401']],
      ['/api/lessons/{id}', 'get', ['200', '400', '401', '403', '404']],
      ['/api/lessons/{id}/complete', 'post', ['200', '400', '401', '403', '404']],
    ] as const) {
      const operation = doc.paths[path]?.[method];
      expect(operation?.tags, `${method} ${path}`).toEqual(['learning']);
      expect(operation?.summary?.length).toBeGreaterThan(10);
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining([...statuses]));
    }
  });
});
