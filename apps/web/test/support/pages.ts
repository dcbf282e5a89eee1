import type { Browser, Locator, Page } from 'playwright-core';
import { formatDate } from '../../src/lib/format';
import { PASSWORD } from './fixtures';

/** Fills in and sends the sign-in form (whether it is accepted is the caller's to check). */
export async function submitSignIn(page: Page, webUrl: string, email: string, password = PASSWORD) {
  await page.goto(`${webUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the sign-in page and waits for the dashboard it leads to. */
export async function signIn(page: Page, webUrl: string, email: string, password = PASSWORD) {
  await submitSignIn(page, webUrl, email, password);
  await page.waitForURL(/\/dashboard/);
}

/** A page of its own (a new context, so its own cookies) signed in as `email`, on the dashboard. */
export async function signedInPage(browser: Browser, webUrl: string, email: string): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId: 'UTC' })).newPage();
  await signIn(page, webUrl, email);
  return page;
}

/** The first session on a dashboard or in the studio that names `name` (the other party). */
export function bookingCard(page: Page, name: string) {
  return page.locator('li.booking', { hasText: name }).first();
}

/**
 * Chooses the `index`-th day with open times in a booking or reschedule form (a link without JavaScript, a
 * switch with it) and returns that day's times, once they are the ones shown.
 */
export async function chooseDay(page: Page, index: number): Promise<{ label: string; times: Locator }> {
  const day = page.getByRole('list', { name: 'Days' }).getByRole('link').nth(index);
  const date = new URL(String(await day.getAttribute('href')), page.url()).searchParams.get('day') ?? '';
  await day.click();
  const label = formatDate(date);
  const times = page.getByRole('group', { name: label });
  await times.waitFor();
  return { label, times };
}
