import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import createClient, { type Client } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTypesFile, renderClientTypes } from '../src/cli/openapi-document';
import { mailedToken, ORIGIN } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { createTestApp, type TestApp } from './helpers/test-app';
import type { operations, paths } from './generated/openapi';

let t: TestApp;
let api: Client<paths>;
beforeAll(async () => {
  t = await createTestApp({ seed: false });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  api = createClient<paths>({ baseUrl: `http://127.0.0.1:${port}` });
});
afterAll(() => t.close());

/** The headers a browser sends for a signed-in, same-origin request. */
const signedIn = (cookie: string) => ({ cookie, origin: ORIGIN });

describe('the client generated from the OpenAPI document', () => {
  it('is up to date with the live document (regenerate with npm run openapi:client)', async () => {
    const live = await t.app.inject('/api/openapi.json');
    expect(await renderClientTypes(live.json())).toBe(await readFile(clientTypesFile, 'utf8'));
  });

  it('registers, finds a mentor, requests a session and reads it back against the running API', async () => {
    const mentor = await signUpBookableMentor(t.app, 'client-mentor@example.com');

    const started = await api.POST('/api/auth/register', {
      body: { email: 'client-mentee@example.com', name: 'Client' },
    });
    expect([started.response.status, started.data?.status]).toEqual([202, 'verification-sent']);
    const registered = await api.POST('/api/auth/verify-email', {
      body: {
        token: await mailedToken(t.app, 'client-mentee@example.com'),
        password: 'a long enough password',
      },
    });
    expect(registered.response.status).toBe(201);
    const cookie = registered.response.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^mh_session=/);
    expect(registered.data?.user.email).toBe('client-mentee@example.com');

    const mentors = await api.GET('/api/mentors', { params: { query: { limit: '10' } } });
    expect(mentors.data?.items.map((m) => m.id)).toContain(mentor.mentorId);
    const detail = await api.GET('/api/mentors/{id}', { params: { path: { id: String(mentor.mentorId) } } });
    expect(detail.data?.id).toBe(mentor.mentorId);

    const body: operations['createBooking']['requestBody']['content']['application/json'] = {
      mentorId: mentor.mentorId,
      startsAt: hourFromNow(48),
    };
    const created = await api.POST('/api/bookings', { body, headers: signedIn(cookie) });
    expect(created.response.status, JSON.stringify(created.error)).toBe(201);
    const bookingId = String(created.data?.id);

    const read = await api.GET('/api/bookings/{id}', {
      params: { path: { id: bookingId } },
      headers: signedIn(cookie),
    });
    expect(read.data).toMatchObject({ status: 'requested', startsAt: body.startsAt });
    const mine = await api.GET('/api/me/bookings', { params: { query: {} }, headers: signedIn(cookie) });
    expect(mine.data?.items.map((b) => String(b.id))).toEqual([bookingId]);

    const confirmed = await api.POST('/api/bookings/{id}/confirm', {
      params: { path: { id: bookingId } },
      headers: signedIn(`mh_session=${mentor.token}`),
    });
    expect(confirmed.data?.status).toBe('confirmed');
  });

  it('gets the one error shape, typed, for a refusal', async () => {
    const anonymous = await api.POST('/api/bookings', { body: { mentorId: 1, startsAt: hourFromNow(48) } });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.error.code).toBe('UNAUTHENTICATED');
  });
});
