import type { ErrorBody, ExpertiseList, MentorDetail, MentorSummary, Page } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getJson, queryCount, walkPages, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  // SQL behaviour under test: caching off, so every request shows the statements it really runs.
  t = await createTestApp({ env: { CACHE_ENABLED: 'false' } });
});
afterAll(() => t.close());

/** Ids of every listed mentor, straight from SQL, as the reference the API is checked against. */
async function listedMentorIds(where = sql`true`): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT m.id FROM mentors m JOIN users u ON u.id = m.user_id
    WHERE m.status = 'approved' AND m.is_active AND ${where} ORDER BY m.id`.execute(t.database.db);
  return rows.map((row) => row.id);
}

const ids = (items: { id: number }[]) => items.map((item) => item.id).sort((a, b) => a - b);

describe('GET /api/mentors', () => {
  it('lists approved mentors with their user and expertise embedded', async () => {
    const page = await getJson<Page<MentorSummary>>(t.app, '/api/mentors');
    expect(page.items).toHaveLength(20);
    expect(page.nextCursor).toEqual(expect.any(String));
    for (const mentor of page.items) {
      expect(mentor.user.name.length).toBeGreaterThan(0);
      expect(mentor.user.avatarUrl).toMatch(/^\/api\/media\/\d+$/);
      expect(mentor.expertise.length).toBeGreaterThanOrEqual(2);
      expect(mentor.user).not.toHaveProperty('email');
    }
  });

  it.each(['rating', 'price', 'price_desc', 'newest'])(
    'walks every page of sort=%s with no duplicates or gaps, in order',
    async (sort) => {
      const { items, pages } = await walkPages<MentorSummary>(t.app, `/api/mentors?sort=${sort}&limit=7`);
      const expected = await listedMentorIds();
      expect(pages).toBe(Math.ceil(expected.length / 7));
      expect(ids(items)).toEqual(expected);
      const key = (m: MentorSummary): number =>
        sort === 'rating'
          ? -m.rating.average
          : sort === 'price'
            ? m.hourlyRate.amountCents
            : sort === 'price_desc'
              ? -m.hourlyRate.amountCents
              : -Date.parse(m.createdAt);
      for (let i = 1; i < items.length; i++) {
        const [previous, current] = [items[i - 1], items[i]] as [MentorSummary, MentorSummary];
        expect(key(previous)).toBeLessThanOrEqual(key(current));
      }
    },
  );

  it('filters by price range, minimum rating and language, matching SQL', async () => {
    const { items } = await walkPages<MentorSummary>(
      t.app,
      '/api/mentors?minPriceCents=20000&maxPriceCents=90000&minRating=4&language=en&limit=100',
    );
    expect(items.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(
      await listedMentorIds(
        sql`m.hourly_rate_cents BETWEEN 20000 AND 90000 AND m.rating_avg >= 4 AND 'en' = ANY(m.languages)`,
      ),
    );
  });

  it('filters by expertise: every listed mentor has all the tags asked for', async () => {
    const { rows } = await sql<{ slug: string }>`SELECT t.slug FROM expertise_tags t
      JOIN mentor_expertise me ON me.tag_id = t.id GROUP BY t.slug ORDER BY count(*) DESC LIMIT 1`.execute(
      t.database.db,
    );
    const slug = rows[0]?.slug ?? '';
    const { items } = await walkPages<MentorSummary>(t.app, `/api/mentors?expertise=${slug}&limit=100`);
    expect(items.length).toBeGreaterThan(0);
    for (const mentor of items) expect(mentor.expertise.map((tag) => tag.slug)).toContain(slug);
    expect(ids(items)).toEqual(
      await listedMentorIds(sql`EXISTS (SELECT 1 FROM mentor_expertise me JOIN expertise_tags t ON t.id = me.tag_id
        WHERE me.mentor_id = m.id AND t.slug = ${slug})`),
    );
  });

  it('searches names, headlines and bios by word prefix', async () => {
    const { rows } = await sql<{ name: string }>`SELECT u.name FROM mentors m JOIN users u ON u.id = m.user_id
      WHERE m.status = 'approved' ORDER BY m.id LIMIT 1`.execute(t.database.db);
    const lastName = (rows[0]?.name ?? '').split(' ').at(-1) ?? '';
    const prefix = lastName.slice(0, 3);
    const { items } = await walkPages<MentorSummary>(
      t.app,
      `/api/mentors?q=${encodeURIComponent(prefix)}&limit=100`,
    );
    expect(items.length).toBeGreaterThan(0);
    expect(items.map((m) => m.user.name)).toContain(rows[0]?.name);
    for (const mentor of items) {
      const text = `${mentor.user.name} ${mentor.headline}`.toLowerCase();
      const detail = await getJson<MentorDetail>(t.app, `/api/mentors/${mentor.id}`);
      expect(`${text} ${detail.bio.toLowerCase()}`).toMatch(new RegExp(`\\b${prefix.toLowerCase()}`, 'u'));
    }
  });

  it('finds a mentor by name after the name changes (search text follows the user row)', async () => {
    const [mentorId] = await listedMentorIds();
    await sql`UPDATE users SET name = 'Zebulon Quixotic' WHERE id = (SELECT user_id FROM mentors WHERE id = ${mentorId})`.execute(
      t.database.db,
    );
    const page = await getJson<Page<MentorSummary>>(t.app, '/api/mentors?q=quixot');
    expect(page.items.map((m) => m.id)).toEqual([mentorId]);
  });

  it('returns an empty page for a search that matches nothing', async () => {
    const page = await getJson<Page<MentorSummary>>(t.app, '/api/mentors?q=xqzzyv');
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it('runs one statement per page whatever the page size', async () => {
    const small = await t.app.inject('/api/mentors?limit=1');
    const large = await t.app.inject('/api/mentors?limit=50&expertise=typescript,react&minRating=1&q=a');
    expect(queryCount(small)).toBe(1);
    expect(queryCount(large)).toBe(1);
    const paged = await t.app.inject(
      `/api/mentors?limit=50&cursor=${small.json<Page<unknown>>().nextCursor ?? ''}`,
    );
    expect(paged.statusCode).toBe(200);
    expect(queryCount(paged)).toBe(1);
  });

  it.each([
    ['sort=cheapest', 'query.sort'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['minRating=6', 'query.minRating'],
    ['minPriceCents=-5', 'query.minPriceCents'],
    ['minPriceCents=500&maxPriceCents=100', 'query.minPriceCents'],
    ['language=english', 'query.language'],
    ['expertise=Not_A_Slug', 'query.expertise'],
    ['q=%00', 'query.q'],
    ['q=', 'query.q'],
    ['cursor=***', 'query.cursor'],
    ['cursor=bm90LWpzb24', 'query.cursor'],
    ['colour=blue', 'query'],
  ])('rejects %s with 400 and a detail at %s', async (query, path) => {
    const body = await getJson<ErrorBody>(t.app, `/api/mentors?${query}`, 400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path)).toContain(path);
  });

  it('rejects a cursor made for another sort order', async () => {
    const page = await getJson<Page<MentorSummary>>(t.app, '/api/mentors?sort=price&limit=2');
    const body = await getJson<ErrorBody>(
      t.app,
      `/api/mentors?sort=rating&cursor=${page.nextCursor ?? ''}`,
      400,
    );
    expect(body.error.details[0]?.path).toBe('query.cursor');
  });
});

describe('GET /api/expertise', () => {
  it('lists every tag with its number of listed mentors, most common first, in one statement', async () => {
    const response = await t.app.inject('/api/expertise');
    expect(response.statusCode).toBe(200);
    expect(queryCount(response)).toBe(1);
    const { items } = response.json<ExpertiseList>();
    const { rows } = await sql<{ slug: string; name: string; mentorCount: number }>`
      SELECT t.slug, t.name, count(m.id)::int AS "mentorCount" FROM expertise_tags t
      LEFT JOIN mentor_expertise me ON me.tag_id = t.id
      LEFT JOIN mentors m ON m.id = me.mentor_id AND m.status = 'approved' AND m.is_active
      GROUP BY t.id`.execute(t.database.db);
    expect([...items].sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
      rows.sort((a, b) => a.slug.localeCompare(b.slug)),
    );
    for (const [i, tag] of items.slice(1).entries()) {
      const before = items[i];
      if (!before) throw new Error('unreachable');
      expect(
        before.mentorCount > tag.mentorCount ||
          (before.mentorCount === tag.mentorCount && before.name.localeCompare(tag.name) <= 0),
      ).toBe(true);
    }
    expect(items[0]?.mentorCount).toBeGreaterThan(0);
  });

  it('counts only approved, active mentors', async () => {
    const [tag] = (await getJson<ExpertiseList>(t.app, '/api/expertise')).items;
    if (!tag) throw new Error('no expertise tags seeded');
    const { rows } = await sql<{ id: number }>`
      SELECT m.id FROM mentors m JOIN mentor_expertise me ON me.mentor_id = m.id
      JOIN expertise_tags t ON t.id = me.tag_id
      WHERE t.slug = ${tag.slug} AND m.status = 'approved' AND m.is_active LIMIT 1`.execute(t.database.db);
    const hidden = rows[0]?.id ?? 0;
    await sql`UPDATE mentors SET is_active = false WHERE id = ${hidden}`.execute(t.database.db);
    try {
      const after = (await getJson<ExpertiseList>(t.app, '/api/expertise')).items;
      expect(after.find((item) => item.slug === tag.slug)?.mentorCount).toBe(tag.mentorCount - 1);
    } finally {
      await sql`UPDATE mentors SET is_active = true WHERE id = ${hidden}`.execute(t.database.db);
    }
  });
});

describe('GET /api/mentors/:id', () => {
  it('returns the profile with a rating summary that matches the reviews', async () => {
    const { rows } = await sql<{
      mentor_id: number;
      n: number;
    }>`SELECT r.mentor_id, count(*)::int AS n FROM reviews r
      JOIN mentors m ON m.id = r.mentor_id WHERE m.status = 'approved'
      GROUP BY r.mentor_id ORDER BY n DESC LIMIT 1`.execute(t.database.db);
    const { mentor_id: id, n } = rows[0] ?? { mentor_id: 0, n: 0 };
    const response = await t.app.inject(`/api/mentors/${id}`);
    expect(response.statusCode).toBe(200);
    const mentor = response.json<MentorDetail>();
    expect(mentor.id).toBe(id);
    expect(mentor.rating.count).toBe(n);
    expect(Object.values(mentor.rating.distribution).reduce((a, b) => a + b, 0)).toBe(n);
    const weighted = Object.entries(mentor.rating.distribution).reduce(
      (sum, [star, c]) => sum + Number(star) * c,
      0,
    );
    expect(mentor.rating.average).toBeCloseTo(weighted / n, 2);
    expect(mentor.bio.length).toBeGreaterThan(0);
    // The profile and its rating distribution: one statement.
    expect(queryCount(response)).toBe(1);
  });

  it('hides mentors that are not approved', async () => {
    const { rows } = await sql<{
      id: number;
    }>`SELECT id FROM mentors WHERE status = 'pending' LIMIT 1`.execute(t.database.db);
    expect(rows[0]).toBeDefined();
    const body = await getJson<ErrorBody>(t.app, `/api/mentors/${rows[0]?.id ?? 0}`, 404);
    expect(body.error.code).toBe('NOT_FOUND');
  });

  it.each(['abc', '1.5', '0', '-1', '99999999999', '1e3'])('rejects id %s with 400', async (id) => {
    const body = await getJson<ErrorBody>(t.app, `/api/mentors/${id}`, 400);
    expect(body.error.details[0]?.path).toBe('params.id');
  });

  it('answers 404 for an id that does not exist', async () => {
    await getJson<ErrorBody>(t.app, '/api/mentors/2147483647', 404);
  });
});
