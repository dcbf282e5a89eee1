import type { CourseDetail } from '@mentorhub/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, launchChromium, watchConsole } from './support/browser';
import { admin, course, mentor, register, type Account } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

// Every page of the app, signed out and signed in: axe-core finds nothing, the console stays clean; and the
// mentor directory's search, filters, sort and paging, driven through the page as a visitor would.
describe.skipIf(!chromiumAvailable)('pages in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let designer: Account & { mentorId: number };
  let mentee: Account;
  let published: CourseDetail;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    const approver = await admin(stack);
    designer = await mentor(stack, approver, {
      name: 'Grace Hopper',
      headline: 'Distributed systems architect',
      expertise: ['system-design', 'postgresql'],
      hourlyRateCents: 12_000,
      languages: ['en', 'de'],
    });
    await mentor(stack, approver, {
      name: 'Linus Frontend',
      headline: 'React and TypeScript lead',
      expertise: ['react', 'typescript'],
      hourlyRateCents: 6_000,
    });
    // Enough mentors for a second page of the directory (12 a page).
    for (let i = 1; i <= 12; i++) {
      await mentor(stack, approver, {
        name: `Mentor Number${i}`,
        headline: `Career coach ${i}`,
        expertise: ['career-growth'],
        hourlyRateCents: 3_000 + i * 100,
      });
    }
    published = await course(designer, 'Designing Data Systems', ['Storage engines', 'Replication']);
    mentee = await register(stack, 'Mina Mentee');
    await mentee.client.learning.enroll(published.id);
  }, 300_000);

  afterAll(async () => {
    // Either may be missing when start-up failed; the failure is what should be reported, not this.
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  const publicPages = () => [
    '/',
    '/mentors',
    '/mentors?q=design&sort=price_desc',
    `/mentors/${designer.mentorId}`,
    '/courses',
    `/courses/${published.slug}`,
    '/sign-in',
    '/sign-up',
    '/forgot-password',
    '/verify-email?token=from-the-mail',
    '/reset-password?token=from-the-mail',
    '/confirm-email?token=from-the-mail',
    '/no-such-page',
    '/mentors/999999',
    '/courses/no-such-course',
  ];

  it('has no accessibility violations and no console errors on public pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      for (const path of publicPages()) {
        const problems = watchConsole(page);
        const response = await page.goto(`${stack.webUrl}${path}`, { waitUntil: 'networkidle' });
        const expectedStatus = ['/no-such-page', '/mentors/999999', '/courses/no-such-course'].includes(path)
          ? 404
          : 200;
        expect(response?.status(), path).toBe(expectedStatus);
        await expectAccessible(page);
        // A 404 page reports its own status in the console; nothing else may.
        const expected404 = (p: string) =>
          expectedStatus === 404 && (p.startsWith('404') || p.includes('status of 404'));
        expect(
          problems.filter((p) => !expected404(p)),
          path,
        ).toEqual([]);
        page.removeAllListeners();
      }
    } finally {
      await context.close();
    }
  });

  it('has no accessibility violations on signed-in pages', async () => {
    const context = await browser.newContext();
    const [name = '', value = ''] = mentee.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.webUrl }]);
    const page = await context.newPage();
    const mentorContext = await browser.newContext();
    const [mentorName = '', mentorValue = ''] = designer.cookie.split('=');
    await mentorContext.addCookies([{ name: mentorName, value: mentorValue, url: stack.webUrl }]);
    const mentorPage = await mentorContext.newPage();
    try {
      const lesson = published.lessons[0];
      for (const [tab, path] of [
        [page, '/dashboard'],
        [page, '/settings'],
        [page, '/studio'],
        [page, `/courses/${published.slug}`],
        [page, `/courses/${published.slug}/lessons/${lesson?.id ?? 0}`],
        [mentorPage, '/studio'],
        [mentorPage, `/studio/courses/${published.id}`],
      ] as const) {
        const problems = watchConsole(tab);
        const response = await tab.goto(`${stack.webUrl}${path}`, { waitUntil: 'networkidle' });
        expect(response?.status(), path).toBe(200);
        await expectAccessible(tab);
        expect(problems, path).toEqual([]);
        tab.removeAllListeners();
      }
    } finally {
      await context.close();
      await mentorContext.close();
    }
  });

  /** The zone the booking calendar says its times are in. */
  const zoneLabel = (page: Page) =>
    page.locator('.calendar p', { hasText: 'Times are shown in' }).locator('strong');

  it("labels a visitor's times in the browser's timezone, found with Temporal or, without it, by the date formatter", async () => {
    for (const temporal of [true, false]) {
      const context = await browser.newContext({ timezoneId: 'America/Sao_Paulo' });
      if (!temporal) await context.addInitScript('delete globalThis.Temporal');
      const page = await context.newPage();
      try {
        await page.goto(`${stack.webUrl}/mentors/${designer.mentorId}`);
        expect(await page.evaluate(() => typeof (globalThis as { Temporal?: unknown }).Temporal)).toBe(
          temporal ? 'object' : 'undefined',
        );
        // The first document could only guess; the next one is labelled in the zone the browser reported.
        const label = zoneLabel(page);
        expect(await label.textContent()).toBe('UTC');
        await page.waitForFunction(() => document.cookie.includes('tz=America%2FSao_Paulo'));
        await page.reload();
        expect(await label.textContent()).toBe('America/Sao_Paulo');
      } finally {
        await context.close();
      }
    }
    // Some browsers report IANA's current name for a zone the zone list knows under an older one.
    const context = await browser.newContext();
    await context.addCookies([{ name: 'tz', value: 'Asia%2FKolkata', url: stack.webUrl }]);
    try {
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/mentors/${designer.mentorId}`);
      expect(await zoneLabel(page).textContent()).toBe(
        new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kolkata' }).resolvedOptions().timeZone,
      );
    } finally {
      await context.close();
    }
  });

  it('lets a visitor search, filter, sort and page through mentors, with the filters in the URL', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${stack.webUrl}/`);
      await page.getByRole('searchbox', { name: 'Search mentors by skill or name' }).fill('distributed');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/mentors\?q=distributed/);
      expect(await page.locator('.mentor-card h3').allTextContents()).toEqual(['Grace Hopper']);

      await page.goto(`${stack.webUrl}/mentors`);
      await page.getByText('12 mentors on this page, more on the next').waitFor();
      // The filters wait in a panel; it stays open while any is set.
      await page.getByText('Filters', { exact: true }).click();
      // Every tag listed mentors have, from GET /api/expertise: most common first, with its count.
      expect(
        await page.getByRole('combobox', { name: 'Expertise' }).locator('option').allTextContents(),
      ).toEqual([
        'Any',
        'Career Growth (12)',
        'PostgreSQL (1)',
        'React (1)',
        'System Design (1)',
        'TypeScript (1)',
      ]);
      await page.getByRole('combobox', { name: 'Expertise' }).selectOption('react');
      await page.getByRole('button', { name: 'Show mentors' }).click();
      await page.waitForURL(/expertise=react/);
      expect(await page.locator('.mentor-card h3').allTextContents()).toEqual(['Linus Frontend']);

      await page.getByRole('combobox', { name: 'Expertise' }).selectOption('');
      await page.getByLabel('Language').selectOption('de');
      await page.getByRole('button', { name: 'Show mentors' }).click();
      await page.waitForURL(/language=de/);
      expect(await page.locator('.mentor-card h3').allTextContents()).toEqual(['Grace Hopper']);

      await page.getByLabel('Language').selectOption('');
      await page.getByLabel('Max price per hour').fill('100');
      await page.getByLabel('Sort by').selectOption('price_desc');
      await page.getByRole('button', { name: 'Show mentors' }).click();
      await page.waitForURL(/maxPrice=100/);
      expect(page.url()).toContain('sort=price_desc');
      const names = await page.locator('.mentor-card h3').allTextContents();
      expect(names).not.toContain('Grace Hopper');
      expect(names[0]).toBe('Linus Frontend');
      expect(names).toHaveLength(12);

      // Keyset paging: the second page continues where the first stopped, with the same filters.
      await page.getByRole('link', { name: 'Next page' }).click();
      await page.waitForURL(/cursor=/);
      expect(page.url()).toContain('maxPrice=100');
      const second = await page.locator('.mentor-card h3').allTextContents();
      expect(second).toHaveLength(1);
      expect(names).not.toContain(second[0]);
      await page.getByRole('link', { name: 'First page' }).click();
      await page.waitForURL((url) => !url.search.includes('cursor='));

      await page.goto(`${stack.webUrl}/mentors?q=nobody-matches-this`);
      await page.getByRole('heading', { name: 'No mentors match these filters' }).waitFor();
    } finally {
      await context.close();
    }
  });
});
