import type { SessionUser } from '@mentorhub/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoAccounts, enableDemoAccounts } from '../src/modules/auth/demo-accounts';
import { createTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 40, mentors: 8, courses: 4, enrollments: 10, bookings: 10 } });
  await enableDemoAccounts(t.app.db);
});
afterAll(() => t.close());

describe('demo accounts on a demo database', () => {
  it.each([
    ['admin', demoAccounts.admin],
    ['mentor', demoAccounts.mentor],
    ['mentee', demoAccounts.mentee],
  ] as const)('the %s signs in with the demo password', async (role, email) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: DEMO_PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ user: SessionUser }>().user).toMatchObject({ email, role });
  });

  it('the demo mentor is listed, so the studio and bookings can be tried at once', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: demoAccounts.mentor, password: DEMO_PASSWORD },
    });
    const { mentorId } = login.json<{ user: SessionUser }>().user;
    expect(mentorId).not.toBeNull();
    expect((await t.app.inject(`/api/mentors/${String(mentorId)}`)).statusCode).toBe(200);
  });
});
