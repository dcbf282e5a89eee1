// `npm run first-interaction`: how fast the web app answers a person's first interactions, measured in Chromium
// with a phone's screen and a 4× CPU slowdown against the production build (the API with demo data, the web app in
// front of it). For each flow (type in the directory search; pick a day and a time and request it, signed in as the
// demo mentee; sign in) the worst Event Timing entry, median of 3 runs; whether the first tap on a link navigates
// in the browser; and the document's time to first byte while the API's slow parts are held (median of 3). Writes
// docs/first-interaction.md and its JSON. Run with tsx (the npm script does): the relay is the browser tests' own.
// A control flow types in a bare Next.js page the same way: the framework's own share of an early keystroke.
// With FIRST_INTERACTION_TRACE=<directory>, each flow's first counted run is also recorded as a performance trace
// (opens in DevTools' Performance panel) and its main-thread tasks over 50 ms are listed with what ran in them.
/* global window, location, requestAnimationFrame -- the functions passed to the page run in the browser */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../chromium.mjs';
import { HoldingProxy } from '../test/support/holding-proxy.ts';
import { longTasks, TRACE_CATEGORIES } from './long-tasks.mjs';
import {
  chromeVersion,
  DEMO_MENTEE,
  requireBuilds,
  root,
  signInDemoMentee,
  startBareNext,
  startProductionStack,
  writeFormatted,
} from './measuring.mjs';

const RUNS = Number(process.env.FIRST_INTERACTION_RUNS ?? 3);
const CPU_SLOWDOWN = 4;
const PHONE = { width: 390, height: 844 };
/** The target for every flow's worst event (a "good" Interaction to Next Paint is at most 200 ms). */
const TARGET_MS = 100;
/** The API requests behind the slow parts of the mentor page and the dashboard, held for the TTFB check. */
const SLOW_PARTS = /^\/api\/mentors\/\d+\/(availability|reviews)|^\/api\/me\//;
const TRACE_DIR = process.env.FIRST_INTERACTION_TRACE ? resolve(process.env.FIRST_INTERACTION_TRACE) : null;

requireBuilds('The first-interaction script');

let relay;
const { apiUrl, webUrl, close } = await startProductionStack({
  name: 'first-interaction',
  webApiUrl: async (url) => {
    relay = await HoldingProxy.start(url, (path) => SLOW_PARTS.test(path));
    return relay.url;
  },
});
// The control: typing in the same search box on a page of the framework alone.
const bareNext = await startBareNext().catch((error) => {
  close();
  throw error;
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  const loadBefore = loadavg();
  const session = await signInDemoMentee(apiUrl, webUrl);
  const mentorId = await mentorWithOpenTimes(session);
  const flows = [
    { name: 'type in the directory search', slug: 'search', run: (page) => searchFlow(page) },
    {
      name: 'pick a day and a time, request it',
      slug: 'booking',
      signedIn: true,
      run: (page, i) => bookingFlow(page, mentorId, i),
    },
    { name: 'sign in', slug: 'sign-in', run: (page) => signInFlow(page) },
    {
      name: 'control: type in a bare Next.js page',
      slug: 'control',
      control: true,
      run: (page) => searchFlow(page, bareNext.url),
    },
  ];
  if (TRACE_DIR) mkdirSync(TRACE_DIR, { recursive: true });
  // One uncounted round first: it fills the API's caches and the web server's compiled pages, as traffic would.
  const results = [];
  for (const flow of flows) {
    const worst = [];
    for (let i = 0; i <= RUNS; i++) {
      const traceFile = TRACE_DIR && i === 1 ? join(TRACE_DIR, `${flow.slug}.json`) : null;
      const events = await measure(flow.signedIn ? session : null, (page) => flow.run(page, i), traceFile);
      if (i === 0) continue;
      const longest = events.reduce((a, b) => (b.duration > a.duration ? b : a), { duration: 0 });
      worst.push(longest);
      console.log(
        `${flow.name} run ${i}: worst event ${longest.duration} ms (${longest.name} on ${longest.page}; ${events.length} events)`,
      );
    }
    const durations = worst.map((event) => event.duration);
    results.push({
      flow: flow.name,
      worstEventMs: median(durations),
      runs: durations,
      worstEvents: worst,
      ...(flow.control ? { control: true } : { targetMs: TARGET_MS }),
    });
  }
  const firstTap = await firstTapNavigation();
  console.log(`first tap on a link: ${firstTap.clientSide ? 'client-side' : 'full page load'}`);
  const ttfb = [];
  for (const page of [
    { name: 'mentor page', path: `/mentors/${mentorId}`, signedIn: false },
    { name: 'dashboard', path: '/dashboard', signedIn: true },
  ]) {
    const cookie = page.signedIn ? session : null;
    // Each page once first: a route's first request in a server process loads its code.
    await heldTtfb(page.path, cookie);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await heldTtfb(page.path, cookie));
    ttfb.push({
      page: page.name,
      path: page.path,
      ttfbMs: median(runs.map((run) => run.ttfbMs)),
      runsMs: runs.map((run) => run.ttfbMs),
      loadingStatePainted: runs.every((run) => run.loadingStatePainted),
      heldRequests: Math.min(...runs.map((run) => run.heldRequests)),
    });
  }
  for (const entry of ttfb)
    console.log(`${entry.page}: first byte after ${entry.ttfbMs} ms (median) with the API held`);

  const report = {
    measuredAt: new Date().toISOString(),
    chromium: await chromeVersion(),
    viewport: PHONE,
    cpuSlowdown: CPU_SLOWDOWN,
    runs: RUNS,
    cpus: cpus().length,
    loadAverage: {
      before: loadBefore.map((n) => Number(n.toFixed(2))),
      after: loadavg().map((n) => Number(n.toFixed(2))),
    },
    flows: results,
    firstTap,
    ttfbWithApiHeld: ttfb,
  };
  await writeFormatted(join(root, 'docs/first-interaction.json'), JSON.stringify(report, null, 2));
  await writeFormatted(join(root, 'docs/first-interaction.md'), renderMarkdown(report));
  console.log('Wrote docs/first-interaction.md and docs/first-interaction.json');
} finally {
  await browser.close();
  await relay?.close();
  bareNext.close();
  close();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The best rated demo mentor with open times on at least four of the next fourteen days. */
async function mentorWithOpenTimes(session) {
  const from = new Date().toISOString().slice(0, 10);
  const to = new Date(Date.now() + 13 * 86_400_000).toISOString().slice(0, 10);
  const { items } = await (await fetch(`${apiUrl}/api/mentors?limit=20&sort=rating`)).json();
  for (const mentor of items) {
    const availability = await (
      await fetch(`${apiUrl}/api/mentors/${mentor.id}/availability?from=${from}&to=${to}&tz=UTC`, {
        headers: { cookie: `${session.name}=${session.value}` },
      })
    ).json();
    if ((availability.days ?? []).filter((day) => day.slots.length > 0).length >= 4) return mentor.id;
  }
  throw new Error('no demo mentor has open times in the next two weeks');
}

/** A new phone-sized page at 4× CPU slowdown whose Event Timing entries are reported here as they are made. */
async function phonePage(session) {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Europe/Berlin',
  });
  if (session) await context.addCookies([{ ...session, url: webUrl }]);
  const events = [];
  await context.exposeBinding('__reportEvents', (_source, entries) => events.push(...entries));
  await context.addInitScript(() => {
    // One call per batch: each call is a round trip through the DevTools protocol, on the page's main thread.
    const report = (list) =>
      window.__reportEvents(
        list.getEntries().map((entry) => ({
          type: entry.entryType,
          name: entry.name,
          duration: entry.duration,
          page: location.pathname,
        })),
      );
    new PerformanceObserver(report).observe({ type: 'event', durationThreshold: 16, buffered: true });
    new PerformanceObserver(report).observe({ type: 'first-input', buffered: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { context, page, events };
}

/** Runs one flow on a fresh page and returns its Event Timing entries; with a `traceFile`, records a trace too. */
async function measure(session, flow, traceFile = null) {
  const { context, page, events } = await phonePage(session);
  try {
    if (traceFile) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await flow(page);
    // Entries are reported after the frame that follows the interaction: let two frames pass.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    if (traceFile) reportTrace(traceFile, await browser.stopTracing());
    return events.filter((event) => event.type === 'event' || event.type === 'first-input');
  } finally {
    await context.close();
  }
}

/** Writes the trace and lists its long tasks: when each started, how long it took, and its largest parts. */
function reportTrace(file, trace) {
  writeFileSync(file, trace);
  const tasks = longTasks(JSON.parse(trace.toString()));
  const total = tasks.reduce((sum, task) => sum + task.durationMs, 0);
  console.log(`${file}: ${tasks.length} tasks over 50 ms, ${total} ms in all`);
  for (const task of tasks)
    console.log(
      `  at ${task.startMs} ms, ${task.durationMs} ms: ${task.parts.map((p) => `${p.what} ${p.ms} ms`).join('; ')}`,
    );
}

/** A person who starts typing as soon as the search box shows, and searches (the directory's, unless `url`). */
async function searchFlow(page, url = `${webUrl}/mentors`) {
  await page.goto(url, { waitUntil: 'commit' });
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.tap();
  await page.keyboard.type('react', { delay: 80 });
  await page.waitForLoadState('load');
}

/** Picks the run's day as soon as the days show, then its first time, and requests the booking. */
async function bookingFlow(page, mentorId, run) {
  await page.goto(`${webUrl}/mentors/${mentorId}`, { waitUntil: 'commit' });
  const day = page.getByRole('list', { name: 'Days' }).getByRole('link').nth(run);
  await day.tap();
  const time = page.locator('.day-times input[name="startsAt"]').first();
  // Scrolled to the middle of the screen, as a person would, clear of the sticky request bar.
  await time.evaluate((input) => input.scrollIntoView({ block: 'center' }));
  await time.tap();
  await page.locator('.day-times input:checked').waitFor({ state: 'attached' });
  await page.getByRole('button', { name: 'Request booking' }).tap();
  await arriveAt(page, /\/dashboard\?notice=booked|[?&]error=/, 'the booking request');
  const refused = new URL(page.url()).searchParams.get('error');
  if (refused) throw new Error(`the booking was refused (${refused}): nothing to measure`);
}

async function signInFlow(page) {
  await page.goto(`${webUrl}/sign-in`, { waitUntil: 'commit' });
  await page.getByLabel('Email').tap();
  await page.keyboard.type(DEMO_MENTEE.email, { delay: 50 });
  await page.getByLabel('Password').tap();
  await page.keyboard.type(DEMO_MENTEE.password, { delay: 50 });
  await page.getByRole('button', { name: 'Sign in' }).tap();
  await arriveAt(page, /\/dashboard/, 'signing in');
}

/**
 * Waits until the page's address matches `url` (the document committed, not loaded: a streamed page's load event
 * waits for its slowest part). A form's error notice, or no arrival, ends the flow with what the page showed.
 */
async function arriveAt(page, url, what) {
  const notice = page.locator('main [role="alert"], main .field-error');
  const arrived = page.waitForURL(url, { waitUntil: 'commit' }).then(() => true);
  const refused = notice
    .first()
    .waitFor()
    .then(() => false);
  const settled = await Promise.race([arrived, refused]).catch(() => false);
  arrived.catch(() => undefined);
  refused.catch(() => undefined);
  if (settled) return;
  const shown = (await notice.allInnerTexts().catch(() => [])).join(' / ') || 'no error notice';
  throw new Error(`${what} did not reach ${url}: the page stayed at ${page.url()} and showed ${shown}`);
}

/** Opens the home page, taps a link once it has loaded, and watches for a new document request. */
async function firstTapNavigation() {
  const { context, page } = await phonePage(null);
  try {
    await page.goto(`${webUrl}/`, { waitUntil: 'load' });
    let documents = 0;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.resourceType() === 'document') documents++;
    });
    const started = Date.now();
    await page.getByRole('link', { name: 'All mentors' }).tap();
    await page.getByRole('heading', { name: 'Find a mentor' }).waitFor();
    return { from: '/', to: '/mentors', clientSide: documents === 0, tapToContentMs: Date.now() - started };
  } finally {
    await context.close();
  }
}

/**
 * The document's time to first byte while the API's slow parts are held (an API that has not answered at all),
 * and whether its loading state was painted before they arrived.
 */
async function heldTtfb(path, session) {
  const { context, page } = await phonePage(session);
  try {
    relay.hold();
    await page.goto(`${webUrl}${path}`, { waitUntil: 'commit' });
    const loadingStatePainted = await page
      .locator('.loading-fallback, .skeleton')
      .first()
      .waitFor({ timeout: 15_000 })
      .then(
        () => true,
        () => false,
      );
    const heldRequests = relay.held;
    const ttfbMs = await page.evaluate(() => {
      const [navigation] = performance.getEntriesByType('navigation');
      return Math.round(navigation.responseStart);
    });
    relay.release();
    await page.waitForLoadState('load');
    return { path, ttfbMs, loadingStatePainted, heldRequests };
  } finally {
    relay.release();
    await context.close();
  }
}

function renderMarkdown(report) {
  const met = (ok) => (ok ? 'met' : 'not met');
  return [
    '# MentorHub web app: first interactions',
    '',
    `Generated by \`npm run first-interaction\` on ${report.measuredAt.slice(0, 16).replace('T', ' ')} UTC in ` +
      `${report.chromium} with a phone's screen (${report.viewport.width}×${report.viewport.height}, touch) and a ` +
      `${report.cpuSlowdown}× CPU slowdown (DevTools' \`Emulation.setCPUThrottlingRate\`), against the production ` +
      'server and the built API with demo data. Each flow starts on a new page and acts as soon as what it needs ' +
      "is on screen, so early input meets the page's loading and hydration. The worst event is the longest Event " +
      'Timing entry of the flow (`PerformanceObserver` types `event`, threshold 16 ms, and `first-input`): from ' +
      'the input to the next frame painted. Median of ' +
      `${report.runs} runs after one uncounted warm-up run; every run is in \`docs/first-interaction.json\`.`,
    '',
    '| flow | worst event (median) | runs | target | |',
    '|---|---:|---|---:|---|',
    ...report.flows.map(
      (f) =>
        `| ${f.flow} | ${f.worstEventMs} ms | ${f.runs.join(', ')} ms | ${f.control ? '— | the framework alone' : `≤ ${f.targetMs} ms | ${met(f.worstEventMs <= f.targetMs)}`} |`,
    ),
    '',
    '| check | result | target | |',
    '|---|---|---|---|',
    `| first tap on a link (home → directory, after load) | ${report.firstTap.clientSide ? 'client-side navigation' : 'full page load'}, content after ${report.firstTap.tapToContentMs} ms | client-side | ${met(report.firstTap.clientSide)} |`,
    ...report.ttfbWithApiHeld.map(
      (t) =>
        `| document TTFB, ${t.page}, its slow API parts held (${t.heldRequests} requests waiting) | ${t.ttfbMs} ms (median; runs ${t.runsMs.join(', ')} ms), loading state ${t.loadingStatePainted ? 'painted' : 'not painted'} | ≤ 100 ms, loading state painted | ${met(t.ttfbMs <= 100 && t.loadingStatePainted)} |`,
    ),
    '',
    `Machine: ${report.cpus} CPUs, load average (1/5/15 min) ${report.loadAverage.before.join(' / ')} before → ` +
      `${report.loadAverage.after.join(' / ')} after. The slowdown multiplies what the machine itself costs: on a ` +
      'busy machine every number is higher than on an idle one. The control types in the same kind of search box on ' +
      "`apps/web/scripts/bare-next`, one page on the web app's own Next.js and React served by `next start`: what " +
      'the framework alone costs an early keystroke on this machine.',
    '',
  ].join('\n');
}
