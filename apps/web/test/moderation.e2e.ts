import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../api/test/helpers/services';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { admin, mentor, register, type Account } from './support/fixtures';
import { signIn } from './support/pages';
import { startStack, type Stack } from './support/stack';

// A user reports a mentor profile, an admin suspends its owner from the moderation page, and the owner's open page
// loses its session: its live socket closes and the next navigation is signed out.
describe.skipIf(!chromiumAvailable)('reporting and moderation in Chromium', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let ada: Account;
  let reporter: Account;
  let owner: Account & { mentorId: number };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    ada = await admin(stack);
    reporter = await register(stack, 'Rory Reporter');
    owner = await mentor(stack, ada, {
      name: 'Sam Spammer',
      headline: 'Guaranteed jobs, pay upfront',
      expertise: ['react'],
      hourlyRateCents: 9900,
    });
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  async function signedInPage(email: string): Promise<Page> {
    const page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
    await signIn(page, stack.webUrl, email);
    return page;
  }

  it('the moderation pages are not there for anyone but admins', async () => {
    const page = await signedInPage(reporter.email);
    expect((await page.goto(url('/admin/moderation')))?.status()).toBe(404);
    expect((await page.goto(url('/admin/audit-log')))?.status()).toBe(404);
    expect(await page.getByRole('link', { name: 'Moderation' }).count()).toBe(0);
  });

  it('a report, a suspension from the queue, and the suspended owner’s open page signed out', async () => {
    const ownersPage = await signedInPage(owner.email);
    await eventually(async () => (await stack.liveConnections()) >= 1, 15_000);
    const socketsBefore = await stack.liveConnections();

    const page = await signedInPage(reporter.email);
    await page.goto(url(`/mentors/${owner.mentorId}`));
    const report = page.locator('details.report-form', { hasText: 'Report this profile' });
    await report.getByText('Report this profile').click();
    await report.getByLabel('Reason').selectOption('misleading');
    await report.getByLabel('What is wrong (optional)').fill('Asks for money before any session.');
    await report.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL(/\/reports/);
    await page.getByText('Thank you: your report is with the moderators.').waitFor();
    expect(await page.locator('.report-list').textContent()).toContain('Waiting for a moderator');
    await expectAccessible(page);

    const moderator = await signedInPage(ada.email);
    await moderator.getByRole('link', { name: 'Moderation' }).first().click();
    await moderator.waitForURL(/\/admin\/moderation/);
    const item = moderator.locator('li[data-case-id]', { hasText: 'Guaranteed jobs, pay upfront' });
    expect(await item.textContent()).toContain('Asks for money before any session.');
    await expectAccessible(moderator);
    // Keyboard only: open the decision form, choose, explain, send.
    await item.locator('summary').focus();
    await moderator.keyboard.press('Enter');
    await item.getByLabel('Decision').selectOption('suspend');
    await item.getByLabel('Why (kept in the audit log)').fill('Charges outside the platform');
    await item.getByLabel('Why (kept in the audit log)').press('Tab');
    await moderator.keyboard.type('7');
    await moderator.keyboard.press('Enter');
    await moderator.getByText('Decision recorded.').waitFor();

    // The owner's open page loses its live socket at once, and its next navigation is signed out.
    await eventually(async () => (await stack.liveConnections()) < socketsBefore, 15_000);
    await ownersPage.reload();
    await ownersPage.waitForURL(/\/sign-in/);

    await page.reload();
    expect(await page.locator('.report-list').textContent()).toContain('The account was suspended');
    await moderator.goto(url('/admin/audit-log'));
    const entry = moderator.locator('tr[data-audit-id]', { hasText: 'moderation.suspend' });
    expect(await entry.textContent()).toContain('Charges outside the platform');
    await expectAccessible(moderator);
  });
});
