import type {
  ErrorBody,
  MentorApplication,
  MentorDetail,
  MentorSummary,
  Page,
  PublicUser,
} from '@mentorhub/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, write } from './helpers/accounts';
import { createTestApp, serverTiming, type TestApp } from './helpers/test-app';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await createTestApp({ seed: { users: 30, mentors: 5, courses: 5, enrollments: 10, bookings: 10 } });
  admin = (await signUp(t.app, 'admin.reviewer@example.com', 'admin')).token;
});
afterAll(() => t.close());

const application = {
  headline: 'Staff engineer · distributed systems',
  bio: 'I help teams design systems that stay up.\nTen years of on-call.',
  hourlyRateCents: 12_000,
  languages: ['en', 'de'],
  timezone: 'Europe/Berlin',
  expertise: ['go', 'distributed-systems'],
};

describe('mentor applications', () => {
  it('files a pending application that is not listed until an admin approves it', async () => {
    const { token, userId } = await signUp(t.app, 'applicant@example.com');
    const listed = async () =>
      (await t.app.inject('/api/mentors?limit=100&sort=newest'))
        .json<Page<MentorSummary>>()
        .items.map((m) => m.user.id);
    expect(await listed()).not.toContain(userId);
    expect(serverTiming(await t.app.inject('/api/mentors?limit=100&sort=newest')).cache).toBe('hit');

    const filed = await write(t.app, token, 'POST', '/api/mentors', application);
    expect(filed.statusCode).toBe(201);
    const { id, status } = filed.json<MentorApplication>();
    expect(status).toBe('pending');
    expect((await t.app.inject(`/api/mentors/${id}`)).statusCode).toBe(404);

    const approved = await write(t.app, admin, 'POST', `/api/mentors/${id}/approve`);
    expect([approved.statusCode, approved.json<MentorApplication>().status]).toEqual([200, 'approved']);
    expect(await listed()).toContain(userId); // the cached list was invalidated
    const profile = await t.app.inject(`/api/mentors/${id}`);
    expect(profile.json<MentorDetail>()).toMatchObject({
      headline: application.headline,
      languages: ['en', 'de'],
      expertise: [
        { slug: 'distributed-systems', name: 'Distributed Systems' },
        { slug: 'go', name: 'Go' },
      ],
    });
    expect((await t.app.inject(`/api/users/${userId}`)).json<PublicUser>()).toMatchObject({
      role: 'mentor',
      mentorId: id,
    });

    const again = await write(t.app, admin, 'POST', `/api/mentors/${id}/reject`);
    expect([again.statusCode, again.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
  });

  it('accepts one application per user, even when five arrive at once', async () => {
    const { token, userId } = await signUp(t.app, 'eager@example.com');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => write(t.app, token, 'POST', '/api/mentors', application)),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const { rows } = await sql<{
      n: number;
      tags: number;
    }>`SELECT count(DISTINCT m.id)::int AS n, count(me.tag_id)::int AS tags
      FROM mentors m LEFT JOIN mentor_expertise me ON me.mentor_id = m.id WHERE m.user_id = ${userId}`.execute(
      t.database.db,
    );
    expect(rows[0]).toEqual({ n: 1, tags: 2 });
  });

  it('lets only admins decide, and only on applications that exist', async () => {
    const { token } = await signUp(t.app, 'not.an.admin@example.com');
    const other = await signUp(t.app, 'pending.one@example.com');
    const { id } = (
      await write(t.app, other.token, 'POST', '/api/mentors', application)
    ).json<MentorApplication>();
    expect((await write(t.app, token, 'POST', `/api/mentors/${id}/approve`)).statusCode).toBe(403);
    expect((await write(t.app, other.token, 'POST', `/api/mentors/${id}/approve`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/mentors/${id}/approve` })).statusCode).toBe(401);
    expect((await write(t.app, admin, 'POST', '/api/mentors/999999/approve')).statusCode).toBe(404);
    const rejected = await write(t.app, admin, 'POST', `/api/mentors/${id}/reject`);
    expect(rejected.json<MentorApplication>().status).toBe('rejected');
    expect((await t.app.inject(`/api/mentors/${id}`)).statusCode).toBe(404);
  });

  it.each([
    [{ ...application, expertise: ['go', 'underwater-basketry'] }, 'body.expertise'],
    [{ ...application, expertise: [] }, 'body.expertise'],
    [{ ...application, hourlyRateCents: -1 }, 'body.hourlyRateCents'],
    [{ ...application, timezone: 'Europe/Atlantis' }, 'body.timezone'],
    [{ ...application, headline: 'Null\u0000byte' }, 'body.headline'],
    [{ ...application, status: 'approved' }, 'body'],
  ])('rejects an invalid application (%#) with 400 at %s and writes nothing', async (payload, path) => {
    const { token, userId } = await signUp(
      t.app,
      `invalid${Math.random().toString(36).slice(2)}@example.com`,
    );
    const response = await write(t.app, token, 'POST', '/api/mentors', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.details.map((d) => d.path)).toContain(path);
    const { rows } = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM mentors WHERE user_id = ${userId}`.execute(t.database.db);
    expect(rows[0]?.n).toBe(0);
  });

  it('requires a signed-in user', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/mentors', payload: application });
    expect([response.statusCode, response.json<ErrorBody>().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('PATCH /api/mentors/:id', () => {
  it('edits your own profile, replaces expertise, and refreshes lists and the profile page', async () => {
    const { token } = await signUp(t.app, 'editing.mentor@example.com');
    const { id } = (await write(t.app, token, 'POST', '/api/mentors', application)).json<MentorApplication>();
    await write(t.app, admin, 'POST', `/api/mentors/${id}/approve`);
    const cheapest = () => t.app.inject('/api/mentors?sort=price&limit=1');
    await cheapest();
    expect(serverTiming(await cheapest()).cache).toBe('hit');

    const edited = await write(t.app, token, 'PATCH', `/api/mentors/${id}`, {
      hourlyRateCents: 0,
      expertise: ['rust'],
    });
    expect(edited.statusCode).toBe(200);
    const first = (await cheapest()).json<Page<MentorSummary>>().items[0];
    expect(first).toMatchObject({
      id,
      hourlyRate: { amountCents: 0 },
      expertise: [{ slug: 'rust', name: 'Rust' }],
    });
    expect((await t.app.inject(`/api/mentors/${id}`)).json<MentorDetail>().headline).toBe(
      application.headline,
    );
  });

  it('refuses someone else’s profile (403), unknown expertise and empty edits (400)', async () => {
    const owner = await signUp(t.app, 'owner.mentor@example.com');
    const { id } = (
      await write(t.app, owner.token, 'POST', '/api/mentors', application)
    ).json<MentorApplication>();
    const { token } = await signUp(t.app, 'intruder@example.com');
    expect(
      (await write(t.app, token, 'PATCH', `/api/mentors/${id}`, { headline: 'Mine now' })).statusCode,
    ).toBe(403);
    expect(
      (await write(t.app, owner.token, 'PATCH', `/api/mentors/${id}`, { expertise: ['nope'] })).statusCode,
    ).toBe(400);
    expect((await write(t.app, owner.token, 'PATCH', `/api/mentors/${id}`, {})).statusCode).toBe(400);
    expect(
      (await write(t.app, owner.token, 'PATCH', '/api/mentors/999999', { headline: 'Ghost' })).statusCode,
    ).toBe(404);
    const { rows } = await sql<{ headline: string }>`SELECT headline FROM mentors WHERE id = ${id}`.execute(
      t.database.db,
    );
    expect(rows[0]?.headline).toBe(application.headline);
  });
});
