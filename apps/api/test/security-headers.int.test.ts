import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../src/infra/http/security-headers';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function expectSecurityHeaders(response: LightMyRequestResponse, csp = API_CSP): void {
  const where = `${response.statusCode} ${response.body.slice(0, 80)}`;
  expect(response.headers['content-security-policy'], where).toBe(csp);
  expect(response.headers['x-content-type-options'], where).toBe('nosniff');
  expect(response.headers['x-frame-options'], where).toBe('DENY');
  expect(response.headers['referrer-policy'], where).toBe('no-referrer');
}

describe('security headers', () => {
  let t: TestApp;
  let mentorId: number;
  beforeAll(async () => {
    t = await createTestApp({ seed: { users: 10, mentors: 3, courses: 2, enrollments: 0, bookings: 0 } });
    const list = await t.app.inject('/api/mentors?limit=1');
    mentorId = list.json<{ items: { id: number }[] }>().items[0]?.id ?? 0;
  });
  afterAll(() => t.close());

  it('are on a cache miss, a cache hit and a 304 of the cached read path', async () => {
    const url = `/api/mentors/${mentorId}`;
    const miss = await t.app.inject(url);
    const hit = await t.app.inject(url);
    expect([serverTiming(miss).cache, serverTiming(hit).cache]).toEqual(['miss', 'hit']);
    const notModified = await t.app.inject({ url, headers: { 'if-none-match': String(hit.headers.etag) } });
    expect(notModified.statusCode).toBe(304);
    for (const response of [miss, hit, notModified]) {
      expectSecurityHeaders(response);
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('are on errors: 400, 401, 404, a malformed URL and a malformed body', async () => {
    const responses = [
      await t.app.inject('/api/mentors?limit=abc'),
      await t.app.inject('/api/me/bookings'),
      await t.app.inject('/api/no-such-route'),
      await t.app.inject('/api/mentors/%E0%A4%A'),
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      }),
    ];
    expect(responses.map((response) => response.statusCode)).toEqual([400, 401, 404, 400, 400]);
    for (const response of responses) expectSecurityHeaders(response);
  });

  it('let media be embedded from another origin, and nothing else', async () => {
    const media = await t.app.db.selectFrom('media').select('id').orderBy('id').executeTakeFirstOrThrow();
    const image = await t.app.inject(`/api/media/${media.id}`);
    expect(image.statusCode).toBe(200);
    expectSecurityHeaders(image, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(image.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('leave HSTS out over plain HTTP', async () => {
    expect((await t.app.inject('/health')).headers['strict-transport-security']).toBeUndefined();
  });
});

describe('security headers over HTTPS', () => {
  it('add Strict-Transport-Security', async () => {
    const t = await createTestApp({ seed: false, env: { SECURE_COOKIES: 'true' } });
    try {
      for (const url of ['/health', '/api/no-such-route', '/api/docs/'])
        expect((await t.app.inject(url)).headers['strict-transport-security'], url).toBe('max-age=31536000');
    } finally {
      await t.close();
    }
  });
});

describe('the docs UI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
  });
  afterAll(() => t.close());

  /** Scripts and stylesheets the page loads, resolved against the page's URL. */
  const assetsOf = (html: string, pageUrl: string) =>
    [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map(
      (match) => new URL(match[1] ?? '', `http://localhost${pageUrl}`).pathname,
    );

  it('has its own policy, which its page needs nothing beyond: no inline script or style', async () => {
    const page = await t.app.inject('/api/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expectSecurityHeaders(page, DOCS_CSP);
    expect(DOCS_CSP).not.toContain('unsafe');
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves every script and stylesheet it links, under the same policy and with their real types', async () => {
    const page = await t.app.inject('/api/docs/');
    const assets = assetsOf(page.body, '/api/docs/');
    expect(assets.filter((path) => path.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((path) => path.endsWith('.css')).length).toBeGreaterThanOrEqual(1);
    for (const path of assets) {
      const asset = await t.app.inject(path);
      expect(asset.statusCode, path).toBe(200);
      expectSecurityHeaders(asset, DOCS_CSP);
      // nosniff: a browser runs a script or applies a stylesheet only when its type says it is one.
      if (path.endsWith('.js')) expect(asset.headers['content-type'], path).toMatch(/javascript/);
      if (path.endsWith('.css')) expect(asset.headers['content-type'], path).toMatch(/^text\/css/);
    }
  });

  it('loads the OpenAPI document from its own origin, which the policy allows', async () => {
    const initializer = await t.app.inject('/api/docs/static/swagger-initializer.js');
    // A path relative to the page, so a fetch from this origin (connect-src 'self').
    const specPath = /url: resolveUrl\('\.\/([^']+)'\)/.exec(initializer.body)?.[1];
    expect(specPath, initializer.body).toBeDefined();
    const spec = await t.app.inject(`/api/docs/${String(specPath)}`);
    expect(spec.statusCode).toBe(200);
    expect(spec.json<{ openapi: string }>().openapi).toMatch(/^3\./);
  });
});
