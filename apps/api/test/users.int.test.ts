import type { ErrorBody, PublicUser } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getJson, queryCount, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  // SQL behaviour under test: caching off, so every request shows the statements it really runs.
  t = await createTestApp({ env: { CACHE_ENABLED: 'false' } });
});
afterAll(() => t.close());

describe('GET /api/users/:id', () => {
  it('returns the public profile of a mentor, with the mentor id, and nothing private', async () => {
    const response = await t.app.inject('/api/users/1');
    expect(response.statusCode).toBe(200);
    expect(queryCount(response)).toBe(1);
    const user = response.json<PublicUser>();
    expect(user).toMatchObject({ id: 1, role: 'mentor', mentorId: 1, avatarUrl: '/api/media/1' });
    expect(Object.keys(user).sort()).toEqual(
      ['avatar', 'avatarUrl', 'bio', 'createdAt', 'id', 'mentorId', 'name', 'role', 'timezone'].sort(),
    );
    expect(response.body).not.toMatch(/email|password|@example\.com/);
  });

  it('returns a mentee without mentor id or avatar', async () => {
    const user = await getJson<PublicUser>(t.app, '/api/users/200');
    expect(user).toMatchObject({ id: 200, role: 'mentee', mentorId: null, avatarUrl: null });
  });

  it('hides deactivated users', async () => {
    await sql`UPDATE users SET is_active = false WHERE id = 201`.execute(t.database.db);
    const body = await getJson<ErrorBody>(t.app, '/api/users/201', 404);
    expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'User was not found', details: [] } });
  });

  it('rejects a non-numeric id with field details', async () => {
    const body = await getJson<ErrorBody>(t.app, '/api/users/me', 400);
    expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'params.id' }] });
  });
});

describe('GET /api/media/:id', () => {
  it('serves a seeded avatar as an immutable SVG', async () => {
    const response = await t.app.inject('/api/media/1');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.body).toMatch(/^<svg [^>]*>.*<\/svg>$/s);
    const revalidated = await t.app.inject({
      url: '/api/media/1',
      headers: { 'if-none-match': String(response.headers.etag) },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(queryCount(revalidated)).toBe(0);
  });

  it('answers 404 for a missing image', async () => {
    await getJson<ErrorBody>(t.app, '/api/media/999999', 404);
  });
});
