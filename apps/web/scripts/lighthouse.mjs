// `npm run lighthouse`: Lighthouse (mobile preset, simulated throttling) against the production build of the web
// app and the built API on a throw-away embedded database with demo data; after a warm-up round, the median of
// 3 runs per page goes into docs/lighthouse.md (and its JSON), which docs/benchmarks.md includes. The dashboard is
// measured signed in as the demo mentee.
// LIGHTHOUSE_CPU_SLOWDOWN=N replaces the preset's 4× CPU slowdown, to see the pages on a slower host than this one
// (Lighthouse's advice for calibrating to a machine); such runs go to docs/lighthouse-cpu-Nx.md instead.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../chromium.mjs';
import { freePort } from '../../../ops/cluster/local-servers.mjs';
import {
  chromeVersion,
  requireBuilds,
  root,
  signInDemoMentee,
  startBareNext,
  startProductionStack,
  webDir,
  writeFormatted,
} from './measuring.mjs';

const chromePath = CHROMIUM_PATH;
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const PRESET_CPU_SLOWDOWN = 4;
const cpuSlowdown = Number(process.env.LIGHTHOUSE_CPU_SLOWDOWN ?? PRESET_CPU_SLOWDOWN);
const outputName = cpuSlowdown === PRESET_CPU_SLOWDOWN ? 'lighthouse' : `lighthouse-cpu-${cpuSlowdown}x`;
const chromeFlags = ['--headless=new', ...CHROMIUM_FLAGS];

requireBuilds('Lighthouse');

const { apiUrl, webUrl, close } = await startProductionStack({ name: 'lighthouse' });
// The second control: the framework alone, built and served like the web app.
const bareNext = await startBareNext().catch((error) => {
  close();
  throw error;
});
try {
  const mentors = await (await fetch(`${apiUrl}/api/mentors?limit=1&sort=rating`)).json();
  const courses = await (await fetch(`${apiUrl}/api/courses?limit=1&sort=popular`)).json();
  const pages = [
    { name: 'home', route: '/', path: '/' },
    { name: 'mentor directory', route: '/mentors', path: '/mentors' },
    { name: 'mentor profile', route: '/mentors/[id]', path: `/mentors/${mentors.items[0].id}` },
    { name: 'course page', route: '/courses/[slug]', path: `/courses/${courses.items[0].slug}` },
    { name: 'sign-in', route: '/sign-in', path: '/sign-in' },
    { name: 'dashboard', route: '/dashboard', path: '/dashboard', signedIn: true },
  ];
  // The dashboard is measured as the demo mentee sees it: the session cookie is in the browser before Lighthouse
  // opens the page (Lighthouse keeps cookies), so the page's own requests and its live socket carry it.
  const session = await signInDemoMentee(apiUrl, webUrl);
  // The control: a minimal static HTML page measured the same way, in the same minutes. On a quiet machine it
  // scores 100; on a busy one it shows how much of every page's score the machine itself takes away.
  const control = createHttpServer((req, res) => {
    // Only the page itself exists: a robots.txt answered with HTML would cost the control its SEO score.
    if (req.url !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>Control</title><meta name="description" content="A minimal page."><link rel="icon" href="data:,"></head>' +
        '<body><main><h1>Control</h1><p>A minimal static page.</p></main></body></html>',
    );
  });
  const controlPort = await freePort();
  await new Promise((resolve) => control.listen(controlPort, '127.0.0.1', resolve));
  pages.push(
    {
      name: 'control: minimal static page',
      route: null,
      path: null,
      url: `http://127.0.0.1:${controlPort}/`,
    },
    { name: 'control: bare Next.js page', route: null, path: null, url: bareNext.url },
  );

  /** Puts the session cookie into the launched browser's profile, then lets go of the browser. */
  async function signInBrowser(port) {
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    try {
      await browser.contexts()[0].addCookies([{ ...session, url: webUrl }]);
    } finally {
      await browser.close();
    }
  }

  async function audit(url, signedIn) {
    const chrome = await chromeLauncher.launch({ chromePath, chromeFlags, userDataDir: false });
    try {
      if (signedIn) await signInBrowser(chrome.port);
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        // A signed-in page is kept out of search engines on purpose (noindex): search-engine checks do not apply.
        onlyCategories: ['performance', 'accessibility', 'best-practices', ...(signedIn ? [] : ['seo'])],
        throttling: { cpuSlowdownMultiplier: cpuSlowdown },
      });
      return result.lhr;
    } finally {
      await chrome.kill();
    }
  }

  const loadBefore = loadavg();
  const reportsOf = new Map(pages.map((page) => [page, []]));
  // Round 0 only warms what a CDN-fronted site keeps warm (the API's image renditions, its response cache) and is
  // not counted. The counted rounds take the pages in turn, so a burst of load from elsewhere on the machine costs
  // one run of several pages rather than every run of one page.
  for (let round = 0; round <= runs; round++) {
    for (const page of pages) {
      const lhr = await audit(page.url ?? `${webUrl}${page.path}`, page.signedIn === true);
      if (round === 0) continue;
      reportsOf.get(page).push(lhr);
      const score = (id) => categoryScore(lhr, id) ?? '—';
      console.log(
        `${page.name} run ${round}: perf ${score('performance')} a11y ${score('accessibility')} bp ${score('best-practices')} seo ${score('seo')}`,
      );
    }
  }

  const results = [];
  for (const [page, reports] of reportsOf) {
    const median = computeMedianRun(reports);
    const score = (id) => categoryScore(median, id);
    const failing = Object.values(median.audits)
      .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
      .map((audit) => audit.id);
    results.push({
      ...page,
      performance: score('performance'),
      accessibility: score('accessibility'),
      bestPractices: score('best-practices'),
      seo: score('seo'),
      lcpMs: Math.round(median.audits['largest-contentful-paint'].numericValue),
      fcpMs: Math.round(median.audits['first-contentful-paint'].numericValue),
      tbtMs: Math.round(median.audits['total-blocking-time'].numericValue),
      cls: Number(median.audits['cumulative-layout-shift'].numericValue.toFixed(3)),
      speedIndexMs: Math.round(median.audits['speed-index'].numericValue),
      failingAudits: failing,
      runs: reports.map((lhr) => Math.round((lhr.categories.performance.score ?? 0) * 100)),
      benchmarkIndex: Math.round(median.environment.benchmarkIndex),
    });
  }
  control.close();

  const bundles = firstLoadJs();
  const report = {
    measuredAt: new Date().toISOString(),
    lighthouse: JSON.parse(readFileSync(join(root, 'node_modules/lighthouse/package.json'), 'utf8')).version,
    chromium: await chromeVersion(),
    runsPerPage: runs,
    cpuSlowdown,
    cpus: cpus().length,
    loadAverage: {
      before: loadBefore.map((n) => Number(n.toFixed(2))),
      after: loadavg().map((n) => Number(n.toFixed(2))),
    },
    pages: results.map((r) => ({ ...r, firstLoadJs: r.route ? (bundles.get(r.route) ?? null) : null })),
  };
  await writeFormatted(join(root, `docs/${outputName}.json`), JSON.stringify(report, null, 2));
  await writeFormatted(join(root, `docs/${outputName}.md`), renderMarkdown(report));
  console.log(`Wrote docs/${outputName}.md and docs/${outputName}.json`);
  const below = report.pages
    .filter((p) => p.route)
    .filter(
      (p) => p.performance < 98 || p.accessibility < 100 || p.bestPractices < 100 || (p.seo ?? 100) < 100,
    );
  if (below.length > 0) console.log(`Below target: ${below.map((p) => p.name).join(', ')}`);
} finally {
  bareNext.close();
  close();
}

/** A category's score out of 100; null when the category was not audited. */
function categoryScore(lhr, id) {
  const category = lhr.categories[id];
  return category ? Math.round((category.score ?? 0) * 100) : null;
}

/** First-load JS per route from Next's build diagnostics, raw and gzip-compressed. */
function firstLoadJs() {
  const stats = JSON.parse(readFileSync(join(webDir, '.next/diagnostics/route-bundle-stats.json'), 'utf8'));
  return new Map(
    stats.map((entry) => [
      entry.route,
      {
        rawBytes: entry.firstLoadUncompressedJsBytes,
        gzipBytes: entry.firstLoadChunkPaths.reduce(
          (sum, chunk) => sum + gzipSync(readFileSync(join(webDir, chunk))).length,
          0,
        ),
      },
    ]),
  );
}

function renderMarkdown(report) {
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const rows = report.pages.map((p) =>
    [
      p.name,
      p.route ? `\`${p.route}\`` : '—',
      p.performance,
      p.accessibility,
      p.bestPractices,
      p.seo ?? '— (noindex)',
      `${p.lcpMs} ms`,
      `${p.tbtMs} ms`,
      p.cls,
      `${p.fcpMs} ms`,
      p.firstLoadJs ? `${kb(p.firstLoadJs.gzipBytes)} (${kb(p.firstLoadJs.rawBytes)} raw)` : '—',
      p.benchmarkIndex,
    ].join(' | '),
  );
  return [
    '# MentorHub web pages: Lighthouse',
    '',
    `Generated by \`npm run lighthouse\` on ${report.measuredAt.slice(0, 16).replace('T', ' ')} UTC with Lighthouse ` +
      `${report.lighthouse} (mobile preset: Moto G Power class device, simulated slow 4G and ${cpuSlowdownText(report)}) in ` +
      `${report.chromium}, against the production server (\`apps/web/server.mjs\`: the production build as Next ` +
      'serves it) and the built API on an embedded database with demo data. ' +
      `Median of ${report.runsPerPage} runs per page (Lighthouse's own median-run choice), after one uncounted ` +
      'warm-up run of every page (it fills the API caches and image renditions a CDN would keep warm); the runs take ' +
      'the pages in turn; the dashboard is signed in as the demo mentee (its session cookie set in the browser ' +
      `before the run). Every run's score and the raw numbers are in \`docs/${outputName}.json\`. First-load JS is the ` +
      "route's framework and page code (loaded and run with the page), from " +
      '`.next/diagnostics/route-bundle-stats.json`, gzip-compressed as served.',
    '',
    '| page | route | performance | accessibility | best practices | SEO | LCP | TBT | CLS | FCP | first-load JS | benchmark index |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((row) => `| ${row} |`),
    '',
    `Machine: ${report.cpus} CPUs, load average (1/5/15 min) ${report.loadAverage.before.join(' / ')} before → ` +
      `${report.loadAverage.after.join(' / ')} after. Lighthouse's simulated throttling multiplies the main-thread ` +
      `time it observes by ${report.cpuSlowdown}, so a busy machine (other processes on the same cores) lowers every performance ` +
      "score: the static control (a minimal HTML page, measured in the same minutes) and the benchmark index (Lighthouse's " +
      'own CPU measure of the machine during the run; higher is faster) show by how much. The bare Next.js control ' +
      "(`apps/web/scripts/bare-next`: one page on the web app's own Next.js and React, served by `next start`) is " +
      "what loading and hydrating the framework alone scores on this machine: the floor under every page's TBT.",
    '',
    'Target: performance ≥ 98, accessibility and best practices 100 on every page, SEO 100 on every public page.',
    '',
  ].join('\n');
}

function cpuSlowdownText(report) {
  return report.cpuSlowdown === PRESET_CPU_SLOWDOWN
    ? `${PRESET_CPU_SLOWDOWN}× CPU slowdown`
    : `${report.cpuSlowdown}× CPU slowdown instead of the preset's ${PRESET_CPU_SLOWDOWN}×`;
}
