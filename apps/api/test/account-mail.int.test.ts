import type { ErrorBody, SessionUser } from '@mentorhub/contracts';
import type { ParsedMail } from 'mailparser';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ORIGIN, PASSWORD, sessionTokenOf, signIn, signUp } from './helpers/accounts';
import { useMailingTestApp } from './helpers/mailing-app';
import { eventually } from './helpers/services';
import { createTestApp } from './helpers/test-app';

const HOUR = 3_600_000;
const WEB = 'https://app.mentorhub.test';

/** How far the app's clock runs ahead: moved past a link's lifetime instead of waiting for it. */
let skew = 0;
const t = useMailingTestApp({ env: { WEB_APP_URL: WEB }, clock: () => Date.now() + skew });

let addresses = 0;
/** Every request from an address of its own, so per-address limits only apply where a test means them to. */
const freshAddress = () => {
  addresses += 1;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
};

function post(url: string, payload: object, options: { session?: string; remoteAddress?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    remoteAddress: options.remoteAddress ?? freshAddress(),
    headers: { origin: ORIGIN },
    cookies: options.session ? { mh_session: options.session } : {},
  });
}

const me = async (session: string) =>
  (await t.app.inject({ url: '/api/auth/me', cookies: { mh_session: session } })).statusCode;

/** The token of the link to `page` in a mail, checked to be the same in the text and the HTML part. */
function linkToken(mail: ParsedMail, page: string): string {
  const pattern = new RegExp(`${WEB}${page}\\?token=([\\w-]{43})`);
  const inText = pattern.exec(mail.text ?? '')?.[1];
  expect(inText, `a link to ${page} in "${mail.subject ?? ''}"`).toBeDefined();
  expect(mail.html).toContain(`href="${WEB}${page}?token=${inText ?? ''}"`);
  return inText ?? '';
}

async function tableCounts() {
  const { rows } = await sql<{ users: number; tokens: number; sessions: number; outbox: number }>`
    SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM account_tokens) AS tokens,
           (SELECT count(*)::int FROM sessions) AS sessions, (SELECT count(*)::int FROM outbox) AS outbox`.execute(
    t.app.db,
  );
  return rows[0];
}

/** Signs up and completes it through the mailed link; answers the verification's response. */
async function signUpByMail(email: string, password = PASSWORD) {
  expect((await post('/api/auth/register', { email, name: 'Mail Reader' })).statusCode).toBe(202);
  await t.deliver();
  const token = linkToken(t.mailsTo(email).at(-1) as ParsedMail, '/verify-email');
  const verified = await post('/api/auth/verify-email', { token, password });
  expect(verified.statusCode, verified.body).toBe(201);
  return verified;
}

describe('sign-up', () => {
  it('answers a new, an unverified and a verified address identically, and mails each what fits', async () => {
    await signUp(t.app, 'taken@example.com');
    await t.deliver();
    t.smtp.received.length = 0;
    const answers = [];
    for (const email of ['fresh@example.com', 'fresh@example.com', 'taken@example.com']) {
      answers.push(await post('/api/auth/register', { email, name: 'Someone' }));
      await t.deliver();
    }
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toBe('{"status":"verification-sent"}');
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['content-type']).toBe(answers[0]?.headers['content-type']);
      expect(answer.headers['content-length']).toBe(answers[0]?.headers['content-length']);
    }

    const [first, second] = t.mailsTo('fresh@example.com');
    expect(first?.subject).toBe('Confirm your email to finish signing up');
    expect(second?.subject).toBe(first?.subject);
    const older = linkToken(first as ParsedMail, '/verify-email');
    const newer = linkToken(second as ParsedMail, '/verify-email');
    expect(newer).not.toBe(older);
    // A second sign-up of an unverified address replaces its link.
    const stale = await post('/api/auth/verify-email', { token: older, password: PASSWORD });
    expect(stale.statusCode).toBe(400);
    expect(stale.json<ErrorBody>().error.details).toEqual([
      { path: 'body.token', message: 'is invalid, expired or already used' },
    ]);
    expect((await post('/api/auth/verify-email', { token: newer, password: PASSWORD })).statusCode).toBe(201);

    const notice = t.onlyMailTo('taken@example.com');
    expect(notice.subject).toBe('Someone tried to sign up with your address');
    expect(notice.text).toContain(`${WEB}/forgot-password`);
    expect(notice.text).not.toMatch(/token=/);
    expect(notice.headers.has('list-unsubscribe')).toBe(false);
  });

  it('the link signs in once: of two concurrent uses one wins, and it never works again', async () => {
    await post('/api/auth/register', { email: 'twice@example.com', name: 'Twice' });
    await t.deliver();
    const token = linkToken(t.onlyMailTo('twice@example.com'), '/verify-email');
    const [a, b] = await Promise.all([
      post('/api/auth/verify-email', { token, password: PASSWORD }),
      post('/api/auth/verify-email', { token, password: 'another good passphrase' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
    const winner = a.statusCode === 201 ? a : b;
    const password = a.statusCode === 201 ? PASSWORD : 'another good passphrase';
    expect(winner.json<{ user: SessionUser }>().user.email).toBe('twice@example.com');
    expect(await me(sessionTokenOf(winner))).toBe(200);
    expect((await post('/api/auth/verify-email', { token, password: PASSWORD })).statusCode).toBe(400);
    const signedIn = await signIn(t.app, { email: 'twice@example.com', password }, freshAddress());
    expect(signedIn.statusCode).toBe(200);
    const { rows } = await sql<{ verified: boolean }>`
      SELECT email_verified_at IS NOT NULL AS verified FROM users WHERE email = 'twice@example.com'`.execute(
      t.app.db,
    );
    expect(rows[0]?.verified).toBe(true);
  });

  it('an unverified account cannot sign in: the answer is that of a wrong password', async () => {
    await post('/api/auth/register', { email: 'pending@example.com', name: 'Pending' });
    const pending = await signIn(t.app, { email: 'pending@example.com', password: PASSWORD }, freshAddress());
    const unknown = await signIn(t.app, { email: 'nobody@example.com', password: PASSWORD }, freshAddress());
    expect(pending.statusCode).toBe(401);
    expect(pending.body).toBe(unknown.body);
    expect(pending.cookies).toEqual([]);
  });

  it('an expired link is refused with a clear 400, and its mail is no longer sent', async () => {
    await post('/api/auth/register', { email: 'late@example.com', name: 'Late' });
    await t.deliver();
    const token = linkToken(t.onlyMailTo('late@example.com'), '/verify-email');
    await post('/api/auth/register', { email: 'later@example.com', name: 'Later' });
    skew += 24 * HOUR + 1;
    try {
      expect(await t.deliver()).toMatchObject({ claimed: 1, dropped: 1, sent: 0 });
      expect(t.mailsTo('later@example.com')).toEqual([]);
      const before = await tableCounts();
      const expired = await post('/api/auth/verify-email', { token, password: PASSWORD });
      expect(expired.statusCode).toBe(400);
      expect(expired.json<ErrorBody>().error.details[0]?.path).toBe('body.token');
      expect(await tableCounts()).toEqual(before);
    } finally {
      skew -= 24 * HOUR + 1;
    }
  });

  it('refused input writes nothing', async () => {
    const before = await tableCounts();
    for (const [url, payload] of [
      ['/api/auth/verify-email', { token: 'x'.repeat(43), password: PASSWORD }],
      ['/api/auth/verify-email', { token: 'short', password: PASSWORD }],
      ['/api/auth/password-reset/confirm', { token: 'y'.repeat(43), password: PASSWORD }],
      ['/api/auth/email-change/confirm', { token: 'z'.repeat(43) }],
      ['/api/auth/register', { email: 'not an address', name: 'X' }],
      ['/api/auth/password-reset', { email: 'not an address' }],
    ] as const) {
      const response = await post(url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(response.json<ErrorBody>().error.code).toBe('VALIDATION_FAILED');
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe('password reset', () => {
  it('answers a known, an unverified and an unknown address identically; mails only accounts', async () => {
    await signUp(t.app, 'known@example.com');
    await post('/api/auth/register', { email: 'unverified@example.com', name: 'Unverified' });
    await t.deliver();
    t.smtp.received.length = 0;
    const answers = await Promise.all(
      ['known@example.com', 'unverified@example.com', 'unknown@example.com'].map((email) =>
        post('/api/auth/password-reset', { email }),
      ),
    );
    for (const answer of answers) {
      expect(answer.statusCode).toBe(202);
      expect(answer.body).toBe('{"status":"reset-sent"}');
      expect(answer.headers['set-cookie']).toBeUndefined();
    }
    await t.deliver();
    expect(t.onlyMailTo('known@example.com').subject).toBe('Reset your MentorHub password');
    expect(t.mailsTo('unknown@example.com')).toEqual([]);

    // Using the link proves the inbox, so it also verifies the account.
    const token = linkToken(t.onlyMailTo('unverified@example.com'), '/reset-password');
    expect((await post('/api/auth/password-reset/confirm', { token, password: PASSWORD })).statusCode).toBe(
      204,
    );
    const signedIn = await signIn(
      t.app,
      { email: 'unverified@example.com', password: PASSWORD },
      freshAddress(),
    );
    expect(signedIn.statusCode).toBe(200);
  });

  it('sets the password, signs out every session, mails a notice, and the link works once', async () => {
    const laptop = sessionTokenOf(await signUpByMail('forgetful@example.com'));
    const phone = sessionTokenOf(
      await signIn(t.app, { email: 'forgetful@example.com', password: PASSWORD }, freshAddress()),
    );
    expect(await me(laptop)).toBe(200);
    await post('/api/auth/password-reset', { email: 'forgetful@example.com' });
    await t.deliver();
    const token = linkToken(t.mailsTo('forgetful@example.com').at(-1) as ParsedMail, '/reset-password');
    t.smtp.received.length = 0;

    const weak = await post('/api/auth/password-reset/confirm', { token, password: 'Passw0rd!' });
    expect(weak.json<ErrorBody>().error.details[0]?.path).toBe('body.password');
    expect(await me(laptop)).toBe(200); // a refused password changes nothing and keeps the link

    const newPassword = 'a completely new passphrase';
    const confirmed = await post('/api/auth/password-reset/confirm', { token, password: newPassword });
    expect(confirmed.statusCode).toBe(204);
    expect(confirmed.cookies).toEqual([]); // no sign-in: the user signs in with the new password
    expect([await me(laptop), await me(phone)]).toEqual([401, 401]);
    const again = await post('/api/auth/password-reset/confirm', {
      token,
      password: 'yet another passphrase',
    });
    expect(again.statusCode).toBe(400);
    const login = (password: string) =>
      signIn(t.app, { email: 'forgetful@example.com', password }, freshAddress());
    expect((await login(PASSWORD)).statusCode).toBe(401);
    expect((await login(newPassword)).statusCode).toBe(200);

    await t.deliver();
    const notice = t.onlyMailTo('forgetful@example.com');
    expect(notice.subject).toBe('Your MentorHub password was changed');
    expect(notice.headers.has('list-unsubscribe')).toBe(false);
  });

  it('a reset link expires after an hour', async () => {
    await signUp(t.app, 'slow@example.com');
    await post('/api/auth/password-reset', { email: 'slow@example.com' });
    await t.deliver();
    const token = linkToken(t.onlyMailTo('slow@example.com'), '/reset-password');
    skew += HOUR + 1;
    try {
      const late = await post('/api/auth/password-reset/confirm', { token, password: 'too late passphrase' });
      expect(late.statusCode).toBe(400);
      expect(late.json<ErrorBody>().error.details[0]?.path).toBe('body.token');
    } finally {
      skew -= HOUR + 1;
    }
  });
});

describe('limits', () => {
  it('mails an address at most 3 account mails an hour, answering the same beyond it', async () => {
    await signUp(t.app, 'target@example.com');
    await t.deliver();
    t.smtp.received.length = 0;
    const answers = [];
    for (let n = 0; n < 3; n++) {
      answers.push(await post('/api/auth/register', { email: 'target@example.com', name: 'Bomb' }));
      answers.push(await post('/api/auth/password-reset', { email: 'target@example.com' }));
    }
    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202, 202, 202, 202, 202]);
    await t.deliver();
    // The sign-up helper's own verification mail was the first of the hour.
    expect(t.mailsTo('target@example.com')).toHaveLength(2);
  });

  it('limits reset requests per client address (10 an hour), saying when to retry', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const response = await post(
        '/api/auth/password-reset',
        { email: `r${n}@example.com` },
        { remoteAddress: address },
      );
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(202), 429]);
  });
});

describe('email change', () => {
  it('is confirmed only from the new inbox, with a notice to the old one', async () => {
    const session = sessionTokenOf(await signUpByMail('old@example.com'));
    t.smtp.received.length = 0;
    const before = await tableCounts();
    const wrong = await post(
      '/api/auth/email-change',
      { newEmail: 'new@example.com', currentPassword: 'not my password' },
      { session },
    );
    expect(wrong.json<ErrorBody>().error.details[0]?.path).toBe('body.currentPassword');
    const same = await post(
      '/api/auth/email-change',
      { newEmail: 'old@example.com', currentPassword: PASSWORD },
      { session },
    );
    expect(same.json<ErrorBody>().error.details[0]?.path).toBe('body.newEmail');
    expect(await tableCounts()).toEqual(before);

    const requested = await post(
      '/api/auth/email-change',
      { newEmail: 'New@Example.com', currentPassword: PASSWORD },
      { session },
    );
    expect([requested.statusCode, requested.body]).toEqual([202, '{"status":"confirmation-sent"}']);
    await t.deliver();
    const notice = t.onlyMailTo('old@example.com');
    expect(notice.subject).toBe('Your MentorHub email address is being changed');
    expect(notice.text).toContain('new@example.com');
    expect(notice.text).not.toMatch(/token=/); // the old inbox cannot confirm
    const token = linkToken(t.onlyMailTo('new@example.com'), '/confirm-email');

    // No session needed: the link is often opened on another device.
    const confirmed = await post('/api/auth/email-change/confirm', { token });
    expect([confirmed.statusCode, confirmed.body]).toEqual([200, '{"email":"new@example.com"}']);
    expect((await post('/api/auth/email-change/confirm', { token })).statusCode).toBe(400);
    const { user } = (await t.app.inject({ url: '/api/auth/me', cookies: { mh_session: session } })).json<{
      user: SessionUser;
    }>();
    expect(user.email).toBe('new@example.com');
    expect(
      (await signIn(t.app, { email: 'new@example.com', password: PASSWORD }, freshAddress())).statusCode,
    ).toBe(200);
  });

  it('refuses with 409 an address another account took meanwhile, changing nothing', async () => {
    const session = sessionTokenOf(await signUpByMail('mover@example.com'));
    await post(
      '/api/auth/email-change',
      { newEmail: 'contested@example.com', currentPassword: PASSWORD },
      { session },
    );
    await t.deliver();
    const token = linkToken(t.onlyMailTo('contested@example.com'), '/confirm-email');
    await signUp(t.app, 'contested@example.com');
    const refused = await post('/api/auth/email-change/confirm', { token });
    expect([refused.statusCode, refused.json<ErrorBody>().error.code]).toEqual([409, 'CONFLICT']);
    const { rows } = await sql<{ email: string }>`
      SELECT email FROM users WHERE email IN ('mover@example.com', 'contested@example.com') ORDER BY id`.execute(
      t.app.db,
    );
    expect(rows.map((row) => row.email)).toEqual(['mover@example.com', 'contested@example.com']);
  });

  it('needs a session', async () => {
    const anonymous = await post('/api/auth/email-change', {
      newEmail: 'x@example.com',
      currentPassword: 'x',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('accounts never verified', () => {
  const userIdOf = async (email: string) =>
    (await sql<{ id: number }>`SELECT id FROM users WHERE email = ${email}`.execute(t.app.db)).rows[0]?.id;

  it('read like an id that does not exist, until verified', async () => {
    await post('/api/auth/register', { email: 'unseen@example.com', name: 'Unseen' });
    const id = (await userIdOf('unseen@example.com')) ?? 0;
    const unverified = await t.app.inject(`/api/users/${String(id)}`);
    const nonexistent = await t.app.inject(`/api/users/${String(id + 1_000_000)}`);
    expect([unverified.statusCode, unverified.body]).toEqual([nonexistent.statusCode, nonexistent.body]);
    expect(unverified.statusCode).toBe(404);
    await signUpByMail('unseen@example.com');
    expect((await t.app.inject(`/api/users/${String(id)}`)).statusCode).toBe(200);
  });

  it('are deleted by the sweep once their link has expired, freeing the address', async () => {
    await post('/api/auth/register', { email: 'squatted@example.com', name: 'Squatter' });
    await signUpByMail('verified@example.com');
    const squatter = await userIdOf('squatted@example.com');
    const sweeper = await createTestApp({
      database: t.database,
      clock: () => Date.now() + skew,
      env: { UNVERIFIED_ACCOUNT_SWEEP_SECONDS: '1' },
    });
    try {
      skew += 24 * HOUR + 1;
      // Signed up just now by the moved clock: its link still works, so it stays.
      await post('/api/auth/register', { email: 'recent@example.com', name: 'Recent' });
      await eventually(async () => (await userIdOf('squatted@example.com')) === undefined);
      expect(await userIdOf('verified@example.com')).toBeDefined();
      expect(await userIdOf('recent@example.com')).toBeDefined();
      await t.deliver();
      t.smtp.received.length = 0;
      // The owner of the address signs up afresh: a new account, and the link to it reaches them.
      await signUpByMail('squatted@example.com');
      expect(await userIdOf('squatted@example.com')).not.toBe(squatter);
    } finally {
      skew -= 24 * HOUR + 1;
      await sweeper.close();
    }
  });
});
