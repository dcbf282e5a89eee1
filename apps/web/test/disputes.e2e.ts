import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { admin, mentor, register, type Account } from './support/fixtures';
import { bookingCard, signedInPage } from './support/pages';
import { startStack, type Stack } from './support/stack';

const HOUR = 3_600_000;

// A mentor reports their mentee absent, which pauses the mentee; the mentee disputes it from the session's row, an
// admin voids the strike from the moderation queue, and the mentee's pause notice is gone.
describe.skipIf(!chromiumAvailable)('a no-show dispute decided in Chromium', { timeout: 180_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let ada: Account;
  let guest: Account;
  let host: Account & { mentorId: number };
  /** The API's clock runs ahead of the real one by this much once the session has started. */
  let ahead = 0;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({ clock: () => Date.now() + ahead, env: { STRIKES_TO_PAUSE: '1' } }),
      launchChromium(),
    ]);
    ada = await admin(stack);
    guest = await register(stack, 'Mia Mentee');
    host = await mentor(stack, ada, {
      name: 'Max Mentor',
      headline: 'Staff engineer, frontend',
      expertise: ['react'],
      hourlyRateCents: 5000,
    });
    const startsAt = Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR;
    const booking = await guest.client.bookings.create({
      mentorId: host.mentorId,
      startsAt: new Date(startsAt).toISOString(),
      note: '',
    });
    await host.client.bookings.act(booking.id, 'confirm');
    ahead = startsAt + 15 * 60_000 - Date.now();
    await host.client.bookings.act(booking.id, 'no-show');
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  it('disputed from the session row, voided from the moderation queue: the pause is lifted', async () => {
    const page = await signedInPage(browser, stack.webUrl, guest.email);
    const pauseNotice = page.locator('#standing').getByText('You cannot book or be booked until');
    await pauseNotice.waitFor();
    await bookingCard(page, host.name)
      .getByRole('link', { name: /^Dispute/ })
      .click();
    const reason = page.getByLabel('Why the report is wrong');
    await reason.fill('I waited in the room, the mentor never came.');
    await page.getByRole('button', { name: 'Dispute', exact: true }).click();
    await page.waitForURL(/notice=disputed/);
    expect(await page.locator('#standing').textContent()).toContain('dispute open');
    expect(
      await bookingCard(page, host.name)
        .getByRole('link', { name: /^Dispute/ })
        .count(),
    ).toBe(0);
    await expectAccessible(page);

    const moderator = await signedInPage(browser, stack.webUrl, ada.email);
    await moderator.goto(`${stack.webUrl}/admin/moderation`);
    const dispute = moderator.locator('li[data-dispute-id]', { hasText: guest.name });
    const context = await dispute.textContent();
    expect(context).toContain(host.name);
    expect(context).toContain(`${guest.name} was reported absent`);
    expect(context).toContain('I waited in the room, the mentor never came.');
    await expectAccessible(moderator);
    await dispute.locator('summary').click();
    await dispute.getByLabel('Decision').selectOption('void');
    await dispute.getByLabel('Why (kept in the audit log)').fill('The room log shows the mentee joined');
    await dispute.getByRole('button', { name: 'Record decision' }).click();
    await moderator.getByText('Decision recorded.').waitFor();
    expect(await moderator.locator('li[data-dispute-id]').count()).toBe(0);

    await moderator.goto(`${stack.webUrl}/admin/audit-log`);
    const entry = moderator.locator('tr[data-audit-id]', { hasText: 'dispute.void' });
    expect(await entry.textContent()).toContain('The room log shows the mentee joined');
    await expectAccessible(moderator);

    await page.goto(`${stack.webUrl}/dashboard`);
    await page.locator('#bookings-heading').waitFor();
    expect(await pauseNotice.count()).toBe(0);
    expect(await page.locator('#standing').count()).toBe(0);
  });
});
