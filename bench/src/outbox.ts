// `npm run bench -- --scenario outbox [--quick]`: how fast booking mail leaves through the transactional outbox.
// A burst of bookings through the HTTP API (so each outbox row commits with its booking), delivered by 1 and then 2
// outbox worker processes to a real SMTP server in this process; latency from commit to SMTP acceptance,
// throughput, and an exactly-once check.
import { migrateToLatest } from '@mentorhub/db';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { hashPassword } from '../../apps/api/src/infra/auth/passwords';
import { messageIdOf } from '../../apps/api/src/modules/outbox/message-id';
import { createBenchDatabase, withDatabase, type BenchDatabase } from './databases';
import { describeMachine } from './machine';
import { percentile } from './measure';
import { freePort } from '../../ops/cluster/local-servers.mjs';
import { startApi, startOutboxWorker, type ServerProcess } from './processes';
import { runSummary, saveResults } from './results';
import { progressLog } from './progress';
import type { OutboxResults, OutboxRun } from './report/outbox-report';
import { renderOutboxReport } from './report/outbox-report';

const HOUR_MS = 3_600_000;
const PASSWORD = 'outbox benchmark password';
const MAIL_FROM = 'MentorHub <bench@mentorhub.localhost>';
const ORIGIN = 'http://localhost:3000';
/** Booking requests in flight at once during a burst: the API's connection pool size, so none waits for one. */
const CONCURRENCY = 10;
/** A 503 (the database briefly out of connections on a shared server) is retried like a client would, this often. */
const RETRIES_ON_503 = 5;
/** How often a worker polls when the outbox is empty (under a backlog it runs passes back to back). */
const POLL_SECONDS = 1;
/** A run that delivers nothing for this long has failed (a stuck worker), rather than being slow. */
const STALL_MS = 60_000;

interface OutboxProfile {
  name: 'full' | 'quick';
  bookings: number;
  mentors: number;
  mentees: number;
}

const outboxProfiles: Record<OutboxProfile['name'], OutboxProfile> = {
  full: { name: 'full', bookings: 1000, mentors: 40, mentees: 100 },
  quick: { name: 'quick', bookings: 50, mentors: 5, mentees: 10 },
};

/** An SMTP server that accepts everything and notes when each Message-ID was accepted (end of its DATA). */
class AcceptingSmtpServer {
  readonly accepted = new Map<string, number[]>();
  private waiters: (() => void)[] = [];
  private server: SMTPServer | undefined;
  private constructor(readonly url: string) {}

  static async start(): Promise<AcceptingSmtpServer> {
    const port = await freePort();
    const smtp = new AcceptingSmtpServer(`smtp://127.0.0.1:${String(port)}`);
    await smtp.listen(port);
    return smtp;
  }

  private async listen(port: number): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 8192) head += chunk.toString('latin1');
        });
        stream.on('end', () => {
          this.note(/^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? '(none)', Date.now());
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  get total(): number {
    let sum = 0;
    for (const times of this.accepted.values()) sum += times.length;
    return sum;
  }

  /** Resolves once `count` messages have been accepted; rejects if none arrives for STALL_MS. */
  async waitFor(count: number): Promise<void> {
    let seen = this.total;
    while (this.total < count) {
      const progressed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          resolve(false);
        }, STALL_MS);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      if (!progressed && this.total === seen)
        throw new Error(`delivery stalled at ${String(this.total)} of ${String(count)} messages`);
      seen = this.total;
    }
  }

  reset(): void {
    this.accepted.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.server) this.server.close(resolve);
      else resolve();
    });
  }

  private note(id: string, at: number): void {
    const times = this.accepted.get(id) ?? [];
    times.push(at);
    this.accepted.set(id, times);
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }
}

/** Mentors open every hour of every day and mentees, all able to sign in with one password. */
async function createAccounts(database: BenchDatabase, profile: OutboxProfile) {
  const passwordHash = await hashPassword(PASSWORD);
  return withDatabase(database, async ({ db }) => {
    await migrateToLatest(db);
    const { rows: mentors } = await sql<{ id: number }>`
      WITH u AS (
        INSERT INTO users (email, name, role, password_hash)
        SELECT 'mentor' || n || '@bench.example', 'Mentor ' || n, 'mentor', ${passwordHash}
        FROM generate_series(1, ${profile.mentors}) n
        RETURNING id
      )
      INSERT INTO mentors (user_id, headline, hourly_rate_cents, timezone, status, min_notice_minutes,
                           buffer_minutes, session_minutes)
      SELECT id, 'Mentor', 6000, 'UTC', 'approved', 0, 0, 60 FROM u
      RETURNING id`.execute(db);
    await sql`
      INSERT INTO availability_rules (mentor_id, weekday, start_minute, end_minute)
      SELECT m.id, d, 0, 1440 FROM mentors m, generate_series(0, 6) d`.execute(db);
    await sql`
      INSERT INTO users (email, name, password_hash)
      SELECT 'mentee' || n || '@bench.example', 'Mentee ' || n, ${passwordHash}
      FROM generate_series(1, ${profile.mentees}) n`.execute(db);
    return { mentorIds: mentors.map((row) => row.id) };
  });
}

async function signIn(api: ServerProcess, email: string): Promise<string> {
  const response = await fetch(`${api.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`sign-in of ${email} failed: ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((line) => line.includes('mh_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return cookie.split(';')[0] ?? '';
}

/** Runs `tasks` with at most `limit` in flight. */
async function inParallel(limit: number, tasks: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const task = tasks[next];
      next += 1;
      await task?.();
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}

/**
 * `count` bookings, each a distinct mentor hour, mentees taking turns so none has two sessions at once. Starts at
 * `firstHour` hours from now; every booking's request mail is one outbox row.
 */
async function bookBurst(
  api: ServerProcess,
  sessions: string[],
  mentorIds: number[],
  count: number,
  firstHour: number,
): Promise<{ seconds: number; retries: number }> {
  const base = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + firstHour * HOUR_MS;
  const started = Date.now();
  let retries = 0;
  await inParallel(
    CONCURRENCY,
    Array.from({ length: count }, (_, i) => async () => {
      const startsAt = new Date(base + Math.floor(i / mentorIds.length) * HOUR_MS).toISOString();
      for (let attempt = 0; ; attempt += 1) {
        const response = await fetch(`${api.url}/api/bookings`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: ORIGIN,
            cookie: sessions[i % sessions.length] ?? '',
          },
          body: JSON.stringify({ mentorId: mentorIds[i % mentorIds.length], startsAt }),
        });
        if (response.status === 201) return;
        if (response.status !== 503 || attempt >= RETRIES_ON_503)
          throw new Error(`booking ${String(i)} failed: ${await response.text()}`);
        retries += 1;
        const retryAfterSeconds = Number(response.headers.get('retry-after') ?? '1') || 1;
        await new Promise((resolve) => setTimeout(resolve, retryAfterSeconds * 1000));
      }
    }),
  );
  return { seconds: (Date.now() - started) / 1000, retries };
}

/** Joins the outbox rows written since `afterId` with the SMTP server's acceptances. */
async function measureRun(
  database: BenchDatabase,
  smtp: AcceptingSmtpServer,
  afterId: number,
): Promise<{
  run: Omit<OutboxRun, 'label' | 'workers' | 'bookingSeconds' | 'bookingRetries' | 'mode'>;
  lastId: number;
}> {
  const rows = await withDatabase(database, async ({ db }) => {
    const { rows: written } = await sql<{
      id: number;
      idempotency_key: string;
      created_at: Date;
      status: string;
    }>`
      SELECT id, idempotency_key, created_at, status FROM outbox WHERE id > ${afterId} ORDER BY id`.execute(
      db,
    );
    return written;
  });
  const latencies: number[] = [];
  let duplicates = 0;
  let missing = 0;
  const acceptances: number[] = [];
  for (const row of rows) {
    const times = smtp.accepted.get(messageIdOf(row.idempotency_key, MAIL_FROM));
    if (!times) {
      missing += 1;
      continue;
    }
    duplicates += times.length - 1;
    const first = Math.min(...times);
    acceptances.push(first);
    latencies.push(first - row.created_at.getTime());
  }
  latencies.sort((a, b) => a - b);
  acceptances.sort((a, b) => a - b);
  const spanSeconds = ((acceptances.at(-1) ?? 0) - (acceptances[0] ?? 0)) / 1000;
  const run = {
    rows: rows.length,
    received: smtp.total,
    duplicates,
    missing,
    unsent: rows.filter((row) => row.status !== 'sent').length,
    latencyMs: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? 0,
    },
    deliverySeconds: spanSeconds,
    messagesPerSecond: spanSeconds > 0 ? rows.length / spanSeconds : 0,
  };
  return { run, lastId: rows.at(-1)?.id ?? afterId };
}

export async function runOutboxBench(profileName: 'full' | 'quick', databaseUrl: string | undefined) {
  const profile = outboxProfiles[profileName];
  const started = Date.now();
  const { step } = progressLog(started);
  if (!databaseUrl)
    console.warn(
      '⚠ DATABASE_URL is not set: the embedded database belongs to the API process, so it delivers itself (one worker, no separate processes).',
    );
  const machine = await describeMachine(databaseUrl, undefined);
  const smtp = await AcceptingSmtpServer.start();
  const database = await createBenchDatabase('outbox', databaseUrl);
  const runs: OutboxRun[] = [];
  const skipped: string[] = [];
  try {
    step(`Accounts: ${String(profile.mentors)} mentors open all week, ${String(profile.mentees)} mentees`);
    const { mentorIds } = await createAccounts(database, profile);
    const separateWorkers = databaseUrl !== undefined;
    const api = await startApi({
      ...database.env,
      SMTP_URL: smtp.url,
      MAIL_FROM,
      CACHE_ENABLED: 'false',
      // Separate worker processes deliver on PostgreSQL; the embedded database allows only the API's own.
      OUTBOX_POLL_SECONDS: separateWorkers ? '0' : String(POLL_SECONDS),
      LOGIN_ATTEMPTS_PER_ADDRESS: '1000000000',
      LOGIN_ATTEMPTS_PER_ACCOUNT: '1000000000',
    });
    let apiStopped: Promise<void> | undefined;
    const stopApi = () => (apiStopped ??= api.stop());
    try {
      step('Signing in every mentee through the API');
      const sessions: string[] = [];
      for (let n = 1; n <= profile.mentees; n += 1)
        sessions.push(await signIn(api, `mentee${String(n)}@bench.example`));

      let lastId = 0;
      let nextHour = 24;
      const hoursPerBurst = Math.ceil(profile.bookings / mentorIds.length) + 1;
      const workerCounts = separateWorkers ? [1, 2] : [1];
      if (!separateWorkers) skipped.push('2 worker processes (needs DATABASE_URL: PostgreSQL)');
      for (const workers of workerCounts) {
        for (const mode of ['burst', 'backlog'] as const) {
          const label = `${String(workers)} worker${workers > 1 ? 's' : ''}, ${mode === 'burst' ? 'running during the burst' : 'draining a backlog'}`;
          step(`${label}: ${String(profile.bookings)} bookings`);
          smtp.reset();
          const env = {
            ...database.env,
            // A worker runs one statement at a time.
            DATABASE_POOL_SIZE: '2',
            SMTP_URL: smtp.url,
            MAIL_FROM,
            OUTBOX_POLL_SECONDS: String(POLL_SECONDS),
          };
          const startWorkers = () =>
            separateWorkers
              ? Promise.all(Array.from({ length: workers }, () => startOutboxWorker(env)))
              : Promise.resolve([]);
          let processes: ServerProcess[] = [];
          let booking: { seconds: number; retries: number };
          if (mode === 'burst') {
            processes = await startWorkers();
            booking = await bookBurst(api, sessions, mentorIds, profile.bookings, nextHour);
          } else if (separateWorkers) {
            booking = await bookBurst(api, sessions, mentorIds, profile.bookings, nextHour);
            processes = await startWorkers();
          } else {
            skipped.push('draining a backlog (the embedded API delivers while it books)');
            continue;
          }
          nextHour += hoursPerBurst;
          await smtp.waitFor(profile.bookings);
          await Promise.all(processes.map((worker) => worker.stop()));
          // The embedded database is one process's at a time: the API's must close before this one reads it.
          if (!separateWorkers) await stopApi();
          const measured = await measureRun(database, smtp, lastId);
          lastId = measured.lastId;
          const run = measured.run;
          runs.push({
            label,
            workers,
            mode,
            bookingSeconds: booking.seconds,
            bookingRetries: booking.retries,
            ...run,
          });
          if (run.duplicates > 0 || run.missing > 0 || run.unsent > 0 || run.received !== run.rows)
            throw new Error(
              `${label}: not exactly once (${String(run.rows)} rows, ${String(run.received)} received, ${String(run.duplicates)} duplicates, ${String(run.missing)} missing, ${String(run.unsent)} unsent)`,
            );
        }
      }
    } finally {
      await stopApi();
    }
  } finally {
    await smtp.close();
    await database.drop();
  }

  const results: OutboxResults = {
    ...runSummary(profile.name, started, machine),
    settings: {
      bookings: profile.bookings,
      mentors: profile.mentors,
      mentees: profile.mentees,
      concurrency: CONCURRENCY,
      pollSeconds: POLL_SECONDS,
      database: databaseUrl ? 'PostgreSQL' : 'embedded PGlite',
    },
    runs,
    skipped,
  };
  const { jsonFile, reportFile } = saveResults(
    results,
    'outbox',
    profile.name,
    'outbox-delivery.md',
    renderOutboxReport,
  );
  step(`Done: ${jsonFile} and ${reportFile}`);
  return { jsonFile, reportFile };
}
