import type { CourseDetail, CourseSummary, ErrorBody, Page } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getJson, queryCount, walkPages, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  // SQL behaviour under test: caching off, so every request shows the statements it really runs.
  t = await createTestApp({ env: { CACHE_ENABLED: 'false' } });
});
afterAll(() => t.close());

async function publishedCourseIds(where = sql`true`): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT c.id FROM courses c
    WHERE c.status = 'published' AND c.is_active AND ${where} ORDER BY c.id`.execute(t.database.db);
  return rows.map((row) => row.id);
}

const ids = (items: { id: number }[]) => items.map((item) => item.id).sort((a, b) => a - b);

describe('GET /api/courses', () => {
  it('lists published courses with their instructor embedded', async () => {
    const page = await getJson<Page<CourseSummary>>(t.app, '/api/courses?limit=5');
    expect(page.items).toHaveLength(5);
    for (const course of page.items) {
      expect(course.instructor.name.length).toBeGreaterThan(0);
      expect(course.coverUrl).toMatch(/^\/api\/media\/\d+$/);
      expect(course.lessonsCount).toBeGreaterThanOrEqual(5);
    }
  });

  it.each(['newest', 'popular', 'price', 'price_desc'])(
    'walks every page of sort=%s with no duplicates or gaps, in order',
    async (sort) => {
      const { items } = await walkPages<CourseSummary>(t.app, `/api/courses?sort=${sort}&limit=9`);
      expect(ids(items)).toEqual(await publishedCourseIds());
      const key = (c: CourseSummary): number =>
        sort === 'newest'
          ? 0
          : sort === 'popular'
            ? -c.enrollmentsCount
            : sort === 'price'
              ? c.price.amountCents
              : -c.price.amountCents;
      for (let i = 1; i < items.length; i++) {
        expect(key(items[i - 1] as CourseSummary)).toBeLessThanOrEqual(key(items[i] as CourseSummary));
      }
    },
  );

  it('filters by level, instructor and price, matching SQL', async () => {
    const { rows } = await sql<{
      instructor_id: number;
    }>`SELECT instructor_id FROM courses WHERE status = 'published'
      GROUP BY instructor_id ORDER BY count(*) DESC LIMIT 1`.execute(t.database.db);
    const instructorId = rows[0]?.instructor_id ?? 0;
    const { items } = await walkPages<CourseSummary>(
      t.app,
      `/api/courses?instructorId=${instructorId}&limit=3`,
    );
    expect(items.length).toBeGreaterThan(1);
    expect(ids(items)).toEqual(await publishedCourseIds(sql`c.instructor_id = ${instructorId}`));

    const levelled = await walkPages<CourseSummary>(
      t.app,
      '/api/courses?level=advanced&maxPriceCents=10000&limit=100',
    );
    expect(levelled.items.length).toBeGreaterThan(0);
    expect(ids(levelled.items)).toEqual(
      await publishedCourseIds(sql`c.level = 'advanced' AND c.price_cents <= 10000`),
    );
  });

  it('searches titles and summaries by word prefix', async () => {
    const { items } = await walkPages<CourseSummary>(t.app, '/api/courses?q=master&limit=100');
    expect(items.length).toBeGreaterThan(0);
    for (const course of items) expect(`${course.title} ${course.summary}`.toLowerCase()).toMatch(/\bmaster/);
    expect(ids(items)).toEqual(
      await publishedCourseIds(sql`(c.title ~* '\\mmaster' OR c.summary ~* '\\mmaster')`),
    );
  });

  it('never lists drafts', async () => {
    const { items } = await walkPages<CourseSummary>(t.app, '/api/courses?limit=100');
    const drafts = await sql<{ id: number }>`SELECT id FROM courses WHERE status = 'draft'`.execute(
      t.database.db,
    );
    expect(drafts.rows.length).toBeGreaterThan(0);
    const listed = new Set(items.map((c) => c.id));
    for (const draft of drafts.rows) expect(listed.has(draft.id)).toBe(false);
  });

  it('runs one statement per page whatever the page size', async () => {
    expect(queryCount(await t.app.inject('/api/courses?limit=1'))).toBe(1);
    expect(queryCount(await t.app.inject('/api/courses?limit=100&sort=popular&level=beginner'))).toBe(1);
  });

  it.each([
    ['sort=oldest', 'query.sort'],
    ['level=expert', 'query.level'],
    ['instructorId=abc', 'query.instructorId'],
    ['limit=1000', 'query.limit'],
    ['cursor=%E2%9C%93', 'query.cursor'],
    ['unknown=1', 'query'],
  ])('rejects %s with 400 and a detail at %s', async (query, path) => {
    const body = await getJson<ErrorBody>(t.app, `/api/courses?${query}`, 400);
    expect(body.error.details.map((d) => d.path)).toContain(path);
  });
});

describe('GET /api/courses/:id', () => {
  it('returns a course by id and by slug, with instructor and lessons in order, in one statement', async () => {
    const [id] = await publishedCourseIds();
    const byId = await t.app.inject(`/api/courses/${id}`);
    expect(byId.statusCode).toBe(200);
    expect(queryCount(byId)).toBe(1);
    const course = byId.json<CourseDetail>();
    expect(course.status).toBe('published');
    expect(course.lessons).toHaveLength(course.lessonsCount);
    expect(course.lessons.map((l) => l.position)).toEqual(course.lessons.map((_, i) => i + 1));
    expect(course.durationMinutes).toBe(course.lessons.reduce((sum, l) => sum + l.durationMinutes, 0));

    const bySlug = await getJson<CourseDetail>(t.app, `/api/courses/${course.slug}`);
    expect(bySlug).toEqual(course);
  });

  it('hides drafts and unknown courses', async () => {
    const { rows } = await sql<{
      slug: string;
    }>`SELECT slug FROM courses WHERE status = 'draft' LIMIT 1`.execute(t.database.db);
    await getJson<ErrorBody>(t.app, `/api/courses/${rows[0]?.slug ?? ''}`, 404);
    await getJson<ErrorBody>(t.app, '/api/courses/no-such-course', 404);
  });

  it.each(['Bad_Slug', '-leading-dash', 'a'.repeat(121)])('rejects "%s" with 400', async (key) => {
    const body = await getJson<ErrorBody>(t.app, `/api/courses/${key}`, 400);
    expect(body.error.details[0]?.path).toBe('params.id');
  });
});
