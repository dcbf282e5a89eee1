import type { Page } from 'playwright-core';
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

/** The first session on a dashboard or in the studio that names `name` (the other party). */
export function bookingCard(page: Page, name: string) {
  return page.locator('li.booking', { hasText: name }).first();
}
