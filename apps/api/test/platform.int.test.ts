import type { ErrorBody } from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getJson, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 20, mentors: 5, courses: 5, enrollments: 10, bookings: 10 } });
});
afterAll(() => t.close());

describe('operations endpoints', () => {
  it('GET /health answers while the process lives', async () => {
    expect(await getJson(t.app, '/health')).toEqual({ status: 'ok' });
  });

  it('GET /ready checks the database', async () => {
    expect(await getJson(t.app, '/ready')).toEqual({ status: 'ok' });
  });
});

describe('error shape', () => {
  it('unknown routes answer 404 in the common error shape', async () => {
    const body = await getJson<ErrorBody>(t.app, '/api/nothing-here?x=1', 404);
    expect(body).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route for GET /api/nothing-here', details: [] },
    });
  });

  it('a failing statement is a 500 without stack trace, SQL or driver message', async () => {
    expect((await t.app.inject('/api/mentors/1')).statusCode).toBe(200);
    // Break the schema under the running app, so the database itself rejects the statement.
    await sql`ALTER TABLE mentors RENAME COLUMN headline TO headline_renamed`.execute(t.database.db);
    try {
      const failed = await t.app.inject('/api/mentors/2'); // not cached yet, so the database is asked
      expect(failed.statusCode).toBe(500);
      expect(failed.json<ErrorBody>()).toEqual({
        error: {
          code: 'INTERNAL',
          message: 'Something went wrong on our side; it has been logged.',
          details: [],
        },
      });
      expect(failed.body).not.toMatch(/headline|select|column|at .*\.ts/i);
    } finally {
      await sql`ALTER TABLE mentors RENAME COLUMN headline_renamed TO headline`.execute(t.database.db);
    }
  });

  it('a path with invalid percent-encoding is a 400, not a crash', async () => {
    const response = await t.app.inject('/api/courses/%E0%A4%A');
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });
});
