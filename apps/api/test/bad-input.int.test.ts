import type { ErrorBody, PublicUser } from '@mentorhub/contracts';
import { parse } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN, signUp, signUpMentor, write } from './helpers/accounts';
import { OPEN_ALL_WEEK } from './helpers/availability';
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

describe('values that are not what they claim: one parser per scalar, none of which throws', () => {
  let mentor: { token: string; mentorId: number };
  beforeAll(async () => {
    mentor = await signUpMentor(t.app, 'scalars.mentor@example.com');
  });

  const notDates = [
    '',
    '0',
    'abc',
    '2026-13-01',
    '2026-02-30',
    '2026-01-01T00:00:00Z',
    '0000-01-01',
    '3000-01-01',
  ];

  it.each(notDates)('availability from=%j is a 400 naming the field, before any statement', async (from) => {
    const response = await t.app.inject(
      `/api/mentors/${mentor.mentorId}/availability?from=${encodeURIComponent(from)}&to=2026-06-01`,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorBody>().error.details).toContainEqual(
      expect.objectContaining({ path: 'query.from' }),
    );
    expect(queryCount(response)).toBe(0);
  });

  it('a query parameter without "=" is an empty value, refused the same way', async () => {
    const response = await t.app.inject(`/api/mentors/${mentor.mentorId}/availability?from&to=2026-06-01`);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details[0]?.path).toBe('query.from');
  });

  it('an override date that is not a date is a 400 and changes nothing', async () => {
    for (const date of ['2026-13-01', '0000-01-01', '', '2026-01-01T00:00:00Z']) {
      const response = await write(
        t.app,
        mentor.token,
        'PUT',
        `/api/mentors/${mentor.mentorId}/availability`,
        {
          ...OPEN_ALL_WEEK,
          overrides: [{ date, available: false }],
        },
      );
      expect(response.statusCode, date).toBe(400);
      expect(response.json<ErrorBody>().error.details[0]?.path).toBe('body.overrides.0.date');
    }
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: `/api/mentors/${mentor.mentorId}/availability`,
      headers: { origin: ORIGIN },
      payload: { ...OPEN_ALL_WEEK, overrides: [{ date: '2026-13-01', available: false }] },
    });
    expect(anonymous.statusCode).toBeGreaterThanOrEqual(400);
    expect(anonymous.statusCode).toBeLessThan(500);
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM availability_overrides WHERE mentor_id = ${mentor.mentorId}`.execute(
      t.database.db,
    );
    expect(rows[0]?.n).toBe(0);
  });

  it.each(['2147483648', '99999999999', '0'])('course key %s is an id out of range: 400', async (key) => {
    const response = await t.app.inject(`/api/courses/${key}`);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details[0]?.path).toBe('params.id');
    expect(queryCount(response)).toBe(0);
  });

  it('the largest id is a plain 404', async () => {
    expect((await t.app.inject('/api/courses/2147483647')).statusCode).toBe(404);
  });

  it.each([true, '1', '1e0', ' 1 ', '0x1', [1], 1.5, 0, 2_147_483_648])(
    'a JSON body takes a JSON number as an id: mentorId %j is a 400, nothing written',
    async (mentorId) => {
      const response = await write(t.app, user.token, 'POST', '/api/bookings', {
        mentorId,
        startsAt: '2030-01-01T10:00:00Z',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.details[0]?.path).toBe('body.mentorId');
      // Only the session lookup: authentication comes before the body is validated.
      expect(queryCount(response)).toBe(1);
    },
  );

  it.each(['0000-01-01T00:00:00Z', '3000-01-01T00:00:00Z', '2026-13-01T10:00:00Z', '2026-01-01', 'now'])(
    'startsAt %j is a 400',
    async (startsAt) => {
      const response = await write(t.app, user.token, 'POST', '/api/bookings', {
        mentorId: mentor.mentorId,
        startsAt,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.details[0]?.path).toBe('body.startsAt');
    },
  );

  it.each(['', ' ', '+', '+5', '-1', '0x10', '1e3', '1.0', ' 5', '5 ', '１'])(
    'query-string numbers are decimal digits only: limit=%j is a 400',
    async (limit) => {
      const response = await t.app.inject(`/api/mentors?limit=${encodeURIComponent(limit)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.details[0]?.path).toBe('query.limit');
    },
  );

  it('digits within bounds are read as decimal; a repeated parameter is refused', async () => {
    expect((await t.app.inject('/api/mentors?limit=05')).statusCode).toBe(200);
    expect(
      (await t.app.inject('/api/mentors?minRating=4.5&minPriceCents=0&maxPriceCents=10000000')).statusCode,
    ).toBe(200);
    expect((await t.app.inject('/api/mentors?minRating=4.')).statusCode).toBe(400);
    expect((await t.app.inject('/api/mentors?maxPriceCents=10000001')).statusCode).toBe(400);
    expect((await t.app.inject('/api/courses?instructorId=2147483648')).statusCode).toBe(400);
    expect((await t.app.inject('/api/mentors?limit=1&limit=2')).statusCode).toBe(400);
  });
});

describe('GraphQL query text that is not a GraphQL document', () => {
  const post = (body: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      headers: { origin: ORIGIN },
      payload: body as object,
    });

  it.each(['123', 'true', 'null', '[]', '{}', '"x"'])(
    'query %s is a 400 before validation',
    async (query) => {
      const response = await post({ query });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json<ErrorBody>().error).toEqual({
        code: 'VALIDATION_FAILED',
        message: 'The GraphQL query is invalid',
        details: [{ path: 'body.query', message: 'must be a GraphQL document' }],
      });
      expect(queryCount(response)).toBe(0);
    },
  );

  it('a syntax tree sent as JSON text is refused, not run', async () => {
    const tree = JSON.stringify(parse('{ expertise { slug } }', { noLocation: true }));
    const response = await post({ query: tree });
    expect(response.statusCode).toBe(400);
    expect(queryCount(response)).toBe(0);
  });

  it.each([123, true, null, [], {}])('a query of JSON type %j is a 400', async (query) => {
    const response = await post({ query });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details[0]?.path).toBe('body.query');
  });

  it.each([
    ['{ mentors(first: -1) { items { id } } }', 'args.first'],
    ['{ mentors(minRating: 5.5) { items { id } } }', 'args.minRating'],
    ['{ course(slugOrId: "2147483648") { id } }', 'args.slugOrId'],
    ['{ mentor(id: 0) { id } }', 'args.id'],
  ])('arguments meet the bounds of the query string: %s is a field error at %s', async (query, path) => {
    const response = await post({ query });
    expect(response.statusCode).toBe(200);
    const { errors } = response.json<{
      errors: { extensions: { code: string; details: { path: string }[] } }[];
    }>();
    expect(errors[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path }] });
  });
});

describe('keyset cursors altered by the client', () => {
  const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

  it.each([
    ['/api/courses?sort=newest', ['newest', 'garbage', 1]],
    ['/api/courses?sort=newest', ['newest', '2026-01-01T00:00:00.000Z', 2_147_483_648]],
    ['/api/courses?sort=price', ['price', 1.5, 1]],
    ['/api/mentors?sort=price', ['price', 1e300, 1]],
    ['/api/mentors?sort=rating', ['rating', 'abc', 1]],
    ['/api/mentors?sort=newest', ['newest', '99999-01-01', 1]],
    ['/api/mentors/1/reviews?limit=5', ['newest', 'x', 1]],
  ])('%s with cursor %j is a 400 before any statement', async (url, parts) => {
    const response = await t.app.inject(`${url}&cursor=${forged(parts)}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorBody>().error.details[0]?.path).toBe('query.cursor');
    expect(queryCount(response)).toBe(0);
  });
});
