import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, chromiumAvailable, describeViolations, launchChromium } from './support/browser';
import { admin, mentor, PASSWORD, register, type Account } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

// Moving a session: the mentee books, the mentor confirms, the mentee proposes a new time from the mentor's open
// slots, the mentor accepts, and both dashboards show the session at its new time.
describe.skipIf(!chromiumAvailable)('rescheduling in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let coach: Account & { mentorId: number };
  let learner: Account;
  let mentee: Page;
  let mentorPage: Page;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    coach = await mentor(stack, await admin(stack), {
      name: 'Rita Mover',
      headline: 'Engineering manager',
      expertise: ['typescript'],
      hourlyRateCents: 9_000,
    });
    learner = await register(stack, 'Sam Reschedule');
    mentee = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
    mentorPage = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  async function signIn(page: Page, email: string) {
    await page.goto(url('/sign-in'));
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard/);
  }

  function bookingCard(page: Page, name: string) {
    return page.locator('li.booking', { hasText: name }).first();
  }

  /** The first open slot of the `index`-th listed day (days two and later start at least a day from now). */
  async function chooseSlot(page: Page, index: number): Promise<string> {
    const slot = page.locator('fieldset.calendar-day').nth(index).locator('input[name="startsAt"]').first();
    await slot.check();
    return slot.inputValue();
  }

  async function expectAccessible(page: Page) {
    const violations = await axeViolations(page);
    expect(violations, `${page.url()}:\n${describeViolations(violations)}`).toEqual([]);
  }

  it('mentee books, mentor confirms, mentee proposes a new time, mentor accepts: both see the new time', async () => {
    await signIn(mentee, learner.email);
    await mentee.goto(url(`/mentors/${coach.mentorId}`));
    const bookedAt = await chooseSlot(mentee, 2);
    await mentee.getByRole('button', { name: 'Request booking' }).click();
    await mentee.waitForURL(/\/dashboard\?notice=booked/);

    await signIn(mentorPage, coach.email);
    await mentorPage.goto(url('/studio'));
    await bookingCard(mentorPage, 'Sam Reschedule')
      .getByRole('button', { name: /^Confirm/ })
      .click();
    await mentorPage.waitForURL(/notice=confirm/);

    await mentee.goto(url('/dashboard'));
    const card = bookingCard(mentee, 'Rita Mover');
    await card.locator('.status', { hasText: 'Confirmed' }).waitFor();
    await card.getByRole('link', { name: 'Propose a new time: session with Rita Mover' }).click();
    await mentee.getByRole('heading', { name: 'Propose a new time' }).waitFor();
    await expectAccessible(mentee);
    const movedTo = await chooseSlot(mentee, 3);
    expect(movedTo).not.toBe(bookedAt);
    await mentee.getByRole('button', { name: 'Propose this time' }).click();
    await mentee.waitForURL(/\/dashboard\?notice=reschedule/);
    const proposing = bookingCard(mentee, 'Rita Mover');
    expect(await proposing.locator('.proposal').textContent()).toContain('You proposed a new time');
    expect(await proposing.locator('.proposal time').getAttribute('datetime')).toBe(movedTo);
    // Until the mentor accepts, the session keeps its time.
    expect(await proposing.locator('.booking-head time').getAttribute('datetime')).toBe(bookedAt);
    await expectAccessible(mentee);

    await mentorPage.goto(url('/studio'));
    const incoming = bookingCard(mentorPage, 'Sam Reschedule');
    expect(await incoming.locator('.proposal').textContent()).toContain('Sam Reschedule proposed a new time');
    await expectAccessible(mentorPage);
    await incoming.getByRole('button', { name: 'Accept new time: session with Sam Reschedule' }).click();
    await mentorPage.waitForURL(/notice=accept-reschedule/);
    const moved = bookingCard(mentorPage, 'Sam Reschedule');
    expect(await moved.locator('.booking-head time').getAttribute('datetime')).toBe(movedTo);
    expect(await moved.locator('.proposal').count()).toBe(0);

    await mentee.goto(url('/dashboard'));
    const after = bookingCard(mentee, 'Rita Mover');
    expect(await after.locator('.booking-head time').getAttribute('datetime')).toBe(movedTo);
    expect(await after.locator('.status').textContent()).toBe('Confirmed');
    expect(await after.locator('.proposal').count()).toBe(0);
  });
});
