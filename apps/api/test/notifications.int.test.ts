import type { ErrorBody, MarkNotificationsReadResponse, NotificationPage } from '@mentorhub/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewNotification } from '@mentorhub/contracts';
import { insertNotifications } from '../src/modules/notifications/notifications.repository';
import { signUp, write } from './helpers/accounts';
import { createTestApp, queryCount, type TestApp } from './helpers/test-app';

let t: TestApp;
let alice: { token: string; userId: number };
let bob: { token: string; userId: number };
const aliceIds: number[] = [];
const bobIds: number[] = [];

function list(token: string, query = '') {
  return t.app.inject({ url: `/api/me/notifications${query}`, cookies: { mh_session: token } });
}

beforeAll(async () => {
  t = await createTestApp({ seed: false, env: { CACHE_ENABLED: 'false' } });
  alice = await signUp(t.app, 'alice@example.com');
  bob = await signUp(t.app, 'bob@example.com');
  for (let i = 1; i <= 5; i += 1) {
    const { id } = await insertOne({
      userId: alice.userId,
      type: 'booking.requested',
      payload: { bookingId: i, startsAt: '2030-01-0' + String(i) + 'T10:00:00.000Z', otherPartyName: 'Bob' },
    });
    aliceIds.push(id);
  }
  const review = await insertOne({
    userId: alice.userId,
    type: 'review.created',
    payload: { bookingId: 1, reviewId: 7, rating: 5 },
  });
  aliceIds.push(review.id);
  for (let i = 1; i <= 2; i += 1) {
    const { id } = await insertOne({
      userId: bob.userId,
      type: 'booking.confirmed',
      payload: { bookingId: i, startsAt: '2030-02-01T10:00:00.000Z', otherPartyName: 'Alice' },
    });
    bobIds.push(id);
  }
});
afterAll(() => t.close());

/** One notification per statement, so each has its own creation time. */
async function insertOne(notification: NewNotification) {
  const [row] = await insertNotifications(t.database.db, [notification]);
  if (!row) throw new Error('nothing inserted');
  return row;
}

describe('GET /api/me/notifications', () => {
  it('needs a signed-in user', async () => {
    const response = await t.app.inject('/api/me/notifications');
    expect(response.statusCode).toBe(401);
    expect(response.json<ErrorBody>().error.code).toBe('UNAUTHENTICATED');
  });

  it('lists only the caller’s notifications, newest first, typed, with the unread count', async () => {
    const response = await list(alice.token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const page = response.json<NotificationPage>();
    expect(page.items.map((n) => n.id)).toEqual([...aliceIds].reverse());
    expect(page.unreadCount).toBe(6);
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toEqual({
      id: aliceIds[5],
      type: 'review.created',
      payload: { bookingId: 1, reviewId: 7, rating: 5 },
      readAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(page.items[1]).toMatchObject({
      type: 'booking.requested',
      payload: { bookingId: 5, startsAt: '2030-01-05T10:00:00.000Z', otherPartyName: 'Bob' },
    });
    const bobPage = (await list(bob.token)).json<NotificationPage>();
    expect(bobPage.items.map((n) => n.id)).toEqual([...bobIds].reverse());
    expect(bobPage.unreadCount).toBe(2);
  });

  it('pages with a keyset cursor, in a fixed number of statements whatever the page size', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(alice.token, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      // Session lookup, page, unread count.
      expect(queryCount(response)).toBe(3);
      const page: NotificationPage = response.json();
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...aliceIds].reverse());
    expect(queryCount(await list(alice.token, '?limit=100'))).toBe(3);
  });

  it('rejects a tampered cursor and an unknown parameter', async () => {
    expect((await list(alice.token, '?cursor=abc')).statusCode).toBe(400);
    const unknown = await list(alice.token, '?userId=2');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('POST /api/me/notifications/read', () => {
  it('needs a signed-in user', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/me/notifications/read',
      payload: { all: true },
    });
    expect(response.statusCode).toBe(401);
  });

  it('refuses bodies that are neither {ids} nor {all: true}', async () => {
    for (const payload of [{}, { ids: [] }, { all: false }, { ids: ['x'] }, { ids: [1], all: true }]) {
      const response = await write(t.app, alice.token, 'POST', '/api/me/notifications/read', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('never marks another user’s notifications, even by id', async () => {
    const response = await write(t.app, alice.token, 'POST', '/api/me/notifications/read', { ids: bobIds });
    expect(response.statusCode).toBe(200);
    expect(response.json<MarkNotificationsReadResponse>()).toEqual({ marked: 0, unreadCount: 6 });
    const bobPage = (await list(bob.token)).json<NotificationPage>();
    expect(bobPage.unreadCount).toBe(2);
    expect(bobPage.items.every((n) => n.readAt === null)).toBe(true);
  });

  it('marks the listed ids of the caller read, and only those', async () => {
    const [first, second] = aliceIds;
    const response = await write(t.app, alice.token, 'POST', '/api/me/notifications/read', {
      ids: [first, second, bobIds[0]],
    });
    expect(response.json<MarkNotificationsReadResponse>()).toEqual({ marked: 2, unreadCount: 4 });
    const page = (await list(alice.token)).json<NotificationPage>();
    const read = page.items.filter((n) => n.readAt !== null).map((n) => n.id);
    expect(read.sort()).toEqual([first, second].sort());
    const unread = (await list(alice.token, '?unread=true')).json<NotificationPage>();
    expect(unread.items.map((n) => n.id)).toEqual(aliceIds.slice(2).reverse());
    expect(unread.unreadCount).toBe(4);
  });

  it('marks all of the caller’s notifications read with {all: true}, leaving other users alone', async () => {
    const response = await write(t.app, alice.token, 'POST', '/api/me/notifications/read', { all: true });
    expect(response.json<MarkNotificationsReadResponse>()).toEqual({ marked: 4, unreadCount: 0 });
    const page = (await list(alice.token)).json<NotificationPage>();
    expect(page.unreadCount).toBe(0);
    expect(page.items.every((n) => n.readAt !== null)).toBe(true);
    expect((await list(bob.token)).json<NotificationPage>().unreadCount).toBe(2);
  });

  it('refuses a cross-site write from a signed-in browser', async () => {
    const response = await write(
      t.app,
      bob.token,
      'POST',
      '/api/me/notifications/read',
      { all: true },
      { origin: 'https://evil.example' },
    );
    expect(response.statusCode).toBe(403);
    expect((await list(bob.token)).json<NotificationPage>().unreadCount).toBe(2);
  });
});
