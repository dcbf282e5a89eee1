import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunSummary } from '../results';
import { int, table } from './markdown';

export interface OutboxRun {
  label: string;
  workers: number;
  /** burst: workers already running while the bookings arrive; backlog: workers started after all of them. */
  mode: 'burst' | 'backlog';
  bookingSeconds: number;
  /** Booking requests answered 503 (no database connection in time on a busy server) and sent again. */
  bookingRetries: number;
  /** Outbox rows the bookings wrote, and messages the SMTP server accepted. */
  rows: number;
  received: number;
  duplicates: number;
  missing: number;
  unsent: number;
  /** From the row's created_at (its transaction) to the SMTP server's acceptance of the message. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** From the first acceptance to the last. */
  deliverySeconds: number;
  messagesPerSecond: number;
}

export interface OutboxResults extends RunSummary {
  settings: {
    bookings: number;
    mentors: number;
    mentees: number;
    concurrency: number;
    pollSeconds: number;
    database: string;
  };
  runs: OutboxRun[];
  skipped: string[];
}

/** The outbox delivery measurements as Markdown sections (without a title). */
export function outboxSections(results: OutboxResults): string[] {
  const { machine, settings } = results;
  return [
    `Measured by \`npm run bench -- --scenario outbox${results.profile === 'quick' ? ' --quick' : ''}\` on ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC (commit ${machine.commit}); raw numbers in \`bench/results/${results.startedAt.slice(0, 10)}-outbox${results.profile === 'quick' ? '-quick' : ''}.json\`.`,
    `${int(settings.bookings)} session requests per run through \`POST /api/bookings\` (${String(settings.concurrency)} in flight, ${String(settings.mentees)} signed-in mentees, ${String(settings.mentors)} mentors open all week), each writing its request mail to the outbox in the booking's transaction. ${settings.database === 'PostgreSQL' ? 'The API process does not deliver; outbox workers are separate `npm run worker` processes' : 'The embedded database belongs to the API process, so its own worker delivers'} (polling every ${String(settings.pollSeconds)} s when idle, back to back under a backlog), sending to an SMTP server in the benchmark process that accepts everything. Latency runs from the row's \`created_at\` (its transaction) to the end of the message's DATA at the SMTP server. Database: ${settings.database} (${machine.postgres}); ${machine.cpu} × ${String(machine.cores)}, load average ${machine.loadAverage.join(' / ')} before → ${results.loadAverageAfter.join(' / ')} after.`,
    table(
      [
        'run',
        'bookings/s',
        'latency p50',
        'p95',
        'p99',
        'max',
        'mails/s',
        'mails/s per worker',
        'exactly once',
      ],
      results.runs.map((run) => [
        run.label,
        int(run.rows / run.bookingSeconds),
        `${int(run.latencyMs.p50)} ms`,
        `${int(run.latencyMs.p95)} ms`,
        `${int(run.latencyMs.p99)} ms`,
        `${int(run.latencyMs.max)} ms`,
        int(run.messagesPerSecond),
        int(run.messagesPerSecond / run.workers),
        run.duplicates === 0 && run.missing === 0 && run.received === run.rows
          ? `✅ ${int(run.received)} of ${int(run.rows)}`
          : `❌ ${int(run.received)} received of ${int(run.rows)}, ${int(run.duplicates)} twice`,
      ]),
    ),
    'Running during the burst: the latency a mentor waits for their request mail while bookings keep arriving (when the workers deliver slower than bookings arrive, it grows through the burst). Draining a backlog: all bookings first, then the workers start; mails/s counts from the first acceptance to the last. Each delivery reads the recipient, sends over its worker’s pooled SMTP connection and settles its row.',
    ...(results.runs.some((run) => run.bookingRetries > 0)
      ? [
          `Booking requests answered 503 and sent again: ${results.runs.map((run) => `${run.label}: ${String(run.bookingRetries)}`).join('; ')}.`,
        ]
      : []),
    ...(results.skipped.length ? [`Skipped: ${results.skipped.join('; ')}.`] : []),
  ];
}

/** Writes the outbox delivery report on its own. */
export function renderOutboxReport(results: OutboxResults, reportFile: string): void {
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${['# Outbox delivery', ...outboxSections(results)].join('\n\n')}\n`);
}

/** The latest full outbox measurement saved in `resultsDir`, if any. */
export function latestOutboxResults(resultsDir: string): OutboxResults | undefined {
  if (!existsSync(resultsDir)) return undefined;
  const latest = readdirSync(resultsDir)
    .filter((name) => name.endsWith('-outbox.json'))
    .sort()
    .at(-1);
  return latest ? (JSON.parse(readFileSync(join(resultsDir, latest), 'utf8')) as OutboxResults) : undefined;
}

/** The latest full outbox measurement as a section of docs/benchmarks.md; none yet: nothing. */
export function latestOutboxSection(resultsDir: string): string[] {
  const results = latestOutboxResults(resultsDir);
  return results ? ['## Outbox delivery', ...outboxSections(results)] : [];
}
