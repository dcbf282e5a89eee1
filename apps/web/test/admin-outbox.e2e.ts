import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { admin, register, type Account } from './support/fixtures';
import { signedInPage } from './support/pages';
import { startStack, type Stack } from './support/stack';

// An admin finds a dead letter on /admin/outbox, reads why it failed and puts it back in the queue.
describe.skipIf(!chromiumAvailable)('the admin outbox page in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let ada: Account;
  let recipient: Account;
  let deadId: number;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    ada = await admin(stack);
    recipient = await register(stack, 'Rita Recipient');
    // A dead letter as a worker parks it: attempts used up, the mail server's answer kept, settled.
    const { rows } = await sql<{ id: number }>`
      INSERT INTO outbox (channel, idempotency_key, recipient_id, kind, payload, status, attempts, last_error,
                          last_attempt_at, settled_at)
      VALUES ('email', 'e2e:dead-letter', ${recipient.id}, 'booking.confirmed',
              ${JSON.stringify({ secret: 'one-time-link-token' })}, 'dead', 10,
              '550 5.1.1 Recipient address rejected', now(), now())
      RETURNING id`.execute(stack.database.db);
    deadId = rows[0]?.id ?? 0;
  }, 300_000);

  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const url = (path: string) => `${stack.webUrl}${path}`;

  it('is not there for anyone but admins', async () => {
    const page = await signedInPage(browser, stack.webUrl, recipient.email);
    const response = await page.goto(url('/admin/outbox'));
    expect(response?.status()).toBe(404);
  });

  it('lists the dead letter with its error, without its payload, and retries it', async () => {
    const page = await signedInPage(browser, stack.webUrl, ada.email);
    await page.goto(url('/admin/outbox'));
    const row = page.locator(`tr[data-outbox-id="${String(deadId)}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('550 5.1.1 Recipient address rejected');
    expect(await row.textContent()).toContain(recipient.email);
    expect(await page.content()).not.toContain('one-time-link-token');
    await expectAccessible(page);

    await page
      .getByRole('button', {
        name: `Retry message ${String(deadId)} (booking.confirmed to ${recipient.email})`,
      })
      .click();
    await page.getByText(`Message #${String(deadId)} is queued for delivery again.`).waitFor();
    expect(await page.locator(`tr[data-outbox-id="${String(deadId)}"]`).count()).toBe(0);
    const { rows } = await sql<{ status: string; attempts: number }>`
      SELECT status, attempts FROM outbox WHERE id = ${deadId}`.execute(stack.database.db);
    expect(rows[0]).toEqual({ status: 'pending', attempts: 0 });

    await page.getByRole('link', { name: 'Pending' }).click();
    await page.locator(`tr[data-outbox-id="${String(deadId)}"]`).waitFor();
    expect(await page.getByRole('button', { name: /^Retry message/ }).count()).toBe(0);
  });
});
