import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../api/test/helpers/services';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { admin, mentor, register, type Account } from './support/fixtures';
import { signedInPage } from './support/pages';
import { startStack, type Stack } from './support/stack';

// A mentee messages a mentor, the mentor reports the message, an admin suspends its sender from the moderation
// page, and the sender's open page loses its session: its live socket closes and the next navigation is signed out.
describe.skipIf(!chromiumAvailable)('reporting and moderation in Chromium', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let ada: Account;
  let reporter: Account & { mentorId: number };
  let sender: Account;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    ada = await admin(stack);
    reporter = await mentor(stack, ada, {
      name: 'Rory Reporter',
      headline: 'Frontend mentor',
      expertise: ['react'],
      hourlyRateCents: 9900,
    });
    sender = await register(stack, 'Sam Spammer');
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  it('the moderation pages are not there for anyone but admins', async () => {
    const page = await signedInPage(browser, stack.webUrl, reporter.email);
    expect((await page.goto(url('/admin/moderation')))?.status()).toBe(404);
    expect((await page.goto(url('/admin/audit-log')))?.status()).toBe(404);
    expect(await page.getByRole('link', { name: 'Moderation' }).count()).toBe(0);
  });

  it('a reported message, a suspension from the queue, and the sender’s open page signed out', async () => {
    const sendersPage = await signedInPage(browser, stack.webUrl, sender.email);
    await sendersPage.goto(url(`/mentors/${reporter.mentorId}`));
    await sendersPage.getByRole('button', { name: 'Message Rory Reporter' }).click();
    await sendersPage.waitForURL(/\/messages\/\d+/);
    const thread = new URL(sendersPage.url()).pathname;
    await sendersPage.getByLabel('Your message').fill('Pay me upfront by bank transfer, outside MentorHub.');
    await sendersPage.getByRole('button', { name: 'Send' }).click();
    await sendersPage.locator('ol.messages li').first().waitFor();

    const page = await signedInPage(browser, stack.webUrl, reporter.email);
    await page.goto(url(thread));
    await page.getByText('Pay me upfront by bank transfer, outside MentorHub.').waitFor();
    await expectAccessible(page);
    const report = page.locator('details.report-form', { hasText: 'Report this message from Sam Spammer' });
    await report.getByText('Report this message from Sam Spammer').click();
    await report.getByLabel('Reason').selectOption('misleading');
    await report.getByLabel('What is wrong (optional)').fill('Asks for money outside the platform.');
    await report.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/reports/);
    await page.getByText('Thank you: your report is with the moderators.').waitFor();
    expect(await page.locator('.report-list').textContent()).toContain('Waiting for a moderator');
    await expectAccessible(page);

    const moderator = await signedInPage(browser, stack.webUrl, ada.email);
    await moderator.getByRole('link', { name: 'Moderation' }).first().click();
    await moderator.waitForURL(/\/admin\/moderation/);
    const item = moderator.locator('li[data-case-id]', {
      hasText: 'Message from Sam Spammer to Rory Reporter',
    });
    expect(await item.textContent()).toContain('Pay me upfront by bank transfer, outside MentorHub.');
    expect(await item.textContent()).toContain('Asks for money outside the platform.');
    await expectAccessible(moderator);
    // Only the sender's thread page holds a live socket now (the others left the pages that open one).
    await eventually(async () => (await stack.liveConnections()) === 1, 15_000);
    // Keyboard only: open the decision form, choose, explain, send.
    await item.locator('summary').focus();
    await moderator.keyboard.press('Enter');
    await item.getByLabel('Decision').selectOption('suspend');
    await item.getByLabel('Why (kept in the audit log)').fill('Charges outside the platform');
    await item.getByLabel('Why (kept in the audit log)').press('Tab');
    await moderator.keyboard.type('7');
    await moderator.keyboard.press('Enter');
    await moderator.getByText('Decision recorded.').waitFor();

    // The sender's open page loses its live socket at once, and its next navigation is signed out.
    await eventually(async () => (await stack.liveConnections()) === 0, 15_000);
    await sendersPage.reload();
    await sendersPage.waitForURL(/\/sign-in/);

    await page.reload();
    expect(await page.locator('.report-list').textContent()).toContain('The account was suspended');
    await moderator.goto(url('/admin/audit-log'));
    const entry = moderator.locator('tr[data-audit-id]', { hasText: 'moderation.suspend' });
    expect(await entry.textContent()).toContain('Charges outside the platform');
    await expectAccessible(moderator);
  });
});
