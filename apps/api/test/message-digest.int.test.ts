import type { Conversation, Message, NotificationPreferences } from '@mentorhub/contracts';
import type { KyselyPlugin } from 'kysely';
import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendMessageDigests } from '../src/modules/messaging/digest.service';
import { setMessageHidden } from '../src/modules/messaging/messaging.repository';
import { signUp, write } from './helpers/accounts';
import { signUpBookableMentor } from './helpers/availability';
import { mailsTo, onlyMailTo } from './helpers/mail';
import { TestMailServer } from './helpers/mail-server';
import { drain } from './helpers/outbox';
import { createTestApp, type TestApp } from './helpers/test-app';

const MINUTE = 60_000;
const DELAY = 15 * MINUTE;
const WEB_APP_URL = 'https://app.mentorhub.test';

let t: TestApp;
let smtp: TestMailServer;
/** The app's clock: tests move it instead of waiting. */
let now = Date.parse('2027-02-01T09:00:00.000Z');
const clock = () => now;
let accounts = 0;

interface Pair {
  mentor: { token: string; userId: number; mentorId: number; email: string };
  mentee: { token: string; userId: number; email: string };
  conversationId: number;
}

/** A new mentor and mentee (named after their addresses) with their conversation open. */
async function newPair(mentorName: string, menteeName: string): Promise<Pair> {
  accounts += 1;
  const mentorEmail = `${mentorName.toLowerCase()}.${String(accounts)}@example.com`;
  const menteeEmail = `${menteeName.toLowerCase()}.${String(accounts)}@example.com`;
  const mentor = await signUpBookableMentor(t.app, mentorEmail);
  const mentee = await signUp(t.app, menteeEmail);
  await sql`UPDATE users SET name = ${mentorName} WHERE id = ${mentor.userId}`.execute(t.app.db);
  await sql`UPDATE users SET name = ${menteeName} WHERE id = ${mentee.userId}`.execute(t.app.db);
  const response = await write(t.app, mentee.token, 'POST', '/api/conversations', {
    mentorId: mentor.mentorId,
  });
  expect(response.statusCode, response.body).toBe(201);
  return {
    mentor: { ...mentor, email: mentorEmail },
    mentee: { ...mentee, email: menteeEmail },
    conversationId: response.json<Conversation>().id,
  };
}

async function send(token: string, conversationId: number, body: string): Promise<Message> {
  const response = await write(
    t.app,
    token,
    'POST',
    `/api/conversations/${String(conversationId)}/messages`,
    {
      body,
    },
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Message>();
}

/** The digest job at `instant`, then delivery of what it wrote: the mails that arrived. */
async function digestsAt(instant: number): Promise<ParsedMail[]> {
  now = instant;
  const before = smtp.received.length;
  await sendMessageDigests(t.app.db, now, t.app.config.MESSAGE_DIGEST_DELAY_MINUTES);
  await drain(t.app.outbox);
  return smtp.received.slice(before);
}

async function digestRows(recipientId: number) {
  const { rows } = await sql<{ status: string }>`
    SELECT status FROM outbox WHERE kind = 'messages.digest' AND recipient_id = ${recipientId}`.execute(
    t.app.db,
  );
  return rows;
}

function env(): Record<string, string> {
  return {
    CACHE_ENABLED: 'false',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'MentorHub <messages@mentorhub.test>',
    WEB_APP_URL,
    MESSAGE_DIGEST_DELAY_MINUTES: '15',
    // The job runs when a test says so, never on its own timer.
    MESSAGE_DIGEST_SWEEP_SECONDS: '0',
  };
}

beforeAll(async () => {
  smtp = await TestMailServer.start();
  t = await createTestApp({
    seed: false,
    clock,
    env: env(),
  });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});
beforeEach(async () => {
  // Account mail of the sign-ups is out of the way; each test starts well after the previous one's messages.
  now += 24 * 60 * MINUTE;
  await sendMessageDigests(t.app.db, now, t.app.config.MESSAGE_DIGEST_DELAY_MINUTES);
  await drain(t.app.outbox);
  smtp.received.length = 0;
});

describe('the unread-messages digest', () => {
  it('comes once, only after the delay has passed, and the next one lists only newer messages', async () => {
    const { mentor, mentee, conversationId } = await newPair('Greta', 'Sam');
    const sentAt = now;
    await send(mentee.token, conversationId, 'Hello Greta!\nCould we talk about system design?');
    await send(mentee.token, conversationId, 'Tuesday works for me.\nOr Wednesday.');

    expect(await digestsAt(sentAt + DELAY), 'exactly the delay later: not yet').toEqual([]);
    expect(await digestRows(mentor.userId)).toEqual([]);

    const mails = await digestsAt(sentAt + DELAY + 1);
    const mail = onlyMailTo(mails, mentor.email);
    expect(mail.subject).toBe('Unread messages from Sam');
    const link = `${WEB_APP_URL}/messages/${String(conversationId)}`;
    expect(mail.text).toContain('Hello Greta,');
    expect(mail.text).toContain('Sam: 2 new messages');
    expect(mail.text).toContain('"Tuesday works for me."');
    expect(mail.text).not.toContain('Or Wednesday');
    expect(mail.text).toContain(`Read and reply: ${link}`);
    expect(mail.html).toContain(`<a href="${link}">Read and reply</a>`);
    const unsubscribe = mail.headerLines.find((header) => header.key === 'list-unsubscribe')?.line;
    expect(unsubscribe).toMatch(/\/api\/unsubscribe\/\d+\.messages\./);
    expect(mailsTo(mails, mentee.email), 'the sender is not mailed about their own messages').toEqual([]);

    expect(await digestsAt(sentAt + 3 * DELAY), 'nothing new: no second digest').toEqual([]);

    const laterAt = now + 5 * MINUTE;
    now = laterAt;
    await send(mentee.token, conversationId, 'One more thing: bring your notes.');
    expect(await digestsAt(laterAt + DELAY)).toEqual([]);
    const next = onlyMailTo(await digestsAt(laterAt + DELAY + 1), mentor.email);
    expect(next.text).toContain('Sam: 1 new message');
    expect(next.text).toContain('"One more thing: bring your notes."');
    expect(next.text).not.toContain('Tuesday');
    expect(await digestRows(mentor.userId)).toEqual([{ status: 'sent' }, { status: 'sent' }]);
  });

  it('lists every conversation with unread messages in one mail, newest first', async () => {
    const first = await newPair('Ada', 'Bo');
    const second = await newPair('Cy', 'Dee');
    // Ada's mentee Bo also writes to Cy: Bo is then a member of two conversations.
    const response = await write(t.app, first.mentee.token, 'POST', '/api/conversations', {
      mentorId: second.mentor.mentorId,
    });
    expect(response.statusCode, response.body).toBe(201);
    const other = response.json<Conversation>().id;
    const sentAt = now;
    await send(first.mentor.token, first.conversationId, 'From Ada');
    await send(second.mentor.token, other, 'From Cy');
    const mail = onlyMailTo(await digestsAt(sentAt + DELAY + 1), first.mentee.email);
    expect(mail.subject).toBe('Unread messages from Cy and Ada');
    expect(mail.text?.indexOf('Cy: 1 new message')).toBeLessThan(
      mail.text?.indexOf('Ada: 1 new message') ?? 0,
    );
  });

  it('is not sent when the thread was read before the delay passed', async () => {
    const { mentor, mentee, conversationId } = await newPair('Hana', 'Ivo');
    const sentAt = now;
    const message = await send(mentee.token, conversationId, 'Are you free on Friday?');
    now = sentAt + DELAY - MINUTE;
    const read = await write(
      t.app,
      mentor.token,
      'POST',
      `/api/conversations/${String(conversationId)}/read`,
      {
        upToMessageId: message.id,
      },
    );
    expect(read.statusCode, read.body).toBe(200);
    expect(await digestsAt(sentAt + DELAY + 1)).toEqual([]);
    expect(await digestRows(mentor.userId)).toEqual([]);
    // Nothing waits any more: the member left the job's work list.
    const { rows } = await sql<{ undigested_since: Date | null }>`
      SELECT undigested_since FROM conversation_members
       WHERE conversation_id = ${conversationId} AND user_id = ${mentor.userId}`.execute(t.app.db);
    expect(rows).toEqual([{ undigested_since: null }]);
  });

  it('respects the unread-messages email switch', async () => {
    const { mentor, mentee, conversationId } = await newPair('Jon', 'Kim');
    const preferences = await t.app.inject({
      url: '/api/me/notification-preferences',
      cookies: { mh_session: mentor.token },
    });
    const off: NotificationPreferences = preferences.json<NotificationPreferences>();
    off.channels.messages.email = false;
    const saved = await write(t.app, mentor.token, 'PUT', '/api/me/notification-preferences', off);
    expect(saved.statusCode, saved.body).toBe(200);
    const sentAt = now;
    await send(mentee.token, conversationId, 'Hi Jon');
    expect(await digestsAt(sentAt + DELAY + 1)).toEqual([]);
    expect(await digestRows(mentor.userId)).toEqual([]);
    // Switching it on again mails what arrives from then on, never what came while it was off.
    const on = { ...off, channels: { ...off.channels, messages: { email: true } } };
    expect((await write(t.app, mentor.token, 'PUT', '/api/me/notification-preferences', on)).statusCode).toBe(
      200,
    );
    const laterAt = now;
    await send(mentee.token, conversationId, 'Hi again');
    const mail = onlyMailTo(await digestsAt(laterAt + DELAY + 1), mentor.email);
    expect(mail.text).toContain('Kim: 1 new message');
    expect(mail.text).toContain('"Hi again"');
  });

  it.each([
    ['the recipient blocked the sender', 'recipient blocks'],
    ['the sender blocked the recipient', 'sender blocks'],
    ['the recipient is suspended', 'suspended'],
    ['the message was hidden by moderation', 'hidden'],
  ] as const)('leaves out messages when %s', async (_, excluded) => {
    const { mentor, mentee, conversationId } = await newPair('Lea', 'Max');
    const sentAt = now;
    const message = await send(mentee.token, conversationId, 'Something to exclude');
    if (excluded === 'recipient blocks')
      await write(t.app, mentor.token, 'POST', `/api/me/blocks/${String(mentee.userId)}`);
    if (excluded === 'sender blocks')
      await write(t.app, mentee.token, 'POST', `/api/me/blocks/${String(mentor.userId)}`);
    if (excluded === 'suspended')
      await sql`UPDATE users SET suspended_until = ${new Date(sentAt + 30 * 24 * 60 * MINUTE)}
                 WHERE id = ${mentor.userId}`.execute(t.app.db);
    if (excluded === 'hidden') await setMessageHidden(t.app.db, message.id, new Date(sentAt));
    expect(await digestsAt(sentAt + DELAY + 1)).toEqual([]);
    expect(await digestRows(mentor.userId)).toEqual([]);
  });

  it('drops a written digest whose messages were read or hidden before delivery', async () => {
    const { mentor, mentee, conversationId } = await newPair('Nia', 'Oz');
    const sentAt = now;
    const message = await send(mentee.token, conversationId, 'Read me later');
    now = sentAt + DELAY + 1;
    expect(await sendMessageDigests(t.app.db, now, 15)).toBe(1);
    await setMessageHidden(t.app.db, message.id, new Date(now));
    await drain(t.app.outbox);
    expect(smtp.received).toEqual([]);
    expect(await digestRows(mentor.userId)).toEqual([{ status: 'dropped' }]);
  });

  it('escapes HTML in a message body', async () => {
    const { mentor, mentee, conversationId } = await newPair('Pia', 'Quinn');
    const sentAt = now;
    await send(
      mentee.token,
      conversationId,
      '<script>alert(1)</script><img src=x onerror="alert(2)"> & more',
    );
    const mail = onlyMailTo(await digestsAt(sentAt + DELAY + 1), mentor.email);
    expect(mail.html).toContain(
      '<q>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; more</q>',
    );
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.text).toContain('"<script>alert(1)</script><img src=x onerror="alert(2)"> & more"');
  });

  it('is written once when two instances run the job at the same moment', async () => {
    const second = await createTestApp({ database: t.database, clock, env: env() });
    try {
      const { mentor, mentee, conversationId } = await newPair('Rae', 'Sol');
      const sentAt = now;
      await send(mentee.token, conversationId, 'Only one digest, please');
      now = sentAt + DELAY + 1;
      const written = await Promise.all(
        [t.app, second.app, t.app, second.app].map((app) =>
          sendMessageDigests(app.db, now, app.config.MESSAGE_DIGEST_DELAY_MINUTES),
        ),
      );
      expect(written.reduce((sum, count) => sum + count, 0)).toBe(1);
      await Promise.all([drain(t.app.outbox), drain(second.app.outbox)]);
      expect(mailsTo(smtp.received, mentor.email)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('runs a fixed number of statements whatever the number of recipients', async () => {
    let statements = 0;
    const counting: KyselyPlugin = {
      transformQuery: ({ node }) => {
        statements += 1;
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    const db = t.app.db.withPlugin(counting);
    const counted = async (pairs: number) => {
      const sentAt = now;
      for (let index = 0; index < pairs; index += 1) {
        const { mentee, conversationId } = await newPair('Tao', 'Uma');
        await send(mentee.token, conversationId, 'Counted');
      }
      statements = 0;
      expect(await sendMessageDigests(db, sentAt + DELAY + 1, 15)).toBe(pairs);
      now = sentAt + DELAY + 1;
      return statements;
    };
    const one = await counted(1);
    now += DELAY * 2;
    expect(await counted(4)).toBe(one);
    expect(one).toBe(3);
  });
});
