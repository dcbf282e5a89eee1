import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { liveCloseCodes, type ErrorBody } from '@mentorhub/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { LAST_SEEN_INTERVAL_MS } from '../src/infra/auth/session';
import { ORIGIN, PASSWORD, registerAccount, signUp, write } from './helpers/accounts';
import { eventually } from './helpers/services';
import { createTestApp, type TestApp } from './helpers/test-app';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The defaults: SESSION_IDLE_DAYS and SESSION_MAX_DAYS. */
const IDLE = 7 * DAY;
const MAX = 30 * DAY;

/** A clock the test moves by hand. */
let now = Date.now();
const advance = (ms: number) => {
  now += ms;
};

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: false, clock: () => now, env: { LIVE_HEARTBEAT_SECONDS: '0.1' } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => t.close());

let accounts = 0;
const newAccount = () => signUp(t.app, `session-${++accounts}@example.com`);
const me = async (token: string) =>
  (await t.app.inject({ url: '/api/auth/me', cookies: { mh_session: token } })).statusCode;

async function lastSeen(userId: number): Promise<number> {
  const row = await t.app.db
    .selectFrom('sessions')
    .select('last_seen_at')
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.last_seen_at.getTime();
}

describe('session lifetimes', () => {
  it('ends a session nobody used for the idle timeout', async () => {
    const { token } = await newAccount();
    advance(IDLE - MINUTE);
    expect(await me(token)).toBe(200);
    advance(IDLE + MINUTE);
    expect(await me(token)).toBe(401);
  });

  it('extends the idle window with each use', async () => {
    const { token } = await newAccount();
    for (let day = 0; day < 3; day++) {
      advance(IDLE - DAY); // each step alone stays inside the window; together they are far past the first one
      expect(await me(token)).toBe(200);
    }
    advance(IDLE + MINUTE);
    expect(await me(token)).toBe(401);
  });

  it('stores the last use at most once per interval', async () => {
    const { token, userId } = await newAccount();
    const signedIn = await lastSeen(userId);
    expect(signedIn).toBe(now);
    advance(LAST_SEEN_INTERVAL_MS / 2);
    expect(await me(token)).toBe(200);
    expect(await me(token)).toBe(200);
    expect(await lastSeen(userId)).toBe(signedIn);
    advance(LAST_SEEN_INTERVAL_MS / 2);
    expect(await me(token)).toBe(200);
    expect(await lastSeen(userId)).toBe(now);
  });

  it('ends a session at its absolute lifetime, however active', async () => {
    const { token } = await newAccount();
    let used = 0;
    while (used + DAY < MAX) {
      advance(DAY);
      used += DAY;
      expect(await me(token)).toBe(200);
    }
    advance(MAX - used + MINUTE);
    expect(await me(token)).toBe(401);
  });

  it('tells the browser to keep the cookie for the absolute lifetime', async () => {
    const response = await registerAccount(t.app, { email: 'cookie-age@example.com', name: 'Cookie' });
    const cookie = response.cookies.find((c) => c.name === 'mh_session');
    expect(cookie?.maxAge).toBe(MAX / 1000);
  });
});

/** A live socket of `token`, recording its pings and how it closed. */
function openLive(token: string) {
  const { port } = t.app.server.address() as AddressInfo;
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, {
    headers: { cookie: `mh_session=${token}`, origin: ORIGIN },
  });
  const state = { pings: 0, closedWith: undefined as number | undefined, socket };
  socket.on('ping', () => state.pings++);
  socket.on('close', (code: number) => (state.closedWith = code));
  return new Promise<typeof state>((resolve, reject) => {
    socket.once('open', () => {
      resolve(state);
    });
    socket.once('error', reject);
  });
}

describe('live sockets and idle sessions', () => {
  it('closes the socket of a session that went idle', async () => {
    const { token } = await newAccount();
    const live = await openLive(token);
    await eventually(() => live.pings > 0);
    advance(IDLE + MINUTE);
    await eventually(() => live.closedWith !== undefined);
    expect(live.closedWith).toBe(liveCloseCodes.sessionEnded);
  });

  it('keeps the socket of a session used elsewhere past its first deadline', async () => {
    const { token } = await newAccount();
    const live = await openLive(token);
    advance(IDLE - DAY);
    expect(await me(token)).toBe(200); // another tab: the session moves on
    advance(2 * DAY); // past the deadline the socket was opened with
    // A socket whose deadline has passed is not pinged until the session was read again: pings prove it lives on.
    const pings = live.pings;
    await eventually(() => live.pings >= pings + 2);
    expect(live.closedWith).toBeUndefined();
    advance(IDLE);
    await eventually(() => live.closedWith !== undefined);
    expect(live.closedWith).toBe(liveCloseCodes.sessionEnded);
  });
});

describe('guessable passwords', () => {
  /** The password is chosen on the page the sign-up's mailed link opens. */
  const register = (email: string, password: string, name = 'Grace Hopper') =>
    registerAccount(t.app, { email, password, name });

  it.each([
    'aaaaaaaa',
    'Passw0rd!',
    'iloveyou1',
    'qwerty123!',
    'P@ssword1',
    '12345678a',
    'abcdefgh',
    'Welcome1!',
  ])('refuses %s at sign-up with a field error, and sets no password', async (password) => {
    const email = `weak-${Buffer.from(password).toString('hex')}@example.com`;
    const response = await register(email, password);
    expect(response.statusCode).toBe(400);
    const { error } = response.json<ErrorBody>();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((detail) => detail.path)).toEqual(['body.password']);
    expect(error.details[0]?.message).toMatch(/too easy to guess/);
    const user = await t.app.db
      .selectFrom('users')
      .select(['password_hash', 'email_verified_at'])
      .where('email', '=', email)
      .executeTakeFirst();
    expect(user).toEqual({ password_hash: null, email_verified_at: null });
  });

  it('refuses a password made of the account’s own email or name', async () => {
    const response = await register('grace.hopper@example.com', 'gracehopper', 'Grace Hopper');
    expect(response.statusCode).toBe(400);
  });

  it('accepts long passphrases and passwords of no known pattern', async () => {
    for (const [index, password] of ['correct horse battery staple', 'xK9#mPq2vL!r', PASSWORD].entries())
      expect((await register(`strong-${index}@example.com`, password)).statusCode, password).toBe(201);
  });

  it('refuses a guessable new password and keeps the old one', async () => {
    const { token } = await newAccount();
    const changed = await write(t.app, token, 'POST', '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'Passw0rd!',
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json<ErrorBody>().error.details[0]?.path).toBe('body.newPassword');
    expect(changed.cookies).toEqual([]); // no new session: this one goes on
    expect(await me(token)).toBe(200);
  });

  it('is not part of the contracts the web app imports: they depend on zod alone', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../../packages/contracts/package.json', import.meta.url), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['zod']);
  });
});
