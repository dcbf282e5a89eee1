import { brotliDecompressSync } from 'node:zlib';
import type {
  CourseDetail,
  ExpertiseList,
  MentorDetail,
  MentorSummary,
  Page,
  PublicUser,
} from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateMentorProfile } from '../src/modules/mentors/mentors.service';
import { updateProfile } from '../src/modules/users/users.service';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';
import { metricTotal } from './helpers/metrics';

/** Cache behaviour of one instance with the in-process tier (and Redis too when REDIS_URL is set). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, CACHE_PREFIX: `mhtest:${process.pid}:single:` }
      : {},
  });
});
afterAll(async () => {
  await t.app.cache.flush();
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('response cache', () => {
  it('answers the second identical GET from the cache, with no statement and the same body', async () => {
    const first = await get('/api/mentors?sort=price&limit=5');
    const second = await get('/api/mentors?limit=5&sort=price');
    expect(serverTiming(first)).toEqual({ cache: 'miss', queries: 1 });
    expect(serverTiming(second)).toEqual({ cache: 'hit', queries: 0 });
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it('revalidates with ETag: If-None-Match gives 304 and no body; a changed body gets a new ETag', async () => {
    const first = await get('/api/users/3');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    const notModified = await get('/api/users/3', { 'if-none-match': `W/"other", ${etag}` });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect((await get('/api/users/3', { 'if-none-match': '"stale"' })).statusCode).toBe(200);

    await updateProfile({ db: t.app.db, cache: t.app.cache }, 3, { bio: 'A new bio' });
    const changed = await get('/api/users/3', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json<PublicUser>().bio).toBe('A new bio');
  });

  it('compresses large bodies once per entry and serves the same bytes to the next client', async () => {
    const plain = await get('/api/courses?limit=50');
    const first = await get('/api/courses?limit=50', { 'accept-encoding': 'gzip;q=0.5, br' });
    const second = await get('/api/courses?limit=50', { 'accept-encoding': 'br' });
    expect(first.headers['content-encoding']).toBe('br');
    expect(first.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(first.rawPayload).toString('utf8')).toBe(plain.body);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(first.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
  });

  it('runs the loader once for 200 concurrent requests of one cold key', async () => {
    const misses = await counterValue('cache_misses_total');
    const coalesced = await counterValue('cache_coalesced_total');
    const responses = await Promise.all(Array.from({ length: 200 }, () => get('/api/mentors/4')));
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(new Set(responses.map((response) => response.body)).size).toBe(1);
    // The detail runs 1 statement; all 200 requests together ran exactly that one.
    expect(responses.reduce((sum, response) => sum + serverTiming(response).queries, 0)).toBe(1);
    expect((await counterValue('cache_misses_total')) - misses).toBe(1);
    expect((await counterValue('cache_coalesced_total')) - coalesced).toBe(199);
  });

  it('invalidates every response that shows a renamed person, and only those', async () => {
    const { rows } = await sql<{ user_id: number; mentor_id: number; course_id: number; slug: string }>`
      SELECT m.user_id, m.id AS mentor_id, c.id AS course_id, c.slug FROM mentors m
      JOIN courses c ON c.instructor_id = m.user_id AND c.status = 'published'
      WHERE m.status = 'approved' ORDER BY m.id LIMIT 1`.execute(t.database.db);
    const target = rows[0];
    if (!target) throw new Error('seed has no mentor with a published course');
    const unrelated = await sql<{ id: number }>`SELECT id FROM courses
      WHERE status = 'published' AND instructor_id <> ${target.user_id} ORDER BY id LIMIT 1`.execute(
      t.database.db,
    );
    const unrelatedUrl = `/api/courses/${unrelated.rows[0]?.id ?? 0}`;
    const urls = [
      `/api/users/${target.user_id}`,
      `/api/mentors/${target.mentor_id}`,
      `/api/courses/${target.slug}`,
      `/api/courses?instructorId=${target.user_id}`,
      `/api/mentors?limit=100&sort=newest`,
      unrelatedUrl,
    ];
    for (const url of urls) await get(url);
    for (const url of urls) expect(serverTiming(await get(url)).cache, url).toBe('hit');

    await updateProfile({ db: t.app.db, cache: t.app.cache }, target.user_id, { name: 'Renata Freshname' });

    const profile = await get(urls[0] ?? '');
    expect(serverTiming(profile).cache).toBe('miss');
    expect(profile.json<PublicUser>().name).toBe('Renata Freshname');
    expect((await get(urls[1] ?? '')).json<MentorDetail>().user.name).toBe('Renata Freshname');
    expect((await get(urls[2] ?? '')).json<CourseDetail>().instructor.name).toBe('Renata Freshname');
    const cards = (await get(urls[3] ?? '')).json<Page<{ instructor: { name: string } }>>();
    expect(cards.items.every((card) => card.instructor.name === 'Renata Freshname')).toBe(true);
    const list = (await get(urls[4] ?? '')).json<Page<MentorSummary>>();
    expect(list.items.find((mentor) => mentor.id === target.mentor_id)?.user.name).toBe('Renata Freshname');
    expect(serverTiming(await get(unrelatedUrl)).cache).toBe('hit');
    expect(
      (await get('/api/mentors?q=freshname')).json<Page<MentorSummary>>().items.map((m) => m.id),
    ).toEqual([target.mentor_id]);
  });

  it('serves expertise counts from the cache until a mentor’s expertise changes', async () => {
    const before = (await get('/api/expertise')).json<ExpertiseList>();
    expect(serverTiming(await get('/api/expertise'))).toEqual({ cache: 'hit', queries: 0 });
    const { rows } = await sql<{ id: number; user_id: number; expertise: { slug: string }[] }>`
      SELECT id, user_id, expertise FROM mentors WHERE status = 'approved' AND is_active
      ORDER BY id LIMIT 1`.execute(t.database.db);
    const mentor = rows[0];
    const had = mentor?.expertise.map((tag) => tag.slug) ?? [];
    const added = before.items.find((tag) => !had.includes(tag.slug));
    if (!mentor || !added) throw new Error('seed has no listed mentor or no spare tag');
    await updateMentorProfile(
      { db: t.app.db, cache: t.app.cache },
      { sessionId: 0, userId: mentor.user_id, role: 'mentor', expiresAt: new Date(Date.now() + 60_000) },
      mentor.id,
      { expertise: [added.slug] },
    );

    const response = await get('/api/expertise');
    expect(serverTiming(response)).toEqual({ cache: 'miss', queries: 1 });
    const count = (list: ExpertiseList, slug: string) =>
      list.items.find((tag) => tag.slug === slug)?.mentorCount;
    const after = response.json<ExpertiseList>();
    expect(count(after, added.slug)).toBe(added.mentorCount + 1);
    for (const slug of had) expect(count(after, slug)).toBe((count(before, slug) ?? 0) - 1);
  });

  it('does not cache errors: a 404 stays a 404 and costs a lookup each time', async () => {
    const first = await get('/api/mentors/999999');
    const second = await get('/api/mentors/999999');
    expect([first.statusCode, second.statusCode]).toEqual([404, 404]);
    expect(serverTiming(second).queries).toBe(1);
  });
});

const counterValue = (name: string) => metricTotal(t.app, name);

describe('with caching turned off', () => {
  it('reads the database on every request and still sends ETags', async () => {
    const off = await createTestApp({ database: t.database, env: { CACHE_ENABLED: 'false' } });
    try {
      const first = await off.app.inject('/api/mentors/1');
      const second = await off.app.inject('/api/mentors/1');
      expect(serverTiming(second)).toEqual({ cache: 'bypass', queries: 1 });
      expect(second.headers.etag).toBe(first.headers.etag);
    } finally {
      await off.close();
    }
  });
});
