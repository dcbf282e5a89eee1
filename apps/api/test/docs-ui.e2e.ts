import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../web/chromium.mjs';
import { createTestApp, type TestApp } from './helpers/test-app';

// Like the web app's browser tests: skipped without Chromium, except in CI, where they must run.
const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable) {
  if (process.env.CI === 'true') throw new Error(`CI requires Chromium at ${CHROMIUM_PATH}`);
  console.warn(`Skipping the docs UI browser test: no Chromium at ${CHROMIUM_PATH}.`);
}

describe.skipIf(!chromiumAvailable)('the docs UI in Chromium, under its Content-Security-Policy', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await createTestApp({ seed: false });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_FLAGS],
    });
  });
  afterAll(async () => {
    await browser.close();
    await t.close();
  });

  it('renders every operation with no policy violation', async () => {
    const { port } = t.app.server.address() as AddressInfo;
    const page = await browser.newPage();
    // Chromium reports every blocked script, style, image, font or fetch on the console.
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto(`http://127.0.0.1:${port}/api/docs/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'MentorHub API' }).waitFor();
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    expect(refused).toEqual([]);
    await page.close();
  });
});
