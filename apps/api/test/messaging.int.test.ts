import type {
  Conversation,
  ConversationPage,
  ConversationReadResponse,
  ErrorBody,
  Message,
  MessagePage,
} from '@mentorhub/contracts';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMessageHidden } from '../src/modules/messaging/messaging.repository';
import { ORIGIN, signUp, write } from './helpers/accounts';
import { HOUR, hourFromNow, signUpBookableMentor } from './helpers/availability';
import { LiveClient } from './helpers/live-client';
import { eventually, redisUrlForTests } from './helpers/services';
import { createTestApp, queryCount, twoInstancesOnRedis, type TestApp } from './helpers/test-app';

const DAY = 24 * HOUR;
/** The app's clock runs this far ahead of the wall clock: tests move it instead of waiting. */
let clockOffset = 0;
let t: TestApp;
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };
let stranger: { token: string; userId: number };
let conversationId: number;
let nextHour = 30;

const get = (token: string, url: string) => t.app.inject({ url, cookies: { mh_session: token } });

async function open(token: string, mentorId: number, status = 201): Promise<Conversation> {
  const response = await write(t.app, token, 'POST', '/api/conversations', { mentorId });
  expect(response.statusCode, response.body).toBe(status);
  return response.json<Conversation>();
}

async function send(token: string, id: number, body: string): Promise<Message> {
  const response = await write(t.app, token, 'POST', `/api/conversations/${id}/messages`, { body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Message>();
}

async function thread(token: string, id: number, query = '?limit=100'): Promise<MessagePage> {
  const response = await get(token, `/api/conversations/${id}/messages${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MessagePage>();
}

async function inbox(token: string, query = ''): Promise<ConversationPage> {
  const response = await get(token, `/api/me/conversations${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<ConversationPage>();
}

const errorCode = (response: LightMyRequestResponse) => response.json<ErrorBody>().error.code;

const graphql = (token: string, query: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/graphql',
    cookies: { mh_session: token },
    headers: { origin: ORIGIN },
    payload: { query },
  });

beforeAll(async () => {
  t = await createTestApp({
    seed: false,
    env: { MESSAGING_NEW_ACCOUNT_THREADS_PER_DAY: '2' },
    clock: () => Date.now() + clockOffset,
  });
  mentor = await signUpBookableMentor(t.app, 'mentor.messages@example.com');
  mentee = await signUp(t.app, 'mentee.messages@example.com');
  stranger = await signUp(t.app, 'stranger.messages@example.com');
  conversationId = (await open(mentee.token, mentor.mentorId)).id;
});
afterAll(() => t.close());

describe('opening a conversation', () => {
  it('is one conversation per pair: opening again answers the same one with 200', async () => {
    const again = await open(mentee.token, mentor.mentorId, 200);
    expect(again).toMatchObject({
      id: conversationId,
      mentorId: mentor.mentorId,
      role: 'mentee',
      otherParty: { id: mentor.userId },
      lastMessage: null,
      unreadCount: 0,
      closedAt: null,
      blocked: false,
    });
    const [mentorSide] = (await inbox(mentor.token)).items;
    expect(mentorSide).toMatchObject({
      id: conversationId,
      role: 'mentor',
      otherParty: { id: mentee.userId },
    });
  });

  it('creates one conversation when the same pair opens it concurrently', async () => {
    const other = await signUp(t.app, 'concurrent.opener@example.com');
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        write(t.app, other.token, 'POST', '/api/conversations', { mentorId: mentor.mentorId }),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(responses.map((r) => r.json<Conversation>().id)).size).toBe(1);
  });

  it('refuses a mentor profile of one’s own (403) and one that does not exist (404)', async () => {
    const own = await write(t.app, mentor.token, 'POST', '/api/conversations', { mentorId: mentor.mentorId });
    expect(own.statusCode).toBe(403);
    const missing = await write(t.app, mentee.token, 'POST', '/api/conversations', { mentorId: 999_999 });
    expect(missing.statusCode).toBe(404);
  });

  it('is opened by a booking request too', async () => {
    const booker = await signUp(t.app, 'booker.messages@example.com');
    const booking = await write(t.app, booker.token, 'POST', '/api/bookings', {
      mentorId: mentor.mentorId,
      startsAt: hourFromNow(nextHour++),
    });
    expect(booking.statusCode, booking.body).toBe(201);
    const page = await inbox(booker.token);
    expect(page.items.map((c) => c.mentorId)).toEqual([mentor.mentorId]);
  });
});

describe('a new account’s thread limit', () => {
  it('lets a new account open only the configured number of new threads a day, counted under concurrency', async () => {
    const mentors = await Promise.all(
      [1, 2, 3, 4].map((n) => signUpBookableMentor(t.app, `limit.mentor${String(n)}@example.com`)),
    );
    const fresh = await signUp(t.app, 'fresh.account@example.com');
    const responses = await Promise.all(
      mentors
        .slice(0, 3)
        .map((m) => write(t.app, fresh.token, 'POST', '/api/conversations', { mentorId: m.mentorId })),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 201, 429]);
    const refused = responses.find((r) => r.statusCode === 429);
    expect(refused && errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused?.headers['retry-after']).toBeDefined();
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM conversations WHERE mentee_id = ${fresh.userId}`.execute(t.app.db);
    expect(rows[0]?.n).toBe(2);
    // An existing thread is still answered: the limit is on new ones.
    const opened = responses.filter((r) => r.statusCode === 201).map((r) => r.json<Conversation>().mentorId);
    await open(fresh.token, opened[0] ?? 0, 200);

    clockOffset = DAY + 1000;
    try {
      await open(fresh.token, mentors[3]?.mentorId ?? 0);
    } finally {
      clockOffset = 0;
    }
  });

  it('does not limit an account older than the new-account age', async () => {
    const mentors = await Promise.all(
      [5, 6, 7].map((n) => signUpBookableMentor(t.app, `limit.mentor${String(n)}@example.com`)),
    );
    const settled = await signUp(t.app, 'settled.account@example.com');
    // Signed up eight days ago (the default new-account age is seven).
    await sql`UPDATE users SET created_at = ${new Date(Date.now() - 8 * DAY)} WHERE id = ${settled.userId}`.execute(
      t.app.db,
    );
    for (const m of mentors) await open(settled.token, m.mentorId);
  });
});

describe('messages', () => {
  it('keeps a stranger out of a thread: 404 for every route, never the content', async () => {
    await send(mentee.token, conversationId, 'Secret plans for our session');
    const attempts = await Promise.all([
      get(stranger.token, `/api/conversations/${conversationId}/messages`),
      write(t.app, stranger.token, 'POST', `/api/conversations/${conversationId}/messages`, { body: 'hi' }),
      write(t.app, stranger.token, 'POST', `/api/conversations/${conversationId}/read`, { upToMessageId: 1 }),
      write(t.app, stranger.token, 'POST', `/api/conversations/${conversationId}/close`),
    ]);
    for (const response of attempts) {
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('Secret');
    }
    expect((await inbox(stranger.token)).items).toEqual([]);
  });

  it('orders messages by id under concurrent senders and counts unread exactly', async () => {
    const other = await signUp(t.app, 'concurrent.sender@example.com');
    const { id } = await open(other.token, mentor.mentorId);
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        send(i % 2 ? other.token : mentor.token, id, `message ${String(i)}`),
      ),
    );
    const page = await thread(other.token, id);
    const ids = page.items.map((m) => m.id);
    expect(ids).toEqual([...sent.map((m) => m.id)].sort((a, b) => b - a));
    // Creation times follow id order: ids are handed out in commit order.
    const times = page.items.map((m) => m.createdAt).reverse();
    expect(times).toEqual([...times].sort());
    // Sending reads everything before one's own message: unread is the other side's messages after one's last.
    const unreadFor = (senderOfUnread: number) => {
      const lastOwn = Math.max(0, ...sent.filter((m) => m.senderId !== senderOfUnread).map((m) => m.id));
      return sent.filter((m) => m.senderId === senderOfUnread && m.id > lastOwn).length;
    };
    const otherSide = (await inbox(other.token)).items.find((c) => c.id === id);
    expect(otherSide?.unreadCount).toBe(unreadFor(mentor.userId));
    expect(otherSide?.lastMessage?.id).toBe(ids[0]);
    const mentorSide = (await inbox(mentor.token, '?limit=100')).items.find((c) => c.id === id);
    expect(mentorSide?.unreadCount).toBe(unreadFor(other.userId));
  });

  it('counts every message of concurrent sends as unread, and a read receipt clears up to its message', async () => {
    const reader = await signUp(t.app, 'reader.messages@example.com');
    const { id } = await open(reader.token, mentor.mentorId);
    const before = (await inbox(reader.token)).unreadCount;
    const sent = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(mentor.token, id, `update ${String(i)}`)),
    );
    expect((await inbox(reader.token)).unreadCount).toBe(before + 10);
    const sorted = sent.map((m) => m.id).sort((a, b) => a - b);
    const read = await write(t.app, reader.token, 'POST', `/api/conversations/${id}/read`, {
      upToMessageId: sorted[3],
    });
    expect(read.json<ConversationReadResponse>()).toEqual({ lastReadMessageId: sorted[3], unreadCount: 6 });
    // A read position never moves back, nor past the last message.
    const back = await write(t.app, reader.token, 'POST', `/api/conversations/${id}/read`, {
      upToMessageId: 1,
    });
    expect(back.json<ConversationReadResponse>().lastReadMessageId).toBe(sorted[3]);
    const past = await write(t.app, reader.token, 'POST', `/api/conversations/${id}/read`, {
      upToMessageId: Number.MAX_SAFE_INTEGER,
    });
    expect(past.json<ConversationReadResponse>()).toEqual({ lastReadMessageId: sorted[9], unreadCount: 0 });
    // The mentor sees the receipt.
    expect((await thread(mentor.token, id)).conversation.otherPartyLastReadId).toBe(sorted[9]);
  });

  it('pages history newest first with a cursor bound to its conversation', async () => {
    const pager = await signUp(t.app, 'pager.messages@example.com');
    const { id } = await open(pager.token, mentor.mentorId);
    for (let i = 0; i < 5; i += 1) await send(pager.token, id, `line ${String(i)}`);
    const first = await thread(pager.token, id, '?limit=2');
    expect(first.items.map((m) => m.body)).toEqual(['line 4', 'line 3']);
    const second = await thread(pager.token, id, `?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(second.items.map((m) => m.body)).toEqual(['line 2', 'line 1']);
    const third = await thread(pager.token, id, `?limit=2&cursor=${second.nextCursor ?? ''}`);
    expect(third.items.map((m) => m.body)).toEqual(['line 0']);
    expect(third.nextCursor).toBeNull();
    const elsewhere = await get(
      mentor.token,
      `/api/conversations/${conversationId}/messages?cursor=${first.nextCursor ?? ''}`,
    );
    expect(elsewhere.statusCode).toBe(400);
  });

  it('stores text exactly as sent and refuses empty, too long or control characters with 400', async () => {
    const html = '<script>alert(1)</script> & <b>bold</b>\nhttps://example.com';
    expect((await send(mentee.token, conversationId, html)).body).toBe(html);
    for (const body of ['   ', 'x'.repeat(4001), 'nul\u0000byte'] as const) {
      const response = await write(
        t.app,
        mentee.token,
        'POST',
        `/api/conversations/${conversationId}/messages`,
        {
          body,
        },
      );
      expect(response.statusCode).toBe(400);
    }
  });

  it('shows a hidden message as removed to both sides, and as it was once shown again', async () => {
    const message = await send(mentee.token, conversationId, 'Something a moderator will hide');
    expect(await setMessageHidden(t.app.db, message.id, new Date())).toBe(true);
    for (const token of [mentee.token, mentor.token]) {
      const shown = (await thread(token, conversationId)).items.find((m) => m.id === message.id);
      expect(shown).toEqual({ ...message, body: null, removed: true });
    }
    expect(await setMessageHidden(t.app.db, message.id, null)).toBe(true);
    const shown = (await thread(mentor.token, conversationId)).items.find((m) => m.id === message.id);
    expect(shown).toEqual(message);
  });

  it('runs a fixed number of statements for the inbox and a thread, whatever the page size', async () => {
    const counts = [];
    for (const limit of [1, 50]) {
      counts.push([
        queryCount(await get(mentor.token, `/api/me/conversations?limit=${String(limit)}`)),
        queryCount(
          await get(mentor.token, `/api/conversations/${conversationId}/messages?limit=${String(limit)}`),
        ),
      ]);
    }
    expect(counts[0]).toEqual(counts[1]);
    // The session, then the page and the unread total (inbox) or the conversation and its messages (thread).
    expect(counts[0]).toEqual([3, 3]);
  });
});

describe('GraphQL me.conversations', () => {
  it('answers what the REST inbox answers, and is charged as a field that runs statements', async () => {
    const query = `{ me { conversations(first: 5) { unreadCount nextCursor
      items { id role unreadCount otherParty { id } lastMessage { id body removed } } } } }`;
    const response = await graphql(mentor.token, query);
    expect(response.statusCode, response.body).toBe(200);
    const rest = await inbox(mentor.token, '?limit=5');
    expect(response.json<{ data: unknown }>().data).toEqual({
      me: {
        conversations: {
          unreadCount: rest.unreadCount,
          nextCursor: rest.nextCursor,
          items: rest.items.map((c) => ({
            id: c.id,
            role: c.role,
            unreadCount: c.unreadCount,
            otherParty: { id: c.otherParty.id },
            lastMessage: c.lastMessage && {
              id: c.lastMessage.id,
              body: c.lastMessage.body,
              removed: c.lastMessage.removed,
            },
          })),
        },
      },
    });
    const costly = await graphql(
      mentor.token,
      `
        {
          me {
            a: conversations(first: 100) {
              items {
                id
              }
            }
            b: conversations(first: 100) {
              items {
                id
              }
            }
            c: conversations(first: 100) {
              items {
                id
              }
            }
            d: conversations(first: 100) {
              items {
                id
              }
            }
            e: conversations(first: 100) {
              items {
                id
              }
            }
            f: conversations(first: 100) {
              items {
                id
              }
            }
            g: conversations(first: 100) {
              items {
                id
              }
            }
            h: conversations(first: 100) {
              items {
                id
              }
            }
            i: conversations(first: 100) {
              items {
                id
              }
            }
            j: conversations(first: 100) {
              items {
                id
              }
            }
            k: conversations(first: 100) {
              items {
                id
              }
            }
            l: conversations(first: 100) {
              items {
                id
              }
            }
          }
        }
      `,
    );
    // me 100, then each list 100 and its selection (2) once per item asked for: 100 + 12 × (100 + 100 × 2).
    expect(costly.json<ErrorBody>().error).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      details: [{ path: 'body.query', message: 'costs 3700, at most 3000' }],
    });
  });
});

describe('blocks and closed threads', () => {
  it('stops messages and bookings between blocked users, either way, until unblocked', async () => {
    const blocked = await write(t.app, mentor.token, 'POST', `/api/me/blocks/${String(mentee.userId)}`);
    expect(blocked.statusCode).toBe(204);
    const bookingsBefore = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings`.execute(
      t.app.db,
    );
    const refusals = await Promise.all([
      write(t.app, mentee.token, 'POST', `/api/conversations/${conversationId}/messages`, { body: 'hello?' }),
      write(t.app, mentor.token, 'POST', `/api/conversations/${conversationId}/messages`, { body: 'hello' }),
      write(t.app, mentee.token, 'POST', '/api/conversations', { mentorId: mentor.mentorId }),
      write(t.app, mentee.token, 'POST', '/api/bookings', {
        mentorId: mentor.mentorId,
        startsAt: hourFromNow(nextHour++),
      }),
    ]);
    for (const response of refusals) {
      expect(response.statusCode, response.body).toBe(403);
      expect(errorCode(response)).toBe('BLOCKED');
    }
    const bookingsAfter = await sql<{ n: number }>`SELECT count(*)::int AS n FROM bookings`.execute(t.app.db);
    expect(bookingsAfter.rows).toEqual(bookingsBefore.rows);
    expect((await thread(mentor.token, conversationId)).conversation).toMatchObject({
      blocked: true,
      blockedByMe: true,
    });
    expect((await thread(mentee.token, conversationId)).conversation).toMatchObject({
      blocked: true,
      blockedByMe: false,
    });

    expect(
      (await write(t.app, mentor.token, 'DELETE', `/api/me/blocks/${String(mentee.userId)}`)).statusCode,
    ).toBe(204);
    await send(mentee.token, conversationId, 'Thanks for unblocking');
  });

  it('refuses blocking oneself (400) and an unknown user (404)', async () => {
    const self = await write(t.app, mentee.token, 'POST', `/api/me/blocks/${String(mentee.userId)}`);
    expect(self.statusCode).toBe(400);
    const unknown = await write(t.app, mentee.token, 'POST', '/api/me/blocks/999999');
    expect(unknown.statusCode).toBe(404);
  });

  it('lets only the mentor close a thread, which then refuses new messages from both', async () => {
    const closer = await signUp(t.app, 'closing.messages@example.com');
    const { id } = await open(closer.token, mentor.mentorId);
    await send(closer.token, id, 'Before closing');
    const byMentee = await write(t.app, closer.token, 'POST', `/api/conversations/${id}/close`);
    expect(byMentee.statusCode).toBe(403);
    const closed = await write(t.app, mentor.token, 'POST', `/api/conversations/${id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json<Conversation>().closedAt).not.toBeNull();
    for (const token of [closer.token, mentor.token]) {
      const refused = await write(t.app, token, 'POST', `/api/conversations/${id}/messages`, {
        body: 'More',
      });
      expect(refused.statusCode).toBe(409);
      expect(errorCode(refused)).toBe('CONVERSATION_CLOSED');
    }
    expect((await thread(closer.token, id)).items.map((m) => m.body)).toEqual(['Before closing']);
  });
});

describe('live delivery on one instance', () => {
  beforeAll(() => t.app.listen({ host: '127.0.0.1', port: 0 }));

  it('sends each message and read receipt to both participants and nobody else', async () => {
    const menteeSocket = await LiveClient.open(t.app, mentee.token);
    const mentorSocket = await LiveClient.open(t.app, mentor.token);
    const strangerSocket = await LiveClient.open(t.app, stranger.token);
    try {
      const message = await send(mentee.token, conversationId, 'Live hello');
      for (const socket of [menteeSocket, mentorSocket])
        expect((await socket.next('message.created', (e) => e.message.id === message.id)).message).toEqual(
          message,
        );
      await write(t.app, mentor.token, 'POST', `/api/conversations/${conversationId}/read`, {
        upToMessageId: message.id,
      });
      const receipt = await menteeSocket.next('conversation.read', (e) => e.lastReadMessageId === message.id);
      expect(receipt).toEqual({
        type: 'conversation.read',
        conversationId,
        userId: mentor.userId,
        lastReadMessageId: message.id,
      });
      await mentorSocket.next('conversation.read', (e) => e.lastReadMessageId === message.id);
      // Events reach a socket in publish order: a later message to the stranger's own thread marks the end.
      const own = await open(stranger.token, mentor.mentorId);
      const marker = await send(stranger.token, own.id, 'marker');
      await strangerSocket.next('message.created', (e) => e.message.id === marker.id);
      expect(
        strangerSocket.events.filter((e) => e.type !== 'message.created' || e.message.id !== marker.id),
      ).toEqual([]);
    } finally {
      for (const socket of [menteeSocket, mentorSocket, strangerSocket]) socket.close();
    }
  });

  it('delivers nothing between a blocked pair: no live message, nothing new in either thread or inbox', async () => {
    const menteeSocket = await LiveClient.open(t.app, mentee.token);
    const mentorSocket = await LiveClient.open(t.app, mentor.token);
    const unblock = () => write(t.app, mentee.token, 'DELETE', `/api/me/blocks/${String(mentor.userId)}`);
    try {
      const before = await thread(mentor.token, conversationId);
      const blocked = await write(t.app, mentee.token, 'POST', `/api/me/blocks/${String(mentor.userId)}`);
      expect(blocked.statusCode).toBe(204);
      for (const token of [mentee.token, mentor.token]) {
        const refused = await write(t.app, token, 'POST', `/api/conversations/${conversationId}/messages`, {
          body: 'While blocked',
        });
        expect([refused.statusCode, errorCode(refused)]).toEqual([403, 'BLOCKED']);
      }
      for (const token of [mentee.token, mentor.token]) {
        expect((await thread(token, conversationId)).items).toEqual(before.items);
        const listed = (await inbox(token)).items.find((c) => c.id === conversationId);
        expect(listed).toMatchObject({ blocked: true, lastMessage: before.items[0] });
        const viaGraphql = await graphql(
          token,
          '{ me { conversations(first: 100) { items { id blocked lastMessage { id } } } } }',
        );
        const items = viaGraphql.json<{ data: { me: { conversations: { items: { id: number }[] } } } }>().data
          .me.conversations.items;
        expect(items.find((c) => c.id === conversationId)).toEqual({
          id: conversationId,
          blocked: true,
          lastMessage: { id: before.items[0]?.id },
        });
      }
      // Events reach a socket in publish order: the first message after unblocking marks the end of the block.
      expect((await unblock()).statusCode).toBe(204);
      const marker = await send(mentor.token, conversationId, 'Unblocked');
      for (const socket of [menteeSocket, mentorSocket]) {
        await socket.next('message.created', (e) => e.message.id === marker.id);
        expect(socket.events.filter((e) => e.type === 'message.created').map((e) => e.message.id)).toEqual([
          marker.id,
        ]);
      }
    } finally {
      await unblock();
      for (const socket of [menteeSocket, mentorSocket]) socket.close();
    }
  });
});

const redisUrl = await redisUrlForTests();

describe.skipIf(!redisUrl)('live delivery across two API instances', () => {
  it('delivers a message sent on A to the other participant’s socket on B', async () => {
    const pair = await twoInstancesOnRedis(redisUrl ?? '', { seed: false });
    try {
      const { a, b } = pair;
      await Promise.all([
        a.app.listen({ host: '127.0.0.1', port: 0 }),
        b.app.listen({ host: '127.0.0.1', port: 0 }),
      ]);
      await eventually(() => a.app.live.fannedOut && b.app.live.fannedOut);
      const m = await signUpBookableMentor(a.app, 'mentor.two@example.com');
      const e = await signUp(a.app, 'mentee.two@example.com');
      const onB = await LiveClient.open(b.app, m.token);
      try {
        const opened = await write(a.app, e.token, 'POST', '/api/conversations', { mentorId: m.mentorId });
        const { id } = opened.json<Conversation>();
        const sent = await write(a.app, e.token, 'POST', `/api/conversations/${id}/messages`, {
          body: 'Across',
        });
        const message = sent.json<Message>();
        expect((await onB.next('message.created', (ev) => ev.message.id === message.id)).message.body).toBe(
          'Across',
        );
      } finally {
        onB.close();
      }
    } finally {
      await pair.close();
    }
  });
});
