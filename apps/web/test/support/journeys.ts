import type { CourseDetail } from '@mentorhub/contracts';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkFromDevMailbox } from '../../../api/test/helpers/dev-mailbox';
import { drain } from '../../../api/test/helpers/outbox';
import { eventually } from '../../../api/test/helpers/services';
import { unsubscribeToken } from '../../../api/src/modules/preferences/unsubscribe-token';
import { expectAccessible, launchChromium } from './browser';
import { admin, course, mentor, PASSWORD, uniqueEmail, type Account } from './fixtures';
import { bookingCard, signIn } from './pages';
import type { Stack } from './stack';

/**
 * A mentee and a mentor, each in their own browser context, doing what PRODUCT.md promises, through the pages of
 * the stack `start` makes (one API and web process, or the cluster behind HAProxy).
 */
export function describeJourneys(
  title: string,
  start: () => Promise<Stack>,
  options: { skip: boolean },
): void {
  describe.skipIf(options.skip)(title, { timeout: 120_000 }, () => {
    let stack: Stack;
    let browser: Browser;
    let coach: Account & { mentorId: number };
    let published: CourseDetail;
    let menteeContext: BrowserContext;
    let mentee: Page;
    let mentorContext: BrowserContext;
    let mentorPage: Page;
    const menteeEmail = uniqueEmail('maya');

    beforeAll(async () => {
      [stack, browser] = await Promise.all([start(), launchChromium()]);
      coach = await mentor(stack, await admin(stack), {
        name: 'Carla Coach',
        headline: 'Staff engineer, TypeScript',
        expertise: ['typescript'],
        hourlyRateCents: 8_000,
      });
      published = await course(coach, 'TypeScript in Practice', [
        'Types at the edges',
        'Narrowing',
        'Generics',
      ]);
      menteeContext = await browser.newContext({ timezoneId: 'America/New_York' });
      mentee = await menteeContext.newPage();
      mentorContext = await browser.newContext({ timezoneId: 'UTC' });
      mentorPage = await mentorContext.newPage();
    }, 300_000);

    afterAll(async () => {
      // Either may be missing when start-up failed; the failure is what should be reported, not this.
      await (browser as Browser | undefined)?.close();
      await (stack as Stack | undefined)?.close();
    });

    const url = (path: string) => `${stack.webUrl}${path}`;

    /** With SCREENSHOTS_DIR set (docs/screenshots), the signed-in pages are kept as pictures for the docs. */
    async function keep(page: Page, name: string) {
      const dir = process.env.SCREENSHOTS_DIR;
      if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
    }

    /** The same, of the page as a phone shows it (the viewport narrowed for the picture, then restored). */
    async function keepOnPhone(page: Page, name: string) {
      const desktop = page.viewportSize();
      if (!process.env.SCREENSHOTS_DIR || !desktop) return;
      await page.setViewportSize({ width: 390, height: 844 });
      await keep(page, name);
      await page.setViewportSize(desktop);
    }

    /** One part of the dashboard's sessions: the next one, awaiting an answer, upcoming, past. */
    function sessionGroup(page: Page, title: string) {
      return page.getByRole('region', { name: title, exact: true });
    }

    it('signs up, with the API’s field errors shown on the form first', async () => {
      await mentee.goto(url('/sign-up'));
      await mentee.getByLabel('Name').fill('Maya Mentee');
      await mentee.getByLabel('Email').fill('maya@');
      await mentee.getByRole('button', { name: 'Create account' }).click();
      const error = mentee.locator('.field-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('email address');
      expect(await mentee.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
      expect(await mentee.getByLabel('Name').inputValue()).toBe('Maya Mentee');

      await mentee.getByLabel('Email').fill(menteeEmail);
      await mentee.getByRole('button', { name: 'Create account' }).click();
      await mentee.getByRole('alert').getByText('Check your inbox').waitFor();
      // The link in the mail opens the page where the password is chosen.
      await drain(stack.api.outbox);
      await mentee.goto(await linkFromDevMailbox(stack.apiUrl, menteeEmail, '/verify-email'));
      await mentee.getByLabel('Password').fill(PASSWORD);
      await mentee.getByRole('button', { name: 'Save password and sign in' }).click();
      await mentee.waitForURL(/\/dashboard/);
      await mentee.getByRole('heading', { name: 'Hello, Maya' }).waitFor();
      // Nothing yet: each part of the dashboard says what to do next.
      await sessionGroup(mentee, 'Next session').getByText('Nothing booked yet').waitFor();
      await mentee.getByRole('link', { name: 'browse courses' }).waitFor();
      // No history yet: the best rated mentors and the most popular courses.
      const mentors = mentee.getByRole('list', { name: 'Recommended mentors' }).locator(':scope > li');
      // Recommendations stream in after the rest of the page.
      await mentors.first().waitFor();
      expect(await mentors.locator('h3').allTextContents()).toEqual(['Carla Coach']);
      expect(await mentors.locator('.reason').allTextContents()).toEqual(['Top rated']);
    });

    it('messages the mentor before booking; the mentor sees it arrive live and answers', async () => {
      await signIn(mentorPage, stack.webUrl, coach.email);
      await mentorPage.goto(url('/messages'));
      await mentorPage.getByText('No conversations yet').waitFor();
      await expectAccessible(mentorPage);
      await eventually(async () => (await stack.liveConnections()) >= 1, 15_000);

      await mentee.goto(url(`/mentors/${coach.mentorId}`));
      await mentee.getByRole('button', { name: 'Message Carla Coach' }).click();
      await mentee.waitForURL(/\/messages\/\d+/);
      await mentee.getByRole('heading', { name: 'Conversation with Carla Coach' }).waitFor();
      const question = 'Do you review <b>pull requests</b>? https://example.com/pr/1';
      await mentee.getByLabel('Your message').fill(question);
      await mentee.keyboard.press('Tab');
      await mentee.keyboard.press('Enter');
      const sent = mentee.locator('.messages li.mine').last();
      // Markup shows as typed; only the http(s) URL is a link, marked as user content.
      await sent.getByText('Do you review <b>pull requests</b>?').waitFor();
      const link = sent.getByRole('link', { name: 'https://example.com/pr/1' });
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow ugc');
      await expectAccessible(mentee);

      // The mentor's open inbox shows it without a reload, and the header counts it.
      await mentorPage
        .locator('.conversations li.unread', { hasText: 'Maya Mentee' })
        .getByText('Do you review <b>pull requests</b>?')
        .waitFor();
      await mentorPage
        .getByRole('link', { name: /^Messages \(1 unread\)/ })
        .first()
        .waitFor();
      await mentorPage.getByRole('link', { name: /Maya Mentee/ }).click();
      await mentorPage.getByLabel('Your message').fill('Yes: send me one before our session.');
      await mentorPage.getByRole('button', { name: 'Send' }).click();
      await mentorPage.locator('.messages li.mine', { hasText: 'Yes: send me one' }).waitFor();

      // The mentee's open thread shows the answer, and that the mentor read the question.
      await mentee.locator('.messages li', { hasText: 'Yes: send me one before our session.' }).waitFor();
      await mentee.locator('.messages li.mine', { hasText: 'pull requests' }).getByText('Read').waitFor();
    });

    it('books a slot; the mentor confirms it; the open dashboard shows it without a reload', async () => {
      await mentee.goto(url(`/mentors/${coach.mentorId}`));
      // The visitor's browser reported its timezone; the calendar shows times there.
      await mentee.getByText('Times are shown in').getByText('America/New_York').waitFor();
      await mentee.locator('input[name="startsAt"]').first().check();
      await mentee.getByLabel('What would you like to talk about? (optional)').fill('Code review habits');
      await mentee.getByRole('button', { name: 'Request booking' }).click();
      await mentee.waitForURL(/\/dashboard\?notice=booked/);
      const requested = sessionGroup(mentee, 'Awaiting an answer').locator('li.booking', {
        hasText: 'Carla Coach',
      });
      expect(await requested.locator('.status').textContent()).toBe('Awaiting confirmation');
      expect(await requested.getByRole('button').allTextContents()).toEqual(['Withdraw request']);
      // The booking now says what the mentee is into; Carla, already booked, is no longer suggested.
      const courses = mentee.getByRole('list', { name: 'Recommended courses' }).locator(':scope > li');
      await courses.first().waitFor();
      expect(await courses.locator('h3').allTextContents()).toEqual(['TypeScript in Practice']);
      expect(await courses.locator('.reason').allTextContents()).toEqual([
        'Because you booked sessions on TypeScript',
      ]);
      expect(await mentee.getByRole('list', { name: 'Recommended mentors' }).count()).toBe(0);

      // The mentee keeps this page open; a reload would lose this mark.
      await mentee.evaluate(() => ((window as unknown as { keptOpen: boolean }).keptOpen = true));
      await eventually(async () => (await stack.liveConnections()) >= 1, 15_000);

      // The mentor signed in to answer the mentee's message.
      await mentorPage.goto(url('/studio'));
      const incoming = bookingCard(mentorPage, 'Maya Mentee');
      expect(await incoming.textContent()).toContain('Code review habits');
      await incoming.getByRole('button', { name: /^Confirm/ }).click();
      await mentorPage.waitForURL(/notice=confirm/);
      expect(await bookingCard(mentorPage, 'Maya Mentee').locator('.status').textContent()).toBe('Confirmed');
      await keep(mentorPage, 'studio-desktop');

      const live = mentee.locator('[aria-live="polite"].live-updates');
      await live.getByText('Carla Coach confirmed your session').waitFor();
      await sessionGroup(mentee, 'Next session')
        .locator('li.booking', { hasText: 'Carla Coach' })
        .locator('.status', { hasText: 'Confirmed' })
        .waitFor();
      await sessionGroup(mentee, 'Awaiting an answer').getByText('No requests waiting').waitFor();
      // A notification links to what it is about: the mentee's session here, the mentor's in the studio.
      const confirmed = mentee
        .locator('.notifications')
        .getByRole('link', { name: /Carla Coach confirmed your session/ });
      const bookingId = await bookingCard(mentee, 'Carla Coach').getAttribute('data-booking-id');
      expect(await confirmed.getAttribute('href')).toBe(`/dashboard#booking-${bookingId}`);
      expect(await mentee.evaluate(() => (window as unknown as { keptOpen?: boolean }).keptOpen)).toBe(true);
      await keep(mentee, 'dashboard-desktop');
      await keepOnPhone(mentee, 'dashboard-mobile');

      await mentorPage.goto(url('/dashboard'));
      const requestedOfMentor = mentorPage
        .locator('.notifications')
        .getByRole('link', { name: /Maya Mentee requested a session/ });
      expect(await requestedOfMentor.getAttribute('href')).toBe(`/studio#booking-${bookingId}`);
    });

    it('shows the confirmed session’s meeting link, and the mentor’s own room once they set it', async () => {
      await mentee.goto(url('/dashboard'));
      const join = bookingCard(mentee, 'Carla Coach').getByRole('link', { name: /^Join the session/ });
      expect(await join.getAttribute('href')).toMatch(/^https:\/\/meet\.jit\.si\/mentorhub-[0-9a-f-]{36}$/);

      await mentorPage.goto(url('/studio'));
      await mentorPage.getByLabel('Your video room (https)').fill('http://video.example.com/carla');
      await mentorPage.getByRole('button', { name: 'Save meeting room' }).click();
      await mentorPage.getByText('must be an https:// URL').waitFor();
      await mentorPage.getByLabel('Your video room (https)').fill('https://video.example.com/carla');
      await mentorPage.getByRole('button', { name: 'Save meeting room' }).click();
      await mentorPage.getByText('Your sessions meet in your room.').waitFor();
      await mentee.reload();
      expect(await join.getAttribute('href')).toBe('https://video.example.com/carla');
    });

    it('creates a calendar feed in the settings, shown once, and rotating it ends the old URL', async () => {
      await mentee.goto(url('/settings'));
      await mentee.getByRole('button', { name: 'Create feed URL' }).click();
      const field = mentee.getByLabel('Your calendar feed URL');
      await field.waitFor();
      const first = new URL(await field.inputValue());
      expect(first.pathname).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      const feed = await fetch(url(first.pathname));
      expect(feed.status).toBe(200);
      expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      // The API's tests parse feeds with ical.js; here it is enough that this session is in it.
      const body = await feed.text();
      expect(body.match(/^SUMMARY:[^\r\n]*/gm)).toEqual(['SUMMARY:Mentoring session with Carla Coach']);

      await mentee.reload();
      await mentee.getByRole('button', { name: 'Rotate feed URL' }).click();
      await mentee.getByRole('button', { name: 'Copy URL' }).waitFor();
      const second = new URL(await mentee.getByLabel('Your calendar feed URL').inputValue());
      expect(second.pathname).not.toBe(first.pathname);
      expect((await fetch(url(first.pathname))).status).toBe(404);
      expect((await fetch(url(second.pathname))).status).toBe(200);
    });

    it('enrolls in a course and completes a lesson, with progress shown', async () => {
      await mentee.goto(url(`/courses/${published.slug}`));
      await mentee.getByRole('button', { name: 'Enroll in this course' }).click();
      await mentee.waitForURL(/notice=enrolled/);
      await mentee.getByRole('link', { name: 'Continue learning' }).click();
      await mentee.getByRole('heading', { name: 'Types at the edges' }).waitFor();
      await mentee.getByRole('button', { name: 'Mark as complete and continue' }).click();
      await mentee.getByRole('heading', { name: 'Narrowing' }).waitFor();
      expect(await mentee.locator('.lesson-nav .progress').textContent()).toContain('1 of 3 lessons');
      await keep(mentee, 'lesson-desktop');

      await mentee.goto(url('/dashboard'));
      expect(await mentee.locator('.enrollments').textContent()).toContain('TypeScript in Practice');
      expect(await mentee.locator('.enrollments progress').getAttribute('value')).toBe('33');
    });

    it('leaves a review once the session is completed', async (context) => {
      if (!stack.api.hasRoute({ method: 'POST', url: '/api/bookings/:id/review' })) {
        context.skip('the API has no POST /api/bookings/:id/review yet');
      }
      // The session took place: move it into the past (time cannot be waited for in a test).
      await sql`UPDATE bookings SET starts_at = now() - interval '3 hours', ends_at = now() - interval '2 hours'
              WHERE mentor_id = ${coach.mentorId} AND status = 'confirmed'`.execute(stack.database.db);
      await mentorPage.goto(url('/studio'));
      await bookingCard(mentorPage, 'Maya Mentee')
        .getByRole('button', { name: /^Mark completed/ })
        .click();
      await mentorPage.waitForURL(/notice=complete/);

      await mentee.goto(url('/dashboard'));
      const card = sessionGroup(mentee, 'Past sessions').locator('li.booking', { hasText: 'Carla Coach' });
      expect(await card.locator('.status').textContent()).toBe('Completed');
      await sessionGroup(mentee, 'Next session').getByText('Nothing booked yet').waitFor();
      await card.getByText('Review this session').click();
      await card.getByLabel('Rating').selectOption('4');
      await card.getByLabel('Your review (optional)').fill('Clear, practical advice.');
      await card.getByRole('button', { name: 'Publish review' }).click();
      await mentee.waitForURL(/notice=reviewed/);
      await mentee.getByText('Thank you — your review is published.').waitFor();
      await bookingCard(mentee, 'Carla Coach').getByText('You reviewed this session.').waitFor();

      await mentee.goto(url(`/mentors/${coach.mentorId}`));
      expect(await mentee.locator('.reviews').textContent()).toContain('Clear, practical advice.');
    });

    it('uploads an avatar in the settings', async () => {
      // A 2×2 PNG, made here: red pixels, no external file.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==',
        'base64',
      );
      await mentee.goto(url('/settings'));
      await mentee
        .getByLabel('New picture')
        .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
      await mentee.getByRole('button', { name: 'Upload picture' }).click();
      await mentee.getByText('Your new picture is saved.').waitFor();
      await mentee.reload();
      expect(await mentee.locator('main picture img').getAttribute('src')).toMatch(/^\/api\/media\//);
    });

    it('changes notification settings, and unsubscribes in one click from a mail link', async () => {
      await mentee.goto(url('/settings#notifications'));
      await mentee.getByLabel('Booking updates by email').uncheck();
      await mentee.getByLabel('Remind me 24 hours before a session').uncheck();
      await mentee.getByLabel('Remind me 15 minutes before a session').check();
      await mentee.getByLabel('Unread messages by email').uncheck();
      await mentee.getByRole('button', { name: 'Save notification settings' }).click();
      await mentee.getByText('Notification settings saved.').waitFor();
      await mentee.reload();
      expect(await mentee.getByLabel('Booking updates by email').isChecked()).toBe(false);
      expect(await mentee.getByLabel('Booking updates in the app').isChecked()).toBe(true);
      expect(await mentee.getByLabel('Remind me 24 hours before a session').isChecked()).toBe(false);
      expect(await mentee.getByLabel('Remind me 1 hour before a session').isChecked()).toBe(true);
      expect(await mentee.getByLabel('Remind me 15 minutes before a session').isChecked()).toBe(true);
      expect(await mentee.getByLabel('Unread messages by email').isChecked()).toBe(false);

      // A reminder mail's unsubscribe link, opened on the web origin: a GET only asks, the button unsubscribes.
      const { rows } = await sql<{ id: number }>`SELECT id FROM users WHERE email = ${menteeEmail}`.execute(
        stack.database.db,
      );
      const token = unsubscribeToken(stack.api.config.UNSUBSCRIBE_SECRET, rows[0]?.id ?? 0, 'reminders');
      await mentee.goto(url(`/api/unsubscribe/${token}`));
      await mentee.goto(url('/settings'));
      expect(await mentee.getByLabel('Session reminders by email').isChecked()).toBe(true);
      await mentee.goto(url(`/api/unsubscribe/${token}`));
      await mentee.getByRole('button', { name: 'Unsubscribe from "Session reminders" mail' }).click();
      await mentee.getByText('You will get no more "Session reminders" mail.').waitFor();
      await mentee.goto(url('/settings'));
      expect(await mentee.getByLabel('Session reminders by email').isChecked()).toBe(false);
    });

    it('lets the mentor edit availability in the studio (the lazily loaded editor)', async () => {
      await mentorPage.goto(url('/studio'));
      await mentorPage.getByRole('button', { name: 'Add a date override' }).click();
      await mentorPage.getByRole('button', { name: 'Save availability' }).click();
      await mentorPage.getByText('Availability saved.').waitFor();
      const settings = await coach.client.mentors.availabilitySettings(coach.mentorId);
      expect(settings.overrides).toHaveLength(1);
      expect(settings.overrides[0]?.available).toBe(false);
    });

    it('sends an open dashboard to the sign-in page when the user signs out in another tab', async () => {
      const before = await stack.liveConnections();
      await mentee.goto(url('/dashboard'));
      await eventually(async () => (await stack.liveConnections()) > before, 15_000);
      const otherTab = await menteeContext.newPage();
      try {
        await otherTab.goto(url('/settings'));
        await otherTab.getByRole('button', { name: 'Sign out' }).click();
        await otherTab.waitForURL((address) => !address.pathname.startsWith('/settings'));
        // The API closed the dashboard's socket with "session ended"; the page re-read and was sent to sign in.
        await mentee.waitForURL(/\/sign-in/);
      } finally {
        await otherTab.close();
      }
    });

    it('books with the keyboard alone', async () => {
      const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
      const page = await context.newPage();
      try {
        const email = uniqueEmail('kim');
        await page.goto(url('/sign-up'));
        await page.getByLabel('Name').fill('Kim Keyboard');
        await page.getByLabel('Email').fill(email);
        await page.keyboard.press('Enter');
        await page.getByRole('alert').getByText('Check your inbox').waitFor();
        await drain(stack.api.outbox);
        await page.goto(await linkFromDevMailbox(stack.apiUrl, email, '/verify-email'));
        await page.getByLabel('Password').fill(PASSWORD);
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/dashboard/);
        await page.goto(url(`/mentors/${coach.mentorId}`));

        // Tab from the top of the page to the first time slot, choose the second with an arrow key.
        let focused = '';
        for (let i = 0; i < 60 && focused !== 'startsAt'; i++) {
          await page.keyboard.press('Tab');
          focused = await page.evaluate(
            () => (document.activeElement as HTMLInputElement | null)?.name ?? '',
          );
        }
        expect(focused).toBe('startsAt');
        await page.keyboard.press('ArrowRight');
        const chosen = await page.evaluate(() => (document.activeElement as HTMLInputElement).value);
        expect(await page.locator('input[name="startsAt"]:checked').inputValue()).toBe(chosen);
        // Out of the radio group: the note, then the submit button.
        await page.keyboard.press('Tab');
        for (let i = 0; i < 10; i++) {
          const tag = await page.evaluate(() => document.activeElement?.tagName);
          if (tag === 'TEXTAREA') break;
          await page.keyboard.press('Tab');
        }
        await page.keyboard.type('Booked with the keyboard');
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Request booking');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/dashboard\?notice=booked/);
        const card = bookingCard(page, 'Carla Coach');
        expect(await card.locator('.status').textContent()).toBe('Awaiting confirmation');
        expect(await card.locator('time').getAttribute('datetime')).toBe(chosen);
      } finally {
        await context.close();
      }
    });
  });
}
