import type { Booking, NotificationPage, NotificationPreferences } from '@mentorhub/contracts';
import { sql } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MailKind } from '../src/modules/outbox/mail-composer';
import { mailKinds } from '../src/modules/outbox/mail-kinds';
import { composeForRecipient } from '../src/modules/preferences/mail-preferences';
import { unsubscribeToken } from '../src/modules/preferences/unsubscribe-token';
import { signUp, write } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { booked } from './helpers/bookings';
import { mailsTo } from './helpers/mail';
import { TestMailServer } from './helpers/mail-server';
import { createTestApp, type TestApp } from './helpers/test-app';

let t: TestApp;
let smtp: TestMailServer;
let mentor: { token: string; userId: number; mentorId: number };
let mentee: { token: string; userId: number };
let nextHour = 30;

const defaults: NotificationPreferences = {
  channels: {
    bookingUpdates: { inApp: true, email: true },
    reminders: { email: true },
    reviews: { inApp: true },
    messages: { email: true },
  },
  reminderOffsetMinutes: [1440, 60],
};

async function drain() {
  while ((await t.app.outbox.runOnce()).claimed > 0);
}

async function preferencesOf(token: string): Promise<NotificationPreferences> {
  const response = await t.app.inject({
    url: '/api/me/notification-preferences',
    cookies: { mh_session: token },
  });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['cache-control']).toBe('private, no-store');
  return response.json<NotificationPreferences>();
}

async function setPreferences(token: string, preferences: NotificationPreferences) {
  const response = await write(t.app, token, 'PUT', '/api/me/notification-preferences', preferences);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<NotificationPreferences>();
}

async function requestSession(): Promise<Booking> {
  nextHour += 1;
  return booked(t.app, mentee.token, mentor.mentorId, hourFromNow(nextHour));
}

async function notificationCount(token: string): Promise<number> {
  const response = await t.app.inject({ url: '/api/me/notifications', cookies: { mh_session: token } });
  return response.json<NotificationPage>().items.length;
}

function oneClick(token: string, body = 'List-Unsubscribe=One-Click') {
  return t.app.inject({
    method: 'POST',
    url: `/api/unsubscribe/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: body,
  });
}

/** A header as sent (mailparser folds List-* headers into one parsed object). */
function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((header) => header.key === name.toLowerCase())?.line;
  return line
    ?.slice(name.length + 1)
    .replace(/\r?\n\s+/g, ' ')
    .trim();
}

/** The token of the List-Unsubscribe URL a mail carries. */
function unsubscribeTokenIn(mail: ParsedMail): string {
  const header = rawHeader(mail, 'List-Unsubscribe') ?? '';
  const match = /^<https:\/\/app\.mentorhub\.test\/api\/unsubscribe\/([^>]+)>$/.exec(header);
  expect(match, header).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

beforeAll(async () => {
  smtp = await TestMailServer.start();
  t = await createTestApp({
    seed: false,
    env: { CACHE_ENABLED: 'false', SMTP_URL: smtp.url, WEB_APP_URL: 'https://app.mentorhub.test' },
  });
  mentor = await signUpBookableMentor(t.app, 'prefs-mentor@example.com');
  mentee = await signUp(t.app, 'prefs-mentee@example.com');
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});
beforeEach(async () => {
  await setPreferences(mentor.token, defaults);
  await setPreferences(mentee.token, defaults);
  await drain();
  smtp.received.length = 0;
});

describe('notification preferences', () => {
  it('start with every channel on and reminders a day and an hour before; a change is stored as sent', async () => {
    await sql`DELETE FROM notification_preferences WHERE user_id = ${mentee.userId}`.execute(t.app.db);
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
    const changed: NotificationPreferences = {
      channels: {
        bookingUpdates: { inApp: false, email: true },
        reminders: { email: false },
        reviews: { inApp: true },
        messages: { email: true },
      },
      reminderOffsetMinutes: [2880, 15],
    };
    expect(await setPreferences(mentee.token, changed)).toEqual(changed);
    expect(await preferencesOf(mentee.token)).toEqual(changed);
    expect(await preferencesOf(mentor.token)).toEqual(defaults);
  });

  it('refuses what is not on the menu, and changes nothing', async () => {
    for (const body of [
      { ...defaults, reminderOffsetMinutes: [30] },
      { ...defaults, reminderOffsetMinutes: [60, 60] },
      { ...defaults, reminderOffsetMinutes: ['60'] },
      { ...defaults, channels: { ...defaults.channels, reviews: { inApp: true, email: true } } },
      { ...defaults, channels: { ...defaults.channels, security: { email: false } } },
      { channels: defaults.channels },
    ]) {
      const response = await write(t.app, mentee.token, 'PUT', '/api/me/notification-preferences', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
    const anonymous = await t.app.inject({ url: '/api/me/notification-preferences' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('email off: the mail is not sent (dropped at delivery, even when written before the change)', async () => {
    const { rows: before } = await sql<{
      last_id: number | null;
    }>`SELECT max(id) AS last_id FROM outbox`.execute(t.app.db);
    const lastIdBefore = before[0]?.last_id ?? 0;
    await requestSession(); // its mail to the mentor is written now, while email is still on
    await setPreferences(mentor.token, {
      ...defaults,
      channels: { ...defaults.channels, bookingUpdates: { inApp: true, email: false } },
    });
    await requestSession();
    const droppedBefore = (await t.app.metrics.outboxDropped.get()).values.reduce(
      (sum, v) => sum + v.value,
      0,
    );
    await drain();
    expect(mailsTo(smtp.received, 'prefs-mentor@example.com')).toHaveLength(0);
    const droppedAfter = (await t.app.metrics.outboxDropped.get()).values.reduce(
      (sum, v) => sum + v.value,
      0,
    );
    expect(droppedAfter - droppedBefore).toBe(2);
    const { rows } = await sql<{ last_error: string }>`SELECT last_error FROM outbox
      WHERE recipient_id = ${mentor.userId} AND status = 'dropped' AND id > ${lastIdBefore}`.execute(
      t.app.db,
    );
    expect(rows.map((row) => row.last_error)).toEqual(['opted out', 'opted out']);
    // In-app notifications were not switched off.
    expect(await notificationCount(mentor.token)).toBeGreaterThanOrEqual(2);
  });

  it('in-app off: no notification is stored, while the mail still goes out', async () => {
    await setPreferences(mentor.token, {
      ...defaults,
      channels: { ...defaults.channels, bookingUpdates: { inApp: false, email: true } },
    });
    const before = await notificationCount(mentor.token);
    await requestSession();
    expect(await notificationCount(mentor.token)).toBe(before);
    await drain();
    expect(mailsTo(smtp.received, 'prefs-mentor@example.com')).toHaveLength(1);
  });

  it('new reminder offsets reach upcoming sessions at once; removed ones drop at delivery', async () => {
    const booking = await requestSession();
    expect(
      (await write(t.app, mentor.token, 'POST', `/api/bookings/${String(booking.id)}/confirm`)).statusCode,
    ).toBe(200);
    await setPreferences(mentee.token, { ...defaults, reminderOffsetMinutes: [15] });
    const { rows } = await sql<{ offset: number }>`
      SELECT (payload->>'offsetMinutes')::int AS "offset" FROM outbox
       WHERE kind = 'booking.reminder' AND recipient_id = ${mentee.userId}
         AND (payload->>'bookingId')::int = ${booking.id} ORDER BY 1`.execute(t.app.db);
    expect(rows.map((row) => row.offset)).toEqual([15, 60, 1440]);
  });
});

describe('one-click unsubscribe', () => {
  it('booking mail carries List-Unsubscribe, List-Unsubscribe-Post and a footer with the preferences link', async () => {
    await requestSession();
    await drain();
    const [mail] = mailsTo(smtp.received, 'prefs-mentor@example.com');
    expect(mail).toBeDefined();
    expect(rawHeader(mail as ParsedMail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const token = unsubscribeTokenIn(mail as ParsedMail);
    expect(token.startsWith(`${String(mentor.userId)}.bookingUpdates.`)).toBe(true);
    expect(mail?.text).toContain('https://app.mentorhub.test/settings#notifications');
    expect(mail?.html).toContain('href="https://app.mentorhub.test/settings#notifications"');
    expect(mail?.html).toContain(`href="https://app.mentorhub.test/api/unsubscribe/${token}"`);
  });

  it('the RFC 8058 POST, without cookie or CSRF token, switches that group’s email off; later mail is not sent', async () => {
    await requestSession();
    await drain();
    const token = unsubscribeTokenIn(mailsTo(smtp.received, 'prefs-mentor@example.com')[0] as ParsedMail);
    smtp.received.length = 0;

    const response = await oneClick(token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ group: 'bookingUpdates', email: false });
    expect((await preferencesOf(mentor.token)).channels).toEqual({
      ...defaults.channels,
      bookingUpdates: { inApp: true, email: false },
    });
    expect((await oneClick(token)).statusCode).toBe(200); // a provider's retry changes nothing more

    await requestSession();
    await drain();
    expect(mailsTo(smtp.received, 'prefs-mentor@example.com')).toHaveLength(0);
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
  });

  it('a GET only asks for confirmation (link scanners prefetch): a page with a button, nothing changed', async () => {
    const token = unsubscribeToken(t.app.config.UNSUBSCRIBE_SECRET, mentee.userId, 'reminders');
    const page = await t.app.inject({ url: `/api/unsubscribe/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("form-action 'self'");
    expect(page.body).toContain('<form method="post">');
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page.body).toContain('Session reminders');
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
    // The page's button: a browser posts the same body and gets a page back.
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/unsubscribe/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You will get no more &quot;Session reminders&quot; mail');
    expect((await preferencesOf(mentee.token)).channels.reminders).toEqual({ email: false });
  });

  it('a forged token, or one user’s token turned to another user, is refused and changes nothing', async () => {
    const secret = t.app.config.UNSUBSCRIBE_SECRET;
    const own = unsubscribeToken(secret, mentee.userId, 'bookingUpdates');
    const signature = own.split('.')[2] as string;
    const forged = [
      `${String(mentor.userId)}.bookingUpdates.${signature}`, // another user, the mentee's signature
      `${String(mentee.userId)}.reminders.${signature}`, // another group
      unsubscribeToken('x'.repeat(32), mentor.userId, 'bookingUpdates'), // signed with another key
      `${String(mentor.userId)}.bookingUpdates.${'A'.repeat(43)}`,
      unsubscribeToken(secret, mentor.userId, 'reviews'), // a group that has no email
    ];
    for (const token of forged) {
      const response = await oneClick(token);
      expect(response.statusCode, token).toBe(404);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
      expect((await t.app.inject({ url: `/api/unsubscribe/${token}` })).statusCode).toBe(404);
    }
    expect((await oneClick('not-a-token')).statusCode).toBe(400);
    expect(await preferencesOf(mentor.token)).toEqual(defaults);
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
  });

  it('refuses any body other than the RFC 8058 one', async () => {
    const token = unsubscribeToken(t.app.config.UNSUBSCRIBE_SECRET, mentee.userId, 'bookingUpdates');
    for (const body of ['', 'List-Unsubscribe=Yes', 'List-Unsubscribe=One-Click&extra=1'])
      expect((await oneClick(token, body)).statusCode, body).toBe(400);
    expect(await preferencesOf(mentee.token)).toEqual(defaults);
  });
});

describe('mail kinds and preferences', () => {
  const recipient = {
    id: 1,
    email: 'someone@example.com',
    name: 'Someone',
    timezone: 'UTC',
    opted_out: ['bookingUpdates.email', 'reminders.email'],
  };
  const message = { kind: 'test', idempotencyKey: 'test:1', payload: {} };
  const ctx = {
    webAppUrl: 'https://app.mentorhub.test',
    mailFrom: 'MentorHub <no-reply@mentorhub.test>',
    meetingBaseUrl: 'https://meet.mentorhub.test',
    now: 0,
  };
  const composed = { mail: { subject: 'Hello', text: 'Body', html: '<p>Body</p>' } };

  it('every registered kind belongs to a preference group or is security mail', () => {
    for (const [name, kind] of Object.entries(mailKinds))
      expect(['bookingUpdates', 'reminders', 'messages', 'security'], name).toContain(kind.audience);
  });

  it('security mail ignores preferences and carries no unsubscribe header or footer', async () => {
    const security: MailKind = { audience: 'security', compose: () => composed };
    const result = await composeForRecipient(
      security,
      message,
      recipient,
      { ...ctx, db: t.app.db },
      'k'.repeat(32),
    );
    expect(result).toEqual(composed);
  });

  it('mail of a group its recipient switched off is dropped before it is composed', async () => {
    let composedCount = 0;
    const reminder: MailKind = {
      audience: 'reminders',
      compose: () => {
        composedCount += 1;
        return composed;
      },
    };
    const result = await composeForRecipient(
      reminder,
      message,
      recipient,
      { ...ctx, db: t.app.db },
      'k'.repeat(32),
    );
    expect(result).toEqual({ drop: 'opted out' });
    expect(composedCount).toBe(0);
  });
});
