import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectAccessible, launchChromium } from './support/browser';
import { OPEN_ALL_WEEK } from '../../api/test/helpers/availability';
import { admin, mentor, register, type Account } from './support/fixtures';
import { bookingCard, chooseDay } from './support/pages';
import { startStack, type Stack } from './support/stack';

/** A phone's screen: the header collapses into a menu, the directory's filters into a panel. */
const PHONE = { width: 390, height: 844 };

// The app on a phone: a compact header whose menu holds only the links this person can use, a directory that
// leads with its search and result count, and a booking form that keeps its summary next to the request button.
describe.skipIf(!chromiumAvailable)('on a phone in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let coach: Account & { mentorId: number };
  let mentee: Account;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    const approver = await admin(stack);
    coach = await mentor(stack, approver, {
      name: 'Pia Phone',
      headline: 'Mobile engineer',
      expertise: ['react'],
      hourlyRateCents: 9_000,
    });
    await mentor(stack, approver, {
      name: 'Theo Tablet',
      headline: 'Database engineer',
      expertise: ['postgresql'],
      hourlyRateCents: 5_000,
    });
    // Closed on the weekday two days from now: that day and the same one a week later have no times.
    const closed = new Date(Date.now() + 2 * 86_400_000).getUTCDay();
    await coach.client.mentors.setAvailability(coach.mentorId, {
      ...OPEN_ALL_WEEK,
      rules: OPEN_ALL_WEEK.rules.filter((rule) => rule.weekday !== closed),
    });
    mentee = await register(stack, 'Mo Mobile');
  }, 300_000);

  afterAll(async () => {
    // Either may be missing when start-up failed; the failure is what should be reported, not this.
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  async function phone(account?: Account): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      timezoneId: 'Europe/Berlin',
    });
    if (account) {
      const [name = '', value = ''] = account.cookie.split('=');
      await context.addCookies([{ name, value, url: stack.webUrl }]);
    }
    return { context, page: await context.newPage() };
  }

  /** The header's links, after opening its menu. */
  async function menuLinks(page: Page): Promise<string[]> {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByText('Menu').click();
    return nav.getByRole('link').allTextContents();
  }

  it('collapses the header into a menu with only the links each person can use', async () => {
    const visitor = await phone();
    const signedIn = await phone(mentee);
    const mentorPhone = await phone(coach);
    try {
      await visitor.page.goto(`${stack.webUrl}/`);
      const nav = visitor.page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Mentors' }).isVisible()).toBe(false);
      expect(await menuLinks(visitor.page)).toEqual([
        'MentorHub',
        'Mentors',
        'Courses',
        'Sign in',
        'Sign up',
      ]);
      await expectAccessible(visitor.page);

      await signedIn.page.goto(`${stack.webUrl}/dashboard`);
      expect(await menuLinks(signedIn.page)).toEqual([
        'MentorHub',
        'Mentors',
        'Courses',
        'Dashboard',
        'Messages',
        'Become a mentor',
        'Settings',
      ]);
      await expectAccessible(signedIn.page);

      await mentorPhone.page.goto(`${stack.webUrl}/dashboard`);
      expect(await menuLinks(mentorPhone.page)).toContain('Studio');
    } finally {
      await Promise.all([visitor.context.close(), signedIn.context.close(), mentorPhone.context.close()]);
    }
  });

  it('leads the directory with its search and result count, the filters in a panel', async () => {
    const { context, page } = await phone();
    try {
      await page.goto(`${stack.webUrl}/mentors`);
      await page.getByText('2 mentors', { exact: true }).waitFor();
      const expertise = page.getByRole('combobox', { name: 'Expertise' });
      expect(await expertise.isVisible()).toBe(false);
      await expectAccessible(page);

      await page.getByText('Filters', { exact: true }).click();
      await expertise.selectOption('postgresql');
      await page.getByRole('button', { name: 'Show mentors' }).click();
      await page.waitForURL(/expertise=postgresql/);
      await page.getByText('1 mentor', { exact: true }).waitFor();
      // A set filter keeps the panel open, and the panel says how many are set.
      await page.getByText('Filters (1 set)').waitFor();
      expect(await expertise.isVisible()).toBe(true);
      expect(await page.locator('.mentor-card h3').allTextContents()).toEqual(['Theo Tablet']);

      await page.getByRole('searchbox', { name: 'Search' }).fill('mobile');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/q=mobile/);
      // Mobile and databases: nobody is both.
      await page.getByRole('heading', { name: 'No mentors match these filters' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('books by picking a day, then a time, with the summary next to the request button', async () => {
    const { context, page } = await phone(mentee);
    try {
      await page.goto(`${stack.webUrl}/mentors/${coach.mentorId}`);
      // The mentee's profile says UTC: times are labelled with the zone and its name.
      await page.getByText('Times are shown in').getByText('(Coordinated Universal Time)').waitFor();
      const summary = page.locator('.booking-summary');
      expect(await summary.textContent()).toContain('Pick a time above');
      expect(await summary.textContent()).toContain('1 h · $90');

      // Two weeks of days from today; the mentor's closed weekday is shown, twice, but is not a link. (Today
      // itself may have no time left.)
      const days = page.getByRole('list', { name: 'Days' }).locator(':scope > li');
      expect(await days.count()).toBe(14);
      const closedDays = await days.evaluateAll((items) =>
        items.flatMap((item, i) => (item.querySelector('a') ? [] : [i])).filter((i) => i > 0),
      );
      expect(closedDays).toEqual([2, 9]);
      const open = days.getByRole('link');
      expect(await open.first().getAttribute('aria-current')).toBe('true');

      // Another day: its times replace the first day's, the address names it, and nothing is chosen yet.
      const { label, times } = await chooseDay(page, 1);
      await page.waitForURL(/[?&]day=\d{4}-\d{2}-\d{2}/);
      expect(await open.nth(1).getAttribute('aria-current')).toBe('true');
      await times.getByText('(Coordinated Universal Time)').waitFor();
      expect(await summary.textContent()).toContain('Pick a time above');

      const time = (await times.locator('.slot label').nth(2).textContent()) ?? '';
      await times.getByLabel(time).check();
      await summary.getByText(`${label}, ${time}`).waitFor();

      // The summary and the button stay on screen while the times are in view.
      const button = page.getByRole('button', { name: 'Request booking' });
      for (const box of [await summary.boundingBox(), await button.boundingBox()]) {
        expect(box).not.toBeNull();
        expect((box?.y ?? PHONE.height) + (box?.height ?? 0)).toBeLessThanOrEqual(PHONE.height);
        expect(box?.y ?? -1).toBeGreaterThanOrEqual(0);
      }
      await expectAccessible(page);
      const chosen = await times.getByLabel(time).inputValue();
      await button.click();
      await page.waitForURL(/\/dashboard\?notice=booked/);
      expect(await bookingCard(page, 'Pia Phone').locator('time').first().getAttribute('datetime')).toBe(
        chosen,
      );
    } finally {
      await context.close();
    }
  });

  it('picks a day and books without JavaScript: days are links, the request a form post', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const [name = '', value = ''] = mentee.cookie.split('=');
    await context.addCookies([{ name, value, url: stack.webUrl }]);
    const page = await context.newPage();
    try {
      await page.goto(`${stack.webUrl}/mentors/${coach.mentorId}`);
      const { times } = await chooseDay(page, 2);
      // A new document with the day in its address, that day marked as chosen.
      expect(new URL(page.url()).searchParams.get('day')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const days = page.getByRole('list', { name: 'Days' }).getByRole('link');
      expect(await days.nth(2).getAttribute('aria-current')).toBe('true');
      const slot = times.locator('input[name="startsAt"]').first();
      await slot.check();
      const chosen = await slot.inputValue();
      await page.getByRole('button', { name: 'Request booking' }).click();
      await page.waitForURL(/\/dashboard\?notice=booked/);
      const card = page.locator('li.booking', { hasText: 'Pia Phone' }).filter({
        has: page.locator(`time[datetime="${chosen}"]`),
      });
      expect(await card.count()).toBe(1);
    } finally {
      await context.close();
    }
  });
});
