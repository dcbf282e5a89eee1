import {
  courseDetailSchema,
  coursePageSchema,
  courseSummarySchema,
  mentorDetailSchema,
  mentorPageSchema,
  mentorSummarySchema,
  type CourseDetail,
  type CourseSummary,
  type MentorDetail,
  type MentorSummary,
  type Page,
  type PublicUser,
  publicUserSchema,
  reviewPageSchema,
  reviewSchema,
  type Review,
} from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as courses from '../src/modules/courses/courses.repository';
import { toCourseSummary, toDetail } from '../src/modules/courses/courses.service';
import * as mentors from '../src/modules/mentors/mentors.repository';
import { toMentorSummary } from '../src/modules/mentors/mentors.service';
import { toUserSummary } from '../src/modules/users/users.service';
import { createTestApp, getJson, walkPages, type TestApp } from './helpers/test-app';

/**
 * Answers PostgreSQL serializes (infra/db/json.ts) against the same answers built in Node from the rows, the way
 * every other read still builds them: same values, same schema, nothing the schema would have stripped.
 */

let t: TestApp;
// Text that JSON escaping and encodings get wrong: quotes, backslashes, control characters, line and paragraph
// separators, combining marks, astral emoji, right-to-left script, markup.
const awkwardText = 'Zoë "Q" \\ O\'Brien\n\t\u0001\u001f\u007f\u2028\u2029 e\u0301 🎉👩🏽‍💻 مرحبا </script>';
// A lesson's content is for enrolled learners only: it must never reach the public course page.
const lessonSecret = 'lesson content only enrolled learners read';

beforeAll(async () => {
  t = await createTestApp({ env: { CACHE_ENABLED: 'false' } });
  const db = t.database.db;
  const { rows } = await sql<{ id: number; user_id: number }>`SELECT id, user_id FROM mentors
    WHERE status = 'approved' AND is_active ORDER BY id LIMIT 4`.execute(db);
  const [awkward, bare, priciest, oldest] = rows as [
    (typeof rows)[number],
    (typeof rows)[number],
    (typeof rows)[number],
    (typeof rows)[number],
  ];
  // Unicode and escapes everywhere text is shown; the last millisecond of a leap day (columns keep milliseconds).
  await sql`UPDATE users SET name = ${awkwardText}, bio = ${awkwardText}, created_at = '2024-02-29T23:59:59.999Z'
    WHERE id = ${awkward.user_id}`.execute(db);
  await sql`UPDATE mentors SET headline = ${awkwardText}, bio = ${awkwardText}, timezone = 'America/Argentina/Buenos_Aires',
    created_at = '2024-02-29T23:59:59.999Z' WHERE id = ${awkward.id}`.execute(db);
  await sql`UPDATE expertise_tags SET name = ${awkwardText}
    WHERE id = (SELECT tag_id FROM mentor_expertise WHERE mentor_id = ${awkward.id} LIMIT 1)`.execute(db);
  // No avatar, no languages, no expertise, no reviews, nothing earned: the nulls, zeros and empty arrays.
  await sql`UPDATE users SET avatar_media_id = NULL, bio = '', created_at = '1969-12-31T23:59:59Z'
    WHERE id = ${bare.user_id}`.execute(db);
  await sql`DELETE FROM mentor_expertise WHERE mentor_id = ${bare.id}`.execute(db);
  await sql`DELETE FROM reviews WHERE mentor_id = ${bare.id}`.execute(db);
  await sql`UPDATE mentors SET languages = '{}', bio = '', hourly_rate_cents = 0, rating_avg = 0, rating_count = 0,
    years_experience = 0, sessions_completed = 0 WHERE id = ${bare.id}`.execute(db);
  // The largest price and rating, and a timestamp before the epoch with no fraction of a second.
  await sql`UPDATE mentors SET hourly_rate_cents = 10000000, currency = 'JPY', rating_avg = 5
    WHERE id = ${priciest.id}`.execute(db);
  await sql`UPDATE mentors SET created_at = '1969-12-31T23:59:59Z', rating_avg = 4.35 WHERE id = ${oldest.id}`.execute(
    db,
  );

  const { rows: published } = await sql<{ id: number }>`SELECT id FROM courses
    WHERE status = 'published' AND is_active ORDER BY id LIMIT 4`.execute(db);
  const [awkwardCourse, bareCourse, priciestCourse, oldestCourse] = published.map((row) => row.id);
  await sql`UPDATE courses SET title = ${awkwardText}, summary = ${awkwardText}, description = ${awkwardText},
    published_at = '2024-02-29T23:59:59.999Z' WHERE id = ${awkwardCourse}`.execute(db);
  await sql`UPDATE lessons SET title = ${awkwardText}, content = ${lessonSecret}
    WHERE id = (SELECT min(id) FROM lessons WHERE course_id = ${awkwardCourse})`.execute(db);
  // No cover, no lessons, free, nobody enrolled; its instructor without an avatar.
  await sql`DELETE FROM lessons WHERE course_id = ${bareCourse}`.execute(db);
  await sql`UPDATE courses SET cover_media_id = NULL, summary = '', description = '', price_cents = 0,
    lessons_count = 0, duration_minutes = 0, enrollments_count = 0 WHERE id = ${bareCourse}`.execute(db);
  await sql`UPDATE users SET avatar_media_id = NULL
    WHERE id = (SELECT instructor_id FROM courses WHERE id = ${bareCourse})`.execute(db);
  await sql`UPDATE courses SET price_cents = 10000000, currency = 'JPY' WHERE id = ${priciestCourse}`.execute(
    db,
  );
  await sql`UPDATE courses SET published_at = '1969-12-31T23:59:59Z' WHERE id = ${oldestCourse}`.execute(db);

  // A review full of awkward text, one written on a leap day's last millisecond, one before 1970.
  const { rows: reviewed } = await sql<{ id: number }>`SELECT id FROM reviews WHERE status = 'published'
    ORDER BY id LIMIT 3`.execute(db);
  const [awkwardReview, leapDayReview, oldestReview] = reviewed.map((row) => row.id);
  await sql`UPDATE reviews SET body = ${awkwardText} WHERE id = ${awkwardReview}`.execute(db);
  await sql`UPDATE reviews SET created_at = '2024-02-29T23:59:59.999Z' WHERE id = ${leapDayReview}`.execute(
    db,
  );
  await sql`UPDATE reviews SET created_at = '1969-12-31T23:59:59Z' WHERE id = ${oldestReview}`.execute(db);
});
afterAll(() => t.close());

/** Today's answer for these mentors, built in Node from the rows and serialized through the schema. */
async function cardsBuiltInNode(ids: number[]): Promise<Map<number, MentorSummary>> {
  const rows = await mentors.selectMentorsWithUser(t.database.db).where('m.id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, mentorSummarySchema.parse(toMentorSummary(row))]));
}

async function detailBuiltInNode(id: number): Promise<MentorDetail> {
  const [summary] = (await cardsBuiltInNode([id])).values();
  const { rows } = await sql<{ bio: string; session_minutes: number; sessions_completed: number }>`
    SELECT bio, session_minutes, sessions_completed FROM mentors WHERE id = ${id}`.execute(t.database.db);
  const { rows: counts } = await sql<{ rating: 1 | 2 | 3 | 4 | 5; count: number }>`
    SELECT rating, count(*)::int AS count FROM reviews WHERE mentor_id = ${id} AND status = 'published'
    GROUP BY rating`.execute(t.database.db);
  const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const { rating, count } of counts) distribution[rating] = count;
  const [row] = rows;
  if (!summary || !row) throw new Error(`mentor ${id} is not listed`);
  return mentorDetailSchema.parse({
    ...summary,
    bio: row.bio,
    sessionMinutes: row.session_minutes,
    sessionsCompleted: row.sessions_completed,
    rating: { ...summary.rating, distribution },
  });
}

/** Today's course cards, built in Node from the rows and serialized through the schema. */
async function courseCardsBuiltInNode(ids: number[]): Promise<Map<number, CourseSummary>> {
  const rows = await courses.selectPublishedWithInstructor(t.database.db).where('c.id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, courseSummarySchema.parse(toCourseSummary(row))]));
}

/** A course page built in Node, the way the studio's preview still builds it. */
async function courseBuiltInNode(id: number): Promise<CourseDetail> {
  const row = await courses.anyByKeyQuery(t.database.db, { id }).executeTakeFirstOrThrow();
  return courseDetailSchema.parse(toDetail(row));
}

/** A person's public profile built in Node from their row, as it was before PostgreSQL serialized it. */
async function profileBuiltInNode(id: number): Promise<PublicUser> {
  const row = await t.database.db
    .selectFrom('users as u')
    .leftJoin('mentors as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.status', '=', 'approved'))
    .select(['u.id', 'u.name', 'u.avatar_media_id', 'u.bio', 'u.role', 'u.timezone', 'u.created_at'])
    .select('m.id as mentor_id')
    .where('u.id', '=', id)
    .executeTakeFirstOrThrow();
  return publicUserSchema.parse({
    ...toUserSummary(row),
    bio: row.bio,
    role: row.role,
    timezone: row.timezone,
    mentorId: row.mentor_id,
    createdAt: row.created_at.toISOString(),
  });
}

/** Reviews built in Node from their rows, as the review list was before PostgreSQL serialized it. */
async function reviewsBuiltInNode(ids: number[]): Promise<Map<number, Review>> {
  if (ids.length === 0) return new Map();
  const rows = await t.database.db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.id', 'r.booking_id', 'r.rating', 'r.body', 'r.created_at', 'u.name', 'u.avatar_media_id'])
    .select('u.id as author_id')
    .where('r.id', 'in', ids)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      reviewSchema.parse({
        id: row.id,
        bookingId: row.booking_id,
        rating: row.rating,
        body: row.body,
        author: toUserSummary({ id: row.author_id, name: row.name, avatar_media_id: row.avatar_media_id }),
        createdAt: row.created_at.toISOString(),
      }),
    ]),
  );
}

/** Emails and password hashes of every account: none of them may appear in a public answer. */
async function privateValues(): Promise<string[]> {
  const { rows } = await sql<{ email: string; password_hash: string | null }>`
    SELECT email, password_hash FROM users`.execute(t.database.db);
  return rows.flatMap((row) => [row.email, ...(row.password_hash ? [row.password_hash] : [])]);
}

const privateKeys = ['email', 'password', 'password_hash', 'search_vector', 'is_active', 'isActive'];
const mentorPrivateKeys = [...privateKeys, 'meeting_url', 'meetingUrl', 'status'];
const coursePrivateKeys = [...privateKeys, 'content'];

function expectNoPrivateValue(body: string, secrets: string[], keys: string[]) {
  for (const key of keys) expect(body).not.toContain(`"${key}"`);
  expect(secrets.filter((secret) => body.includes(secret))).toEqual([]);
}

/** Byte for byte what `JSON.stringify` writes: no space around a colon or after a comma, in any nested object. */
function expectCompact(body: string) {
  expect(body).toBe(JSON.stringify(JSON.parse(body)));
}

/**
 * Walks every page of a list from `url`, holding each page to its schema, each item to the answer built in Node
 * and the body to no private value; returns how many items it saw.
 */
async function expectEveryPageAsBuiltInNode<Item extends { id: number }>(
  url: string,
  schema: z.ZodType<Page<Item>>,
  builtInNode: (ids: number[]) => Promise<Map<number, Item>>,
  keys: string[],
): Promise<number> {
  const secrets = await privateValues();
  let next: string | null = url;
  let seen = 0;
  while (next) {
    const response: LightMyRequestResponse = await t.app.inject({ method: 'GET', url: next });
    expect(response.statusCode).toBe(200);
    const page: Page<Item> = response.json();
    // Parsing strips any key the schema does not name: equal means there was none.
    expect(schema.parse(page)).toEqual(page);
    expectNoPrivateValue(response.body, secrets, keys);
    expectCompact(response.body);
    const expected = await builtInNode(page.items.map((item) => item.id));
    for (const item of page.items) expect(item).toEqual(expected.get(item.id));
    seen += page.items.length;
    next = page.nextCursor ? `${url}&cursor=${page.nextCursor}` : null;
  }
  return seen;
}

describe('mentor answers serialized by PostgreSQL', () => {
  it.each(['rating', 'price', 'price_desc', 'newest'])(
    'every page of sort=%s matches its schema and the answer built in Node, and carries nothing private',
    async (sort) => {
      const seen = await expectEveryPageAsBuiltInNode(
        `/api/mentors?sort=${sort}&limit=9`,
        mentorPageSchema,
        cardsBuiltInNode,
        mentorPrivateKeys,
      );
      const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM mentors
        WHERE status = 'approved' AND is_active`.execute(t.database.db);
      expect(seen).toBe(rows[0]?.count);
    },
  );

  it('covers the edge cases: unicode, nulls, empty arrays, zero and maximum money, timestamps', async () => {
    const { items } = await walkPages<MentorSummary>(t.app, '/api/mentors?sort=newest&limit=50');
    const awkward = items.find((item) => item.headline === awkwardText);
    expect(awkward?.user.name).toBe(awkwardText);
    expect(awkward?.expertise.map((tag) => tag.name)).toContain(awkwardText);
    expect(awkward?.createdAt).toBe('2024-02-29T23:59:59.999Z');
    const bare = items.find((item) => item.hourlyRate.amountCents === 0);
    expect(bare).toMatchObject({ languages: [], expertise: [], rating: { average: 0, count: 0 } });
    expect(bare?.user).toMatchObject({ avatarUrl: null, avatar: null });
    expect(items.find((item) => item.hourlyRate.amountCents === 10000000)?.hourlyRate.currency).toBe('JPY');
    expect(items.find((item) => item.rating.average === 4.35)?.createdAt).toBe('1969-12-31T23:59:59.000Z');
    expect(items.some((item) => item.user.avatar !== null)).toBe(true);
  });

  it('every mentor page matches its schema and the answer built in Node, and carries nothing private', async () => {
    const secrets = await privateValues();
    const { items } = await walkPages<MentorSummary>(t.app, '/api/mentors?limit=50');
    const { rows: reviewed } = await sql<{ mentor_id: number }>`SELECT DISTINCT mentor_id FROM reviews
      WHERE status = 'published'`.execute(t.database.db);
    expect(items.some((item) => reviewed.some((row) => row.mentor_id === item.id))).toBe(true);
    for (const { id } of items) {
      const response = await t.app.inject({ method: 'GET', url: `/api/mentors/${id}` });
      expect(response.statusCode).toBe(200);
      const detail = response.json<MentorDetail>();
      expect(mentorDetailSchema.parse(detail)).toEqual(detail);
      expectNoPrivateValue(response.body, secrets, mentorPrivateKeys);
      expectCompact(response.body);
      expect(detail).toEqual(await detailBuiltInNode(id));
    }
  });

  it('answers an unknown or unlisted mentor with 404', async () => {
    const { rows } = await sql<{
      id: number;
    }>`SELECT id FROM mentors WHERE status <> 'approved' LIMIT 1`.execute(t.database.db);
    for (const id of [2147483647, ...rows.map((row) => row.id)])
      await getJson(t.app, `/api/mentors/${id}`, 404);
  });
});

describe('course answers serialized by PostgreSQL', () => {
  it.each(['newest', 'popular', 'price', 'price_desc'])(
    'every page of sort=%s matches its schema and the answer built in Node, and carries nothing private',
    async (sort) => {
      const seen = await expectEveryPageAsBuiltInNode(
        `/api/courses?sort=${sort}&limit=9`,
        coursePageSchema,
        courseCardsBuiltInNode,
        [...coursePrivateKeys, 'status'],
      );
      const { rows } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM courses
        WHERE status = 'published' AND is_active`.execute(t.database.db);
      expect(seen).toBe(rows[0]?.count);
    },
  );

  it('covers the edge cases: unicode, nulls, no lessons, zero and maximum money, timestamps', async () => {
    const { items } = await walkPages<CourseSummary>(t.app, '/api/courses?sort=newest&limit=50');
    const awkward = items.find((item) => item.title === awkwardText);
    expect(awkward).toMatchObject({ summary: awkwardText, publishedAt: '2024-02-29T23:59:59.999Z' });
    const bare = items.find((item) => item.price.amountCents === 0 && item.lessonsCount === 0);
    expect(bare).toMatchObject({ coverUrl: null, cover: null, summary: '', durationMinutes: 0 });
    expect(bare?.instructor).toMatchObject({ avatarUrl: null, avatar: null });
    expect(items.find((item) => item.price.amountCents === 10000000)?.price.currency).toBe('JPY');
    expect(items.some((item) => item.publishedAt === '1969-12-31T23:59:59.000Z')).toBe(true);
    expect(items.some((item) => item.cover !== null && item.instructor.avatar !== null)).toBe(true);

    const page = await getJson<CourseDetail>(t.app, `/api/courses/${awkward?.id}`);
    expect(page.description).toBe(awkwardText);
    expect(page.lessons.map((lesson) => lesson.title)).toContain(awkwardText);
    expect(await getJson<CourseDetail>(t.app, `/api/courses/${bare?.id}`)).toMatchObject({
      description: '',
      lessons: [],
    });
  });

  it('every course page, by id and by slug, matches its schema and the answer built in Node, and carries nothing private', async () => {
    const secrets = [...(await privateValues()), lessonSecret];
    const { items } = await walkPages<CourseSummary>(t.app, '/api/courses?limit=50');
    for (const { id, slug } of items) {
      const expected = await courseBuiltInNode(id);
      for (const key of [id, slug]) {
        const response = await t.app.inject({ method: 'GET', url: `/api/courses/${key}` });
        expect(response.statusCode).toBe(200);
        const page = response.json<CourseDetail>();
        expect(courseDetailSchema.parse(page)).toEqual(page);
        expectNoPrivateValue(response.body, secrets, coursePrivateKeys);
        expectCompact(response.body);
        expect(page).toEqual(expected);
      }
    }
  });

  it('answers an unknown or unpublished course with 404', async () => {
    const { rows } = await sql<{ id: number; slug: string }>`SELECT id, slug FROM courses
      WHERE status <> 'published' OR NOT is_active LIMIT 2`.execute(t.database.db);
    expect(rows.length).toBeGreaterThan(0);
    for (const key of [2147483647, 'no-such-course', ...rows.flatMap((row) => [row.id, row.slug])])
      await getJson(t.app, `/api/courses/${key}`, 404);
  });
});

describe('review lists serialized by PostgreSQL', () => {
  it("every page of every listed mentor's reviews matches its schema and the answer built in Node, and carries nothing private", async () => {
    const { items } = await walkPages<MentorSummary>(t.app, '/api/mentors?limit=50');
    const { rows } = await sql<{ mentor_id: number; count: number }>`SELECT mentor_id, count(*)::int AS count
      FROM reviews WHERE status = 'published' GROUP BY mentor_id`.execute(t.database.db);
    const published = new Map(rows.map((row) => [row.mentor_id, row.count]));
    expect(items.filter((item) => published.has(item.id)).length).toBeGreaterThan(1);
    for (const { id } of items) {
      const seen = await expectEveryPageAsBuiltInNode(
        `/api/mentors/${id}/reviews?limit=3`,
        reviewPageSchema,
        reviewsBuiltInNode,
        privateKeys,
      );
      expect(seen).toBe(published.get(id) ?? 0);
    }
  });

  it('covers the edge cases: unicode, timestamps; an unknown mentor is 404', async () => {
    const { rows } = await sql<{ mentor_id: number }>`SELECT DISTINCT mentor_id FROM reviews
      WHERE status = 'published' AND (body = ${awkwardText} OR created_at < '1970-01-01')`.execute(
      t.database.db,
    );
    const shown: Review[] = [];
    for (const { mentor_id } of rows)
      shown.push(...(await walkPages<Review>(t.app, `/api/mentors/${mentor_id}/reviews?limit=50`)).items);
    expect(shown.some((review) => review.body === awkwardText)).toBe(true);
    expect(shown.some((review) => review.createdAt === '1969-12-31T23:59:59.000Z')).toBe(true);
    await getJson(t.app, '/api/mentors/2147483647/reviews', 404);
  });
});

describe('user pages serialized by PostgreSQL', () => {
  it('every user page matches its schema and the answer built in Node, and carries nothing private; hidden accounts are 404', async () => {
    const secrets = await privateValues();
    // An account nobody has verified, one that was deactivated: neither may be shown.
    await sql`UPDATE users SET email_verified_at = NULL WHERE id = (SELECT max(id) FROM users u
      WHERE NOT EXISTS (SELECT 1 FROM mentors m WHERE m.user_id = u.id))`.execute(t.database.db);
    await sql`UPDATE users SET is_active = false WHERE id = (SELECT min(id) FROM users u
      WHERE NOT EXISTS (SELECT 1 FROM mentors m WHERE m.user_id = u.id) AND role <> 'admin')`.execute(
      t.database.db,
    );
    const { rows } = await sql<{ id: number; visible: boolean }>`SELECT id,
      is_active AND email_verified_at IS NOT NULL AS visible FROM users ORDER BY id`.execute(t.database.db);
    expect(rows.filter((row) => !row.visible)).toHaveLength(2);
    const shown: PublicUser[] = [];
    for (const { id, visible } of rows) {
      if (!visible) {
        await getJson(t.app, `/api/users/${id}`, 404);
        continue;
      }
      const response = await t.app.inject({ method: 'GET', url: `/api/users/${id}` });
      expect(response.statusCode).toBe(200);
      const user = response.json<PublicUser>();
      expect(publicUserSchema.parse(user)).toEqual(user);
      expectNoPrivateValue(response.body, secrets, privateKeys);
      expectCompact(response.body);
      expect(user).toEqual(await profileBuiltInNode(id));
      shown.push(user);
    }
    // The edge cases are among them: unicode, no avatar, an empty bio, a mentor and not, both timestamps.
    expect(shown.find((user) => user.name === awkwardText)).toMatchObject({
      bio: awkwardText,
      createdAt: '2024-02-29T23:59:59.999Z',
    });
    expect(shown.find((user) => user.createdAt === '1969-12-31T23:59:59.000Z')).toMatchObject({
      avatarUrl: null,
      avatar: null,
      bio: '',
    });
    expect(shown.some((user) => user.mentorId !== null && user.avatar !== null)).toBe(true);
    expect(shown.some((user) => user.mentorId === null)).toBe(true);
    await getJson(t.app, '/api/users/2147483647', 404);
  });
});
