import { timezoneSchema, type ErrorBody, type PublicUser, type SessionUser } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailedToken, ORIGIN, registerAccount, sessionTokenOf, signIn } from './helpers/accounts';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 30, mentors: 5, courses: 5, enrollments: 10, bookings: 10 } });
});
afterAll(() => t.close());

let ipCounter = 1;
/** Each test signs in from its own address, so per-address limits of one test never leak into another. */
const freshIp = () => `10.0.0.${ipCounter++}`;

/** A sign-up completed through its mailed link: the verification's answer (201, session cookie, user). */
function register(email: string, password = 'correct horse battery', name = 'Ada Lovelace') {
  return registerAccount(t.app, { email, password, name }, freshIp());
}

const startSignUp = (payload: object, remoteAddress = freshIp()) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload, remoteAddress });

const verify = (payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/verify-email', payload, headers, remoteAddress: freshIp() });

async function userRow(email: string) {
  const { rows } = await sql<{ n: number; with_password: number }>`
    SELECT count(*)::int AS n, count(password_hash)::int AS with_password FROM users WHERE email = ${email}`.execute(
    t.database.db,
  );
  return rows[0];
}

const me = (token: string) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { mh_session: token } });

describe('registration', () => {
  it("takes the browser's timezone under IANA's current name, stored as the zone list names it", async () => {
    const response = await registerAccount(
      t.app,
      { email: 'kyiv@example.com', name: 'Olena Kyiv', timezone: 'Europe/Kyiv' },
      freshIp(),
    );
    expect(response.statusCode).toBe(201);
    const { user } = response.json<{ user: SessionUser }>();
    expect(user.timezone).toBe(timezoneSchema.parse('Europe/Kiev'));
    expect(Intl.supportedValuesOf('timeZone')).toContain(user.timezone);
  });

  it('creates the account, signs it in with an HttpOnly SameSite=Lax cookie, and never returns the hash', async () => {
    const response = await register('Ada@Example.com');
    expect(response.statusCode).toBe(201);
    const cookie = response.cookies.find((c) => c.name === 'mh_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);
    const { user } = response.json<{ user: SessionUser }>();
    expect(user).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role: 'mentee',
      mentorId: null,
    });
    expect(response.body).not.toMatch(/argon2|password/i);
    const { rows } = await sql<{
      password_hash: string;
      token_hash: Buffer;
    }>`SELECT u.password_hash, s.token_hash
      FROM users u JOIN sessions s ON s.user_id = u.id WHERE u.email = 'ada@example.com'`.execute(
      t.database.db,
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0]?.token_hash.toString('base64url')).not.toBe(cookie?.value); // only the hash is stored
    expect((await me(cookie?.value ?? '')).json<{ user: SessionUser }>().user.id).toBe(user.id);
  });

  it('ten concurrent sign-ups with one email all answer 202 and make one account', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => startSignUp({ email: 'race@example.com', name: 'Race' })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array<number>(10).fill(202));
    expect(await userRow('race@example.com')).toEqual({ n: 1, with_password: 0 });
  });

  it.each([
    [{ email: 'not-an-email', name: 'D' }, 'body.email'],
    [{ email: 'e@example.com', name: 'E\u0000vil' }, 'body.name'],
    [{ email: 'f@example.com', name: 'F', role: 'admin' }, 'body'],
    [{ email: 'p@example.com', name: 'P', password: 'chosen too early' }, 'body'],
    [{ email: 'g@example.com', name: 'G', timezone: 'Mars/Base' }, 'body.timezone'],
  ])('refuses the sign-up %o with a 400 at %s, writing nothing', async (payload, path) => {
    const response = await startSignUp(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    expect((await userRow(payload.email))?.n).toBe(0);
  });

  it.each([
    ['short', 'body.password'],
    ['Password123', 'body.password'],
    ['x'.repeat(129), 'body.password'],
    ['gracehopper', 'body.password'], // the account's own name
  ])('refuses the password %s at %s, keeping the link usable', async (password, path) => {
    const email = `verify.${String(password.length)}${password.slice(0, 3)}@example.com`;
    await startSignUp({ email, name: 'Grace Hopper' });
    const token = await mailedToken(t.app, email.toLowerCase());
    const refused = await verify({ token, password });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    expect(refused.cookies).toEqual([]);
    expect(await userRow(email.toLowerCase())).toEqual({ n: 1, with_password: 0 });
    expect((await verify({ token, password: 'a fine long passphrase' })).statusCode).toBe(201);
  });

  it('verifies, sets the password and starts the session in one transaction: a failed session insert changes nothing', async () => {
    // A real fault at the session insert, for this one verification only.
    await sql`CREATE FUNCTION fail_session_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'session insert failed'; END $$`.execute(t.database.db);
    await sql`CREATE TRIGGER fail_session_insert BEFORE INSERT ON sessions FOR EACH ROW
      WHEN (NEW.user_agent = 'interrupted sign-up') EXECUTE FUNCTION fail_session_insert()`.execute(
      t.database.db,
    );
    await startSignUp({ email: 'atomic@example.com', name: 'Atomic' });
    const token = await mailedToken(t.app, 'atomic@example.com');
    const payload = { token, password: 'correct horse battery' };
    const interrupted = await verify(payload, { 'user-agent': 'interrupted sign-up' });
    await sql`DROP TRIGGER fail_session_insert ON sessions`.execute(t.database.db);
    await sql`DROP FUNCTION fail_session_insert`.execute(t.database.db);
    expect(interrupted.statusCode).toBe(500);
    expect(interrupted.body).not.toMatch(/session insert failed/);
    expect(await userRow('atomic@example.com')).toEqual({ n: 1, with_password: 0 });
    expect((await verify(payload)).statusCode).toBe(201);
  });

  it('limits sign-ups per address (10 an hour), saying when to retry', async () => {
    const address = freshIp();
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const response = await startSignUp({ email: `many${n}@example.com`, name: 'Many' }, address);
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(202), 429]);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM users WHERE email LIKE 'many%@example.com'`.execute(t.database.db);
    expect(rows[0]?.n).toBe(10);
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and an oversized body with 413', async () => {
    const post = (payload: string, contentType: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload,
        headers: { 'content-type': contentType },
      });
    const malformed = await post('{"email": ', 'application/json');
    expect([malformed.statusCode, malformed.json<ErrorBody>().error.code]).toEqual([400, 'MALFORMED_JSON']);
    const wrongType = await post('email=a@example.com', 'application/x-www-form-urlencoded');
    expect([wrongType.statusCode, wrongType.json<ErrorBody>().error.code]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    const huge = await post(
      JSON.stringify({ email: 'h@example.com', password: 'long enough pass', name: 'x'.repeat(2_000_000) }),
      'application/json',
    );
    expect([huge.statusCode, huge.json<ErrorBody>().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});

describe('login and sessions', () => {
  beforeAll(async () => {
    await register('grace@example.com', 'compilers are fun', 'Grace Hopper');
  });

  const login = (
    email: string,
    password: string,
    remoteAddress = freshIp(),
    cookies: Record<string, string> = {},
  ) => signIn(t.app, { email, password }, remoteAddress, { cookies });

  it('gives the same answer for an unknown email and a wrong password', async () => {
    const unknown = await login('nobody@example.com', 'compilers are fun');
    const wrong = await login('grace@example.com', 'compilers are dull');
    expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(unknown.body).toBe(wrong.body);
    expect(unknown.cookies).toEqual([]);
  });

  it('rotates the session at login and revokes it at logout', async () => {
    const first = sessionTokenOf(await login('grace@example.com', 'compilers are fun'));
    const second = await login('grace@example.com', 'compilers are fun', freshIp(), { mh_session: first });
    expect(second.statusCode).toBe(200);
    const token = sessionTokenOf(second);
    expect(token).not.toBe(first);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(token)).statusCode).toBe(200);

    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: { mh_session: token },
      headers: { origin: ORIGIN },
    });
    expect(logout.statusCode).toBe(204);
    expect(logout.cookies.find((c) => c.name === 'mh_session')?.value).toBe('');
    expect((await me(token)).json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
  });

  it('counts a guess before checking it: of 25 concurrent wrong passwords from one address, 5 are checked', async () => {
    await register('guessed@example.com', 'the right password', 'Guessed At');
    const attacker = freshIp();
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => login('guessed@example.com', 'wrong password', attacker)),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(20).fill(429)]);
    const blocked = responses.find((r) => r.statusCode === 429);
    expect(blocked?.json<ErrorBody>().error.code).toBe('RATE_LIMITED');
    expect(Number(blocked?.headers['retry-after'])).toBeGreaterThan(0);
    // The attacker's address stays locked out of the account, even with the right password…
    expect((await login('guessed@example.com', 'the right password', attacker)).statusCode).toBe(429);
    // …while the owner, signing in from their own address during the attack, gets in.
    expect((await login('guessed@example.com', 'the right password', freshIp())).statusCode).toBe(200);
  });

  it('limits attempts per address across accounts', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 31; attempt++)
      statuses.push((await login(`user${attempt}@example.com`, 'whatever it is', ip)).statusCode);
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe('PATCH /api/users/:id', () => {
  let token: string;
  let userId: number;
  beforeAll(async () => {
    const response = await register('editor@example.com', 'edit my profile', 'Edith Editor');
    token = sessionTokenOf(response);
    userId = response.json<{ user: SessionUser }>().user.id;
  });

  const patch = (
    id: number,
    payload: object,
    headers: Record<string, string> = { origin: ORIGIN },
    cookies = { mh_session: token },
  ) => t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, payload, headers, cookies });

  it('updates your own profile and refreshes the cached public profile', async () => {
    await t.app.inject(`/api/users/${userId}`);
    expect(serverTiming(await t.app.inject(`/api/users/${userId}`)).cache).toBe('hit');
    const response = await patch(userId, {
      name: 'Edith Renamed',
      bio: 'Line one\nLine two',
      timezone: 'Europe/Berlin',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<PublicUser>()).toMatchObject({
      name: 'Edith Renamed',
      bio: 'Line one\nLine two',
      timezone: 'Europe/Berlin',
    });
    const after = await t.app.inject(`/api/users/${userId}`);
    expect(serverTiming(after).cache).toBe('miss');
    expect(after.json<PublicUser>().name).toBe('Edith Renamed');
  });

  it('refuses another user’s profile (403), anonymous writes (401) and empty or invalid bodies (400)', async () => {
    expect((await patch(1, { name: 'Hijacked' })).statusCode).toBe(403);
    expect((await patch(userId, { name: 'Anon' }, { origin: ORIGIN }, { mh_session: '' })).statusCode).toBe(
      401,
    );
    expect((await patch(userId, {})).statusCode).toBe(400);
    expect(
      (await patch(userId, { timezone: 'Nowhere/Special' })).json<ErrorBody>().error.details[0]?.path,
    ).toBe('body.timezone');
    expect((await patch(userId, { email: 'new@example.com' })).statusCode).toBe(400);
    const { rows } = await sql<{ name: string }>`SELECT name FROM users WHERE id = 1`.execute(t.database.db);
    expect(rows[0]?.name).not.toBe('Hijacked');
  });

  it('refuses signed-in writes from another origin or with no origin at all (CSRF)', async () => {
    const foreign = await patch(userId, { name: 'Forged' }, { origin: 'https://evil.example' });
    expect([foreign.statusCode, foreign.json<ErrorBody>().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await patch(userId, { name: 'Forged' }, {})).statusCode).toBe(403);
    expect((await patch(userId, { name: 'Via Referer' }, { referer: `${ORIGIN}/settings` })).statusCode).toBe(
      200,
    );
  });
});

describe('POST /api/auth/password', () => {
  it('changes the password, signs out every other session and keeps this browser signed in', async () => {
    const first = await register('rotate@example.com', 'old password here');
    const laptop = sessionTokenOf(first);
    const phone = sessionTokenOf(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'rotate@example.com', password: 'old password here' },
        remoteAddress: freshIp(),
      }),
    );
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'old password here', newPassword: 'brand new password' },
      cookies: { mh_session: laptop },
      headers: { origin: ORIGIN },
    });
    expect(changed.statusCode).toBe(200);
    const fresh = sessionTokenOf(changed);
    expect((await me(laptop)).statusCode).toBe(401);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(fresh)).statusCode).toBe(200);
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'rotate@example.com', password },
        remoteAddress: freshIp(),
      });
    expect((await login('old password here')).statusCode).toBe(401);
    expect((await login('brand new password')).statusCode).toBe(200);
  });

  it('refuses a wrong current password (400 on the field) and a common new one', async () => {
    const token = sessionTokenOf(await register('careful@example.com', 'my real password'));
    const change = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload,
        cookies: { mh_session: token },
        headers: { origin: ORIGIN },
      });
    const wrong = await change({ currentPassword: 'not my password', newPassword: 'another fine password' });
    expect([wrong.statusCode, wrong.json<ErrorBody>().error.details[0]?.path]).toEqual([
      400,
      'body.currentPassword',
    ]);
    const common = await change({ currentPassword: 'my real password', newPassword: 'password123' });
    expect(common.json<ErrorBody>().error.details[0]?.path).toBe('body.newPassword');
    expect((await me(token)).statusCode).toBe(200); // nothing changed, still signed in
  });
});
