import type { ErrorBody, PublicUser } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, signUp } from './helpers/accounts';
import { createTestApp, queryCount, type TestApp } from './helpers/test-app';

let t: TestApp;
let user: { token: string; userId: number };

beforeAll(async () => {
  t = await createTestApp({ seed: { users: 10, mentors: 3, courses: 2, enrollments: 0, bookings: 0 } });
  user = await signUp(t.app, 'utf8@example.com');
});
afterAll(() => t.close());

function sendJson(method: 'POST' | 'PATCH', url: string, body: Buffer, signedIn = true) {
  return t.app.inject({
    method,
    url,
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    ...(signedIn ? { cookies: { mh_session: user.token } } : {}),
    payload: body,
  });
}

async function userCount(): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM users`.execute(t.database.db);
  return rows[0]?.n ?? 0;
}

const invalidUtf8Bodies: [string, Buffer][] = [
  // {"n":"\xC3("}: a two-byte sequence cut short.
  ['truncated sequence', Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
  ['overlong "/"', Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
  [
    'encoded surrogate',
    Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
  ],
  ['bad byte in a key', Buffer.concat([Buffer.from('{"na'), Buffer.from([0xff]), Buffer.from('me":"x"}')])],
];

describe('JSON bodies that are not valid UTF-8', () => {
  it.each(invalidUtf8Bodies)(
    '%s: 400 MALFORMED_JSON on a signed-in write, before any statement but the session lookup',
    async (_, body) => {
      const response = await sendJson('PATCH', `/api/users/${user.userId}`, body);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>()).toEqual({
        error: { code: 'MALFORMED_JSON', message: 'The request body is not valid UTF-8', details: [] },
      });
      // Authentication comes before the body is read (docs/security.md).
      expect(queryCount(response)).toBe(1);
    },
  );

  it('never stores a replacement character: registration with a broken name is refused', async () => {
    const before = await userCount();
    const body = Buffer.concat([
      Buffer.from('{"email":"broken@example.com","password":"a long enough password","name":"Bro'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const response = await sendJson('POST', '/api/auth/register', body, false);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('MALFORMED_JSON');
    expect(queryCount(response)).toBe(0);
    expect(await userCount()).toBe(before);
  });

  it('other write routes refuse it the same way', async () => {
    const response = await sendJson(
      'POST',
      '/api/me/notifications/read',
      invalidUtf8Bodies[0]?.[1] ?? Buffer.alloc(0),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('MALFORMED_JSON');
  });

  it('valid multi-byte UTF-8 still goes through, and broken JSON is still MALFORMED_JSON', async () => {
    const ok = await sendJson(
      'PATCH',
      `/api/users/${user.userId}`,
      Buffer.from('{"name":"Zoë Ünal 😀"}', 'utf8'),
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<PublicUser>().name).toBe('Zoë Ünal 😀');
    const broken = await sendJson('PATCH', `/api/users/${user.userId}`, Buffer.from('{"name":'));
    expect(broken.statusCode).toBe(400);
    expect(broken.json<ErrorBody>().error.code).toBe('MALFORMED_JSON');
    const empty = await sendJson('PATCH', `/api/users/${user.userId}`, Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    const proto = await sendJson('PATCH', `/api/users/${user.userId}`, Buffer.from('{"__proto__":{"x":1}}'));
    expect(proto.statusCode).toBe(400);
  });
});

describe('URLs with invalid percent-encoding or NUL', () => {
  it.each([
    '/api/mentors?q=%C3%28',
    '/api/courses?q=%C3%28',
    '/api/mentors?q=%E0%A4%A',
    '/api/mentors?q=100%',
    '/api/mentors?q=%ED%A0%80',
    '/api/mentors?q=ok&sort=%FF',
    '/api/mentors?q=a%00b',
    '/api/mentors?q=%00',
    '/api/courses?q=ok&x%00y=1',
  ])('%s is a 400 with a machine-readable body', async (url) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    expect(queryCount(response)).toBe(0);
  });

  it.each([
    '/api/users/%C3%28',
    '/api/mentors/%C3%28',
    '/api/courses/%C3%28',
    '/api/users/%00',
    '/api/media/1/%C3%28',
  ])('path %s is a 400', async (url) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });

  it('valid percent-encoded UTF-8 still works', async () => {
    expect((await t.app.inject('/api/mentors?q=caf%C3%A9')).statusCode).toBe(200);
    expect((await t.app.inject('/api/mentors?q=a%20b+c')).statusCode).toBe(200);
  });
});
