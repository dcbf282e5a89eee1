// Screenshots of the public pages for docs/screenshots: `node apps/web/scripts/screenshots.mjs` starts the production
// build with demo data on free ports (as the measuring scripts do); `… screenshots.mjs http://localhost:3000` uses a
// running app instead (npm start). The signed-in pages are taken by the browser journeys when SCREENSHOTS_DIR is
// set: `SCREENSHOTS_DIR=docs/screenshots npx vitest run apps/web/test/journeys.e2e.ts`.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../chromium.mjs';
import { requireBuilds, startProductionStack } from './measuring.mjs';

let stack = null;
if (!process.argv[2]) {
  requireBuilds('The screenshots script');
  stack = await startProductionStack({ name: 'screenshots' });
}
const base = (process.argv[2] ?? stack.webUrl).replace(/\/$/, '');
const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const mentors = await (await fetch(`${base}/api/mentors?limit=1&sort=rating`)).json();
const courses = await (await fetch(`${base}/api/courses?limit=1&sort=popular`)).json();
const pages = [
  ['home', '/'],
  ['mentors', '/mentors?sort=rating'],
  ['mentor-profile', `/mentors/${mentors.items[0].id}`],
  ['courses', '/courses'],
  ['course', `/courses/${courses.items[0].slug}`],
  ['sign-in', '/sign-in'],
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  for (const [label, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['mobile', { width: 390, height: 844 }],
  ]) {
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: label === 'mobile' ? 2 : 1,
      timezoneId: 'Europe/Berlin',
    });
    const page = await context.newPage();
    for (const [name, path] of pages) {
      await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
      await page.screenshot({ path: join(out, `${name}-${label}.png`), fullPage: label === 'desktop' });
    }
    // Booking: the second day with open times chosen, then its first time, the summary beside the button.
    await page.goto(`${base}/mentors/${mentors.items[0].id}#book`, { waitUntil: 'networkidle' });
    await page.getByRole('list', { name: 'Days' }).getByRole('link').nth(1).click();
    const time = page.locator('.day-times input[name="startsAt"]').first();
    await time.evaluate((input) => input.scrollIntoView({ block: 'center' }));
    await time.check();
    await page.screenshot({ path: join(out, `mentor-booking-${label}.png`) });
    await context.close();
  }
} finally {
  await browser.close();
  stack?.close();
}
console.log(`Screenshots in ${out}`);
