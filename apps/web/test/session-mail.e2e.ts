import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devMailbox, linkFromDevMailbox } from '../../api/test/helpers/dev-mailbox';
import { HOUR } from '../../api/test/helpers/availability';
import { inviteOf, onlyMailTo, property } from '../../api/test/helpers/mail';
import { drain } from '../../api/test/helpers/outbox';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { admin, mentor, PASSWORD, uniqueEmail, type Account } from './support/fixtures';
import { bookingCard, chooseDay, signIn, submitSignIn } from './support/pages';
import { startStack, type Stack } from './support/stack';

// One person's whole way through the mail: sign up and choose a password from the mailed link, book a mentor, get
// the calendar invite once the mentor confirms, move the session (proposed by one, accepted by the other) and get
// the updated invite, then recover a forgotten password from the mailed link. Each step builds on the one before.
describe.skipIf(!chromiumAvailable)('sessions and account mail in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let coach: Account & { mentorId: number };
  let mentee: Page;
  let mentorPage: Page;
  const email = uniqueEmail('rosa');
  const newPassword = 'a brand new passphrase 7';
  let bookingId: string;
  let bookedAt: string;
  let movedTo: string;
  let confirmedSequence: number;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    coach = await mentor(stack, await admin(stack), {
      name: 'Mila Mentor',
      headline: 'Engineering manager',
      expertise: ['career-growth'],
      hourlyRateCents: 5_000,
    });
    mentee = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
    mentorPage = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  /** Delivers what the outbox holds, then opens the newest link to `path` mailed to the mentee. */
  async function followMailedLink(path: string) {
    await drain(stack.api.outbox);
    const link = await linkFromDevMailbox(stack.apiUrl, email, path);
    expect(link.startsWith(url(`${path}?token=`))).toBe(true);
    await mentee.goto(link);
  }

  /** Delivers what the outbox holds, then the invite of the one mail to `to` whose subject matches. */
  async function mailedInvite(to: string, subject: RegExp) {
    await drain(stack.api.outbox);
    return inviteOf(onlyMailTo(await devMailbox(stack.apiUrl), to, subject));
  }

  /** The invite each party got for the session as it is now: one event, for that party, at `startsAt`. */
  async function expectInvites(subject: RegExp, startsAt: string, meetingUrl: string): Promise<number> {
    const sender = /<(.+)>/.exec(stack.api.config.MAIL_FROM)?.[1];
    const sequences = [];
    for (const recipient of [email, coach.email]) {
      const { method, vevent, event } = await mailedInvite(recipient, subject);
      expect(method).toBe('REQUEST');
      expect(event.uid).toBe(`booking-${bookingId}@${String(sender?.split('@')[1])}`);
      expect(event.startDate.toJSDate().toISOString()).toBe(new Date(startsAt).toISOString());
      expect(event.endDate.toJSDate().getTime()).toBe(Date.parse(startsAt) + HOUR);
      expect(property(vevent, 'organizer').getFirstValue()).toBe(`mailto:${String(sender)}`);
      expect(event.attendees.map((attendee) => attendee.getFirstValue())).toEqual([`mailto:${recipient}`]);
      expect(event.location).toBe(meetingUrl);
      expect(vevent.getFirstPropertyValue('url')).toBe(meetingUrl);
      sequences.push(event.sequence);
    }
    expect(sequences[1]).toBe(sequences[0]);
    return sequences[0] ?? -1;
  }

  /** The first open slot of the `index`-th day with open times (days two and later start at least a day from now). */
  async function chooseSlot(page: Page, index: number): Promise<string> {
    const { times } = await chooseDay(page, index);
    const slot = times.locator('input[name="startsAt"]').first();
    await slot.check();
    return slot.inputValue();
  }

  it('signs up with an email alone and is told to check the inbox', async () => {
    await mentee.goto(url('/sign-up'));
    await mentee.getByLabel('Name').fill('Rosa Reader');
    await mentee.getByLabel('Email').fill(email);
    await mentee.getByRole('button', { name: 'Create account' }).click();
    await mentee.getByRole('alert').getByText('Check your inbox').waitFor();
    await expectAccessible(mentee);
  });

  it('chooses a password on the page the mailed link opens, and is signed in', async () => {
    await followMailedLink('/verify-email');
    await expectAccessible(mentee);
    await mentee.getByLabel('Password').fill('short');
    await mentee.getByRole('button', { name: 'Save password and sign in' }).click();
    await mentee.locator('.field-error').getByText('at least 8 characters').waitFor();
    await mentee.getByLabel('Password').fill(PASSWORD);
    await mentee.getByRole('button', { name: 'Save password and sign in' }).click();
    await mentee.waitForURL(/\/dashboard/);
    await mentee.getByRole('heading', { name: 'Hello, Rosa' }).waitFor();
  });

  it('books a slot; once the mentor confirms it, both are mailed the invite for that time', async () => {
    await mentee.goto(url(`/mentors/${coach.mentorId}`));
    bookedAt = await chooseSlot(mentee, 2);
    await mentee.getByRole('button', { name: 'Request booking' }).click();
    await mentee.waitForURL(/\/dashboard\?notice=booked/);
    bookingId = String(await bookingCard(mentee, 'Mila Mentor').getAttribute('data-booking-id'));

    await signIn(mentorPage, stack.webUrl, coach.email);
    await mentorPage.goto(url('/studio'));
    await bookingCard(mentorPage, 'Rosa Reader')
      .getByRole('button', { name: /^Confirm/ })
      .click();
    await mentorPage.waitForURL(/notice=confirm/);

    await mentee.goto(url('/dashboard'));
    const card = bookingCard(mentee, 'Mila Mentor');
    await card.locator('.status', { hasText: 'Confirmed' }).waitFor();
    const meetingUrl = String(await card.locator('.booking-meeting a').getAttribute('href'));
    expect(meetingUrl).toMatch(/^https:\/\/\S+\/mentorhub-[0-9a-f-]{36}$/);
    confirmedSequence = await expectInvites(/is confirmed$/, bookedAt, meetingUrl);
  });

  it('the mentee proposes a new time, the mentor accepts: both see it, and both are mailed the updated invite', async () => {
    const card = bookingCard(mentee, 'Mila Mentor');
    await card.getByRole('link', { name: 'Propose a new time: session with Mila Mentor' }).click();
    await mentee.getByRole('heading', { name: 'Propose a new time' }).waitFor();
    await expectAccessible(mentee);
    movedTo = await chooseSlot(mentee, 3);
    expect(movedTo).not.toBe(bookedAt);
    await mentee.getByRole('button', { name: 'Propose this time' }).click();
    await mentee.waitForURL(/\/dashboard\?notice=reschedule/);
    const proposing = bookingCard(mentee, 'Mila Mentor');
    expect(await proposing.locator('.proposal').textContent()).toContain('You proposed a new time');
    expect(await proposing.locator('.proposal time').getAttribute('datetime')).toBe(movedTo);
    // Until the mentor accepts, the session keeps its time.
    expect(await proposing.locator('.booking-head time').getAttribute('datetime')).toBe(bookedAt);
    await expectAccessible(mentee);

    await mentorPage.goto(url('/studio'));
    const incoming = bookingCard(mentorPage, 'Rosa Reader');
    expect(await incoming.locator('.proposal').textContent()).toContain('Rosa Reader proposed a new time');
    await expectAccessible(mentorPage);
    await incoming.getByRole('button', { name: 'Accept new time: session with Rosa Reader' }).click();
    await mentorPage.waitForURL(/notice=accept-reschedule/);
    const moved = bookingCard(mentorPage, 'Rosa Reader');
    expect(await moved.locator('.booking-head time').getAttribute('datetime')).toBe(movedTo);
    expect(await moved.locator('.proposal').count()).toBe(0);

    await mentee.goto(url('/dashboard'));
    const after = bookingCard(mentee, 'Mila Mentor');
    expect(await after.locator('.booking-head time').getAttribute('datetime')).toBe(movedTo);
    expect(await after.locator('.status').textContent()).toBe('Confirmed');
    expect(await after.locator('.proposal').count()).toBe(0);
    const meetingUrl = String(await after.locator('.booking-meeting a').getAttribute('href'));
    // The same event (same UID, same room), at the new time, with a higher sequence so calendars replace it.
    expect(await expectInvites(/was moved$/, movedTo, meetingUrl)).toBeGreaterThan(confirmedSequence);
  });

  it('signs out, resets a forgotten password through the mailed link, and only the new one signs in', async () => {
    await mentee.getByRole('button', { name: 'Sign out' }).click();
    await mentee.getByRole('link', { name: 'Sign in' }).first().waitFor();
    await mentee.goto(url('/sign-in'));
    await mentee.getByRole('link', { name: 'Forgot password?' }).click();
    await mentee.waitForURL(/\/forgot-password/);
    await mentee.getByLabel('Email').fill(email);
    await mentee.getByRole('button', { name: 'Mail me a link' }).click();
    await mentee.getByRole('alert').getByText('we sent it a link').waitFor();
    await expectAccessible(mentee);

    await followMailedLink('/reset-password');
    await expectAccessible(mentee);
    await mentee.getByLabel('New password').fill(newPassword);
    await mentee.getByRole('button', { name: 'Save new password' }).click();
    await mentee.waitForURL(/\/sign-in\?reset=done/);
    await mentee.getByRole('status').getByText('Your password was changed').waitFor();

    await submitSignIn(mentee, stack.webUrl, email);
    await mentee.getByRole('alert').getByText('Email or password is incorrect').waitFor();
    await signIn(mentee, stack.webUrl, email, newPassword);
    expect(
      await bookingCard(mentee, 'Mila Mentor').locator('.booking-head time').getAttribute('datetime'),
    ).toBe(movedTo);
  });
});
