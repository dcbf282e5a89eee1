import type { MentorSummary, Page as ListPage } from '@mentorhub/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/browser';
import { admin, mentor } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/** A 2×2 PNG, made here: red pixels, no external file. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
  'base64',
);
/** One directory page holds 12; two more make a next page. */
const MENTORS = 14;

/** The stored image an avatar's renditions come from (`/api/media/<id>/…`). */
function mediaIdOf(mentor: MentorSummary): string {
  return /^\/api\/media\/(\d+)\//.exec(mentor.user.avatar?.src ?? '')?.[1] ?? 'none';
}

function mediaIdInUrl(url: string): string | null {
  return /\/api\/media\/(\d+)\//.exec(new URL(url).pathname)?.[1] ?? null;
}

// Pictures cost nothing until a person is about to see them: the directory's avatars load as they scroll near, and
// the next page's avatars are fetched while the pager comes into view, so that page shows its pictures at once.
describe.skipIf(!chromiumAvailable)('images in Chromium', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let firstPage: MentorSummary[];
  let nextPage: MentorSummary[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    const approver = await admin(stack);
    for (let i = 0; i < MENTORS; i++) {
      const account = await mentor(stack, approver, {
        name: `Ada Avatar ${String(i + 1)}`,
        headline: 'Pictured engineer',
        expertise: ['react'],
        hourlyRateCents: 5_000 + i * 100,
      });
      await account.client.users.uploadAvatar(account.id, new Blob([PNG]), 'image/png');
    }
    const list = async (cursor?: string) => {
      const query = new URLSearchParams({ limit: '12', sort: 'rating', ...(cursor ? { cursor } : {}) });
      return (await (
        await fetch(`${stack.apiUrl}/api/mentors?${query.toString()}`)
      ).json()) as ListPage<MentorSummary>;
    };
    const page = await list();
    firstPage = page.items;
    nextPage = (await list(page.nextCursor ?? undefined)).items;
  }, 300_000);

  afterAll(async () => {
    // Either may be missing when start-up failed; the failure is what should be reported, not this.
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  it('loads avatars as they come near, and the next page’s as the pager comes into view', async () => {
    expect(firstPage).toHaveLength(12);
    expect(nextPage).toHaveLength(MENTORS - 12);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const requested = new Map<string, string>();
    page.on('request', (request) => {
      const id = mediaIdInUrl(request.url());
      if (id) requested.set(id, request.url());
    });
    try {
      await page.goto(`${stack.webUrl}/mentors`, { waitUntil: 'load' });
      await page.getByText('12 mentors on this page, more on the next').waitFor();
      // Every avatar has its size before it loads: nothing moves when it arrives.
      for (const box of await page
        .locator('.mentor-card .avatar')
        .evaluateAll((images) =>
          images.map((image) => [image.getAttribute('width'), image.getAttribute('height')]),
        ))
        expect(box).toEqual(['64', '64']);

      const last = firstPage.at(-1);
      expect(requested.has(mediaIdOf(firstPage[0] as MentorSummary))).toBe(true);
      expect(requested.has(mediaIdOf(last as MentorSummary))).toBe(false);
      for (const mentor of nextPage) expect(requested.has(mediaIdOf(mentor))).toBe(false);

      const warmed = nextPage.map((mentor) =>
        page.waitForRequest((request) => mediaIdInUrl(request.url()) === mediaIdOf(mentor)),
      );
      await page.getByRole('navigation', { name: 'Result pages' }).scrollIntoViewIfNeeded();
      const warmedUrls = (await Promise.all(warmed)).map((request) => request.url());
      expect(requested.has(mediaIdOf(last as MentorSummary))).toBe(true);

      // What was warmed is what the next page's cards show.
      await page.getByRole('link', { name: 'Next page' }).click();
      await page.waitForURL(/cursor=/);
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>('.mentor-card img.avatar')].every(
          (image) => image.complete && image.currentSrc !== '',
        ),
      );
      const shown = await page
        .locator('.mentor-card img.avatar')
        .evaluateAll((images) => images.map((image) => (image as HTMLImageElement).currentSrc));
      expect(shown.sort()).toEqual(warmedUrls.sort());
    } finally {
      await context.close();
    }
  });
});
