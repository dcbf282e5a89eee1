import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './helpers/accounts';
import { createTestApp, type TestApp } from './helpers/test-app';

/** pino's numeric level of "error". */
const ERROR = 50;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    seed: false,
    routes: (app) => {
      app.get('/test/broken', () => {
        throw new Error('a bug in a handler');
      });
    },
  });
});
afterAll(() => t.close());

const errorLines = () => t.logs.filter((line) => Number(line.level) >= ERROR);

describe('error-level log lines', () => {
  it('are never written for client errors or rate limits', async () => {
    const { token } = await signUp(t.app, 'log-levels@example.com');
    const statuses = [
      (await t.app.inject('/api/mentors?limit=abc')).statusCode,
      (await t.app.inject('/api/me/bookings')).statusCode,
      (await t.app.inject({ url: '/api/me/bookings', cookies: { mh_session: `${token}x` } })).statusCode,
      (await t.app.inject('/api/mentors/999999')).statusCode,
      (await t.app.inject('/api/no-such-route')).statusCode,
      (await t.app.inject('/api/mentors/%E0%A4%A')).statusCode,
      (await t.app.inject('/metrics')).statusCode,
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{"email":',
        })
      ).statusCode,
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(2 * 1024 * 1024) }),
        })
      ).statusCode,
    ];
    expect(statuses).toEqual([400, 401, 401, 404, 404, 400, 404, 400, 413]);

    let limited = false;
    for (let attempt = 0; attempt < 10 && !limited; attempt++) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'log-levels@example.com', password: `wrong guess ${attempt}` },
      });
      expect([401, 429]).toContain(login.statusCode);
      limited = login.statusCode === 429;
    }
    expect(limited).toBe(true);
    expect(errorLines()).toEqual([]);
  });

  it('are written for a real fault, without its details reaching the client', async () => {
    const response = await t.app.inject('/test/broken');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('a bug in a handler');
    expect(errorLines()).toEqual([expect.objectContaining({ msg: 'Unhandled error' })]);
  });
});
