import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './support/browser';
import { admin, mentor, register, type Account } from './support/fixtures';
import { startStack, type Stack } from './support/stack';

/** Reads a streamed answer chunk by chunk: what had arrived by the time `seen` first matched, and the whole. */
async function readStream(
  response: Response,
  seen: (text: string) => boolean,
  whenSeen: () => void,
): Promise<{ early: string; whole: string }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let whole = '';
  let early: string | null = null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    whole += decoder.decode(value, { stream: true });
    if (early === null && seen(whole)) {
      early = whole;
      whenSeen();
    }
  }
  return { early: early ?? '', whole };
}

// The production server streams: a page's shell and its loading placeholders arrive while a slow part is still
// waiting for the API, and links navigate in the browser without a new document.
describe.skipIf(!chromiumAvailable)('streaming and client navigation', { timeout: 120_000 }, () => {
  let stack: Stack;
  let browser: Browser;
  let coach: Account & { mentorId: number };
  let mentee: Account;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startStack({
        holdApi: (path) =>
          /^\/api\/mentors\/\d+\/(availability|reviews)|^\/api\/bookings\/mine|^\/api\/me\/conversations/.test(
            path,
          ),
      }),
      launchChromium(),
    ]);
    coach = await mentor(stack, await admin(stack), {
      name: 'Sam Streamer',
      headline: 'Web performance engineer',
      expertise: ['react'],
      hourlyRateCents: 7_000,
    });
    mentee = await register(stack, 'Nia Newcomer');
    // An answer waiting in the mentee's inbox: the header's unread count is one of the parts held back.
    const thread = await mentee.client.conversations.open({ mentorId: coach.mentorId });
    await coach.client.conversations.send(thread.id, { body: 'Happy to help, what are you working on?' });
  }, 300_000);

  afterAll(async () => {
    // Either may be missing when start-up failed; the failure is what should be reported, not this.
    await (browser as Browser | undefined)?.close();
    await (stack as Stack | undefined)?.close();
  });

  /** Asks for a page as a browser does, with the relay holding the slow parts until the placeholders arrived. */
  async function streamedPage(path: string, placeholder: string, headers: Record<string, string> = {}) {
    const relay = stack.apiRelay;
    if (!relay) throw new Error('the stack has no relay to hold the API with');
    relay.hold();
    const response = await fetch(`${stack.webUrl}${path}`, {
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, br', ...headers },
    });
    expect(response.status).toBe(200);
    return readStream(
      response,
      // As HTML, not in the hydration payload that follows it.
      (text) => text.includes(`>${placeholder}<`),
      () => {
        relay.release();
      },
    );
  }

  it('sends the mentor’s profile and the placeholders before availability and reviews arrive', async () => {
    const { early, whole } = await streamedPage(`/mentors/${coach.mentorId}`, 'Loading reviews…');
    expect(early).toContain('Sam Streamer');
    expect(early).toContain('Loading available times…');
    expect(early).not.toContain('Sign in to book');
    expect(early).not.toContain('No reviews yet.');
    expect(whole).toContain('Sign in to book');
    expect(whole).toContain('name="startsAt"');
    expect(whole).toContain('No reviews yet.');
  });

  it('sends the dashboard’s heading and placeholders before the sessions and the unread count arrive', async () => {
    const { early, whole } = await streamedPage('/dashboard', 'Loading your sessions…', {
      cookie: mentee.cookie,
    });
    expect(early).toContain('Hello, Nia');
    expect(early).toContain('>Messages<');
    expect(early).not.toContain('1 unread');
    expect(early).not.toContain('Next session');
    expect(whole).toContain('(1 unread)');
    expect(whole).toContain('Next session');
    expect(whole).toContain('Nothing booked yet');
  });

  it('follows a header link in the browser, without loading a new document', async () => {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
    const page = await context.newPage();
    try {
      const documents: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'document') documents.push(request.url());
      });
      await page.goto(`${stack.webUrl}/mentors/${coach.mentorId}`);
      // The layout reports the browser's timezone once it has hydrated: from then on links are the router's.
      await page.waitForFunction(() => document.cookie.includes('tz='));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Courses' }).click();
      await page.waitForURL(/\/courses$/);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Courses' }).waitFor();
      expect(documents).toEqual([`${stack.webUrl}/mentors/${coach.mentorId}`]);
      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
    } finally {
      await context.close();
    }
  });
});
