import type { ErrorBody } from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/test-app';

/** A deliberately naive handler: one query for the mentors, then one more per mentor for its user (N+1). */
function naiveFixture(app: FastifyInstance): void {
  app.get('/test/naive-mentor-names', async () => {
    const mentors = await app.db
      .selectFrom('mentors')
      .select(['id', 'user_id'])
      .orderBy('id')
      .limit(8)
      .execute();
    const names: string[] = [];
    for (const mentor of mentors) {
      const user = await app.db
        .selectFrom('users')
        .select('name')
        .where('id', '=', mentor.user_id)
        .executeTakeFirstOrThrow();
      names.push(user.name);
    }
    return { names };
  });
}

const small = { users: 40, mentors: 10, courses: 10, enrollments: 20, bookings: 20 };

describe('N+1 detector', () => {
  it('fails the request under test (mode "error") and logs the route and statement', async () => {
    const t = await createTestApp({ seed: small, routes: naiveFixture });
    try {
      const response = await t.app.inject('/test/naive-mentor-names');
      expect(response.statusCode).toBe(500);
      const body = response.json<ErrorBody>();
      expect(body.error.code).toBe('INTERNAL');
      expect(body.error.message).toContain('N+1');
      const warning = t.logs.find((line) => line.msg === 'N+1 query detected');
      expect(warning).toMatchObject({ route: '/test/naive-mentor-names', count: 8 });
      expect(String(warning?.statement)).toMatch(/select "name" from "users" where "id" = \?/);
    } finally {
      await t.close();
    }
  });

  it('only warns in production mode, and stays quiet for the real endpoints', async () => {
    const t = await createTestApp({ seed: small, routes: naiveFixture, env: { N_PLUS_ONE_MODE: 'warn' } });
    try {
      expect((await t.app.inject('/test/naive-mentor-names')).statusCode).toBe(200);
      expect(t.logs.filter((line) => line.msg === 'N+1 query detected')).toHaveLength(1);
      const mentors = (await t.app.inject('/api/mentors?limit=100')).json<{ items: { id: number }[] }>();
      const courses = (await t.app.inject('/api/courses?limit=100')).json<{ items: { slug: string }[] }>();
      for (const url of [
        `/api/mentors/${mentors.items[0]?.id ?? 0}`,
        `/api/courses/${courses.items[0]?.slug ?? ''}`,
        '/api/users/1',
      ]) {
        expect((await t.app.inject(url)).statusCode).toBe(200);
      }
      expect(t.logs.filter((line) => line.msg === 'N+1 query detected')).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe('slow-query log', () => {
  it('logs statements over SLOW_QUERY_MS with duration and SQL, never parameter values', async () => {
    const t = await createTestApp({ seed: small, env: { SLOW_QUERY_MS: '0' } });
    try {
      await t.app.inject('/api/mentors?q=uniqueneedle&limit=3');
      const slow = t.logs.filter((line) => line.msg === 'Slow query');
      expect(slow.length).toBeGreaterThan(0);
      const entry = slow.find((line) => String(line.sql).includes('to_tsquery'));
      expect(entry).toBeDefined();
      expect(entry?.durationMs).toEqual(expect.any(Number));
      expect(String(entry?.sql)).toMatch(/\$1/);
      expect(JSON.stringify(slow)).not.toContain('uniqueneedle');
    } finally {
      await t.close();
    }
  });
});

describe('GET /metrics', () => {
  const token = 'metrics-token-for-tests-0123456789abcdef';
  const scrape = () => t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: small, env: { METRICS_TOKEN: token } });
  });
  afterAll(() => t.close());

  it('is for the scraper only: 401 without the token or with another one', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${token}`, `Bearer ${token}x`]) {
      const response = await t.app.inject({
        url: '/metrics',
        headers: authorization === undefined ? {} : { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
      expect(response.body).not.toContain('http_requests_total');
    }
  });

  it('is not served at all without a configured token', async () => {
    const bare = await createTestApp({ seed: false });
    try {
      const response = await bare.app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorBody>().error.code).toBe('NOT_FOUND');
    } finally {
      await bare.close();
    }
  });

  it('exposes every metric of the seed report with real values', async () => {
    await t.app.inject('/api/mentors?limit=5');
    await t.app.inject('/api/mentors?limit=5');
    await t.app.inject('/api/mentors/999999');
    const response = await scrape();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    const sample = (pattern: string) => {
      const match = new RegExp(`^${pattern} ([\\d.e+-]+)$`, 'm').exec(text);
      if (!match?.[1]) throw new Error(`no sample ${pattern}`);
      return Number(match[1]);
    };
    expect(sample('http_requests_total\\{method="GET",route="/api/mentors",status_code="200"\\}')).toBe(2);
    expect(
      sample('http_request_duration_seconds_count\\{method="GET",route="/api/mentors",status_code="200"\\}'),
    ).toBe(2);
    expect(sample('errors_total\\{route="/api/mentors/:id",status_code="404",kind="client"\\}')).toBe(1);
    expect(sample('db_query_duration_seconds_count\\{query_type="select"\\}')).toBeGreaterThanOrEqual(2);
    expect(sample('cache_hits_total\\{tier="l1"\\}')).toBe(1);
    expect(sample('cache_misses_total')).toBe(2); // the page, and the lookup that found no mentor
    expect(sample('nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('labels routes by template, never by raw URL', async () => {
    await t.app.inject('/api/users/1');
    await t.app.inject('/api/users/2');
    const text = (await scrape()).body;
    expect(text).toContain('route="/api/users/:id"');
    expect(text).not.toMatch(/route="\/api\/users\/\d/);
  });
});
