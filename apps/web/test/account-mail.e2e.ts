import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFromDevMailbox } from '../../api/test/helpers/dev-mailbox';
import { drain } from '../../api/test/helpers/outbox';
import { axeViolations, chromiumAvailable, describeViolations, launchChromium } from './support/browser';
import { admin, mentor, PASSWORD, uniqueEmail, type Account } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

// Sign-up, booking and password recovery, each link followed from the mail it arrived in.
describe.skipIf(!chromiumAvailable)('account mail in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let coach: Account & { mentorId: number };
  const email = uniqueEmail('rosa');
  const newPassword = 'a brand new passphrase 7';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    coach = await mentor(stack, await admin(stack), {
      name: 'Mila Mentor',
      headline: 'Engineering manager',
      expertise: ['career-growth'],
      hourlyRateCents: 5_000,
    });
    context = await browser.newContext({ timezoneId: 'UTC' });
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  /** Delivers what the outbox holds, then opens the newest link to `path` mailed to the user. */
  async function followMailedLink(path: string) {
    await drain(stack.api.outbox);
    const link = await linkFromDevMailbox(stack.apiUrl, email, path);
    expect(link.startsWith(url(`${path}?token=`))).toBe(true);
    await page.goto(link);
  }

  async function expectAccessible() {
    const violations = await axeViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
  }

  it('signs up with an email alone and is told to check the inbox', async () => {
    await page.goto(url('/sign-up'));
    await page.getByLabel('Name').fill('Rosa Reader');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').getByText('Check your inbox').waitFor();
    await expectAccessible();
  });

  it('chooses a password on the page the mailed link opens, and is signed in', async () => {
    await followMailedLink('/verify-email');
    await expectAccessible();
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Save password and sign in' }).click();
    await page.locator('.field-error').getByText('at least 8 characters').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Save password and sign in' }).click();
    await page.waitForURL(/\/dashboard/);
    await page.getByRole('heading', { name: 'Hello, Rosa' }).waitFor();
  });

  it('books a session with a mentor, then signs out', async () => {
    await page.goto(url(`/mentors/${coach.mentorId}`));
    await page.locator('input[name="startsAt"]').first().check();
    await page.getByRole('button', { name: 'Request booking' }).click();
    await page.waitForURL(/\/dashboard\?notice=booked/);
    await page.locator('li.booking', { hasText: 'Mila Mentor' }).first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  });

  it('resets a forgotten password through the mailed link and signs in with the new one', async () => {
    await page.goto(url('/sign-in'));
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(/\/forgot-password/);
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    await page.getByRole('alert').getByText('we sent it a link').waitFor();
    await expectAccessible();

    await followMailedLink('/reset-password');
    await expectAccessible();
    await page.getByLabel('New password').fill(newPassword);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.waitForURL(/\/sign-in\?reset=done/);
    await page.getByRole('status').getByText('Your password was changed').waitFor();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('Email or password is incorrect').waitFor();

    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard/);
    await page.locator('li.booking', { hasText: 'Mila Mentor' }).first().waitFor();
  });
});
