import { databaseEnvSchema, describeEnvIssues } from '@mentorhub/db';
import { z } from 'zod';

/** BOOKING_REQUEST_TTL_MINUTES when unset: a day. */
export const DEFAULT_BOOKING_REQUEST_TTL_MINUTES = 60 * 24;

/** Signs unsubscribe links outside production only; production refuses to start without its own key. */
const DEVELOPMENT_UNSUBSCRIBE_SECRET = 'development-only-unsubscribe-key-not-for-production';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const addressOrRange = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

const envSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Statements slower than this are logged as "Slow query". */
  SLOW_QUERY_MS: z.coerce.number().min(0).default(200),
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  /**
   * Send a Server-Timing header (cache status, database time, statement count) with every response. It tells any
   * caller how a request was answered, so it is off by default in production.
   */
  SERVER_TIMING: booleanFlag.optional(),
  /**
   * The bearer token Prometheus sends to GET /metrics. Unset: /metrics is not served (404), since its route names
   * and traffic volumes are for operators only.
   */
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[\x21-\x7e]{32,200}$/, { error: 'must be 32–200 printable characters without spaces' })
      .optional(),
  ),
  /** A session nobody used for this long ends (the idle timeout). */
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** A session ends this long after sign-in however active it is (the absolute lifetime). */
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Cache-aside for public GETs (off: every request reads the database; for measurements). */
  CACHE_ENABLED: booleanFlag.default(true),
  /** The in-process tier; off leaves Redis as the only tier (for measurements). */
  CACHE_L1_ENABLED: booleanFlag.default(true),
  CACHE_L1_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  CACHE_L1_MAX_MB: z.coerce.number().min(1).default(64),
  /** Every Redis key and channel of MentorHub starts with this, so a flush never touches anything else. */
  CACHE_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,40}$/, { error: 'must be 1–40 of letters, digits, _ : . -' })
    .default('mh:'),
  /** A read replica further behind than this (or unreachable) is not read from: reads go to the primary. */
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Redis commands that take longer fail over to the database. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(200).default(200),
  /** How long a write waits for other instances to confirm they dropped invalidated entries. */
  CACHE_ACK_TIMEOUT_MS: z.coerce.number().int().min(0).max(5000).default(250),
  /** The same statement shape this many times in one request is reported as N+1. */
  N_PLUS_ONE_THRESHOLD: z.coerce.number().int().min(2).default(5),
  /** 'error' turns an N+1 into a 500 (the default under test, so a test that triggers one fails). */
  N_PLUS_ONE_MODE: z.enum(['warn', 'error']).optional(),
  /** Origins allowed to make signed-in writes (CSRF check), comma-separated: the web app's and the API's own. */
  ALLOWED_ORIGINS: z
    .string()
    .default('http://localhost:3000,http://localhost:4000')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.url({ error: 'must be a comma-separated list of origins like https://mentorhub.example' })),
    ),
  /** A booking request the mentor has not answered expires after this long (and frees its slot). */
  BOOKING_REQUEST_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 14)
    .default(DEFAULT_BOOKING_REQUEST_TTL_MINUTES),
  /** An account younger than this many days counts as new for the thread limit below. */
  MESSAGING_NEW_ACCOUNT_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** New conversations a new account may open per 24 hours (bookings open theirs regardless). */
  MESSAGING_NEW_ACCOUNT_THREADS_PER_DAY: z.coerce.number().int().min(1).max(1000).default(3),
  /** A participant is mailed about messages they have left unread this long (one digest of all such threads). */
  MESSAGE_DIGEST_DELAY_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 7)
    .default(15),
  /** How often each API process looks for unread messages due in a digest (0 turns the job off in it). */
  MESSAGE_DIGEST_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Neither party can cancel a confirmed session later than this before it starts. */
  CANCELLATION_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 14)
    .default(24),
  /** How often each API process marks stale requests expired (0 turns the sweep off; reads ignore them anyway). */
  BOOKING_EXPIRY_SWEEP_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** A party not there this long after a session's start may be reported as a no-show by the other. */
  NO_SHOW_GRACE_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
  /** Cancelling a confirmed session closer than this to its start gives the canceller a strike. */
  LATE_CANCEL_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 14)
    .default(3),
  /** A strike stops counting this long after it was given. */
  STRIKE_EXPIRY_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** This many strikes within STRIKE_WINDOW_DAYS pause the account (0: strikes never pause). */
  STRIKES_TO_PAUSE: z.coerce.number().int().min(0).max(100).default(3),
  STRIKE_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How long a pause keeps the account from booking (a mentee) or being booked (a mentor). */
  PAUSE_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  /** Either party may dispute a no-show this long after it was reported. */
  DISPUTE_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** A mentor who left requests unanswered this long, answering none, is hidden from the directory (0: never). */
  MENTOR_INACTIVE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** How often each process recomputes every mentor's responsiveness and inactivity (0: only as requests are answered). */
  RESPONSIVENESS_REFRESH_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /**
   * How often each API process deletes accounts never verified whose sign-up link has expired, freeing their
   * address (0 turns the sweep off).
   */
  UNVERIFIED_ACCOUNT_SWEEP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3600),
  /** The live socket is pinged this often; one that has not answered the previous ping is dropped. */
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(30),
  /** Open live sockets per account and process (tabs, devices); one more is closed with code 4429. */
  LIVE_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs, e.g. the web app's server and
   * the load balancer). Unset: the client address is the socket's, and forwarded headers are ignored.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((entry) => addressOrRange.safeParse(entry).success), {
      error: 'must be a comma-separated list of IP addresses or CIDR ranges',
    }),
  /** A request whose headers and body have not fully arrived after this long is answered 408 and closed. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Sign-ups per client address per hour. */
  SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Password reset requests per client address per hour. */
  PASSWORD_RESETS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  /** Account mails (sign-up, reset, email change) per recipient address per hour; beyond it none is sent. */
  ACCOUNT_MAILS_PER_HOUR: z.coerce.number().int().min(1).default(3),
  /** Failed sign-ins per account from one address before that address is locked out of it for 15 minutes. */
  LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: z.coerce.number().int().min(1).default(5),
  /** Sign-in attempts per client address per 15 minutes, whatever the account. */
  LOGIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  /**
   * Sign-in attempts per account from every address per 15 minutes; beyond it the account accepts sign-ins only
   * from addresses it has signed in from before.
   */
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  /** Uncached searches, availability ranges and GraphQL queries per client address per minute. */
  EXPENSIVE_READS_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** The most a single GraphQL query may cost (a statement-running field weighs 100, any other field 1). */
  GRAPHQL_MAX_QUERY_COST: z.coerce.number().int().min(100).default(3000),
  /** GraphQL cost per client address per minute, charged only for queries that reach the database. */
  GRAPHQL_COST_PER_MINUTE: z.coerce.number().int().min(100).default(30_000),
  /** Session cookies over HTTPS only, with the __Host- prefix (default on in production). */
  SECURE_COOKIES: booleanFlag.optional(),
  /** The SMTP server mail goes through (smtp:// or smtps://, credentials in the URL). Unset: .eml files in DATA_DIR/mail. */
  SMTP_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  ),
  /** The sender of every mail, an address or "Name <address>". */
  MAIL_FROM: z.string().min(3).default('MentorHub <no-reply@mentorhub.localhost>'),
  /** Where the web app is reached; links in mails point here. */
  WEB_APP_URL: z.url().default('http://localhost:3000'),
  /** Where generated video rooms live: a booking whose mentor has no room of their own meets at <this>/<room id>. */
  MEETING_BASE_URL: z
    .url({ protocol: /^https$/, error: 'must be an https:// URL' })
    .transform((url) => url.replace(/\/+$/, ''))
    .default('https://meet.jit.si'),
  /**
   * The key one-click unsubscribe links in mail are signed with: whoever holds it can unsubscribe anyone, so it is
   * required in production. Elsewhere a fixed development key is used.
   */
  UNSUBSCRIBE_SECRET: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .regex(/^[\x21-\x7e]{32,200}$/, { error: 'must be 32–200 printable characters without spaces' })
      .optional(),
  ),
  /**
   * How often the API process delivers due outbox messages (0: not in this process, e.g. when `npm run worker`
   * runs instead). Default: every 5 seconds, off under test (tests run passes themselves).
   */
  OUTBOX_POLL_SECONDS: z.coerce.number().min(0).max(3600).optional(),
  /** A message that failed this many times is parked as a dead letter. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /**
   * How long a claimed message is reserved for its worker. It must outlast one delivery (SMTP times out sooner),
   * since another worker takes the message over when it ends.
   */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(30).max(3600).default(120),
  /** Sent and dropped outbox rows are deleted this long after they settled (a replayed change older than this mails again). */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Dead letters nobody retried are deleted this long after they were parked. */
  OUTBOX_DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Seed a small demo data set when the database has no users yet (default: on outside production). */
  SEED_DEMO_DATA: booleanFlag.optional(),
});

type DerivedSettings = {
  SEED_DEMO_DATA: boolean;
  SERVER_TIMING: boolean;
  N_PLUS_ONE_MODE: 'warn' | 'error';
  SECURE_COOKIES: boolean;
  OUTBOX_POLL_SECONDS: number;
  UNSUBSCRIBE_SECRET: string;
};

export type Config = Readonly<Omit<z.infer<typeof envSchema>, keyof DerivedSettings> & DerivedSettings>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment once; nothing else in the API reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${describeEnvIssues(parsed.error)}`);
  const {
    SEED_DEMO_DATA,
    SERVER_TIMING,
    N_PLUS_ONE_MODE,
    SECURE_COOKIES,
    OUTBOX_POLL_SECONDS,
    UNSUBSCRIBE_SECRET,
    ...rest
  } = parsed.data;
  if (rest.SESSION_IDLE_DAYS > rest.SESSION_MAX_DAYS)
    throw new ConfigError('Invalid configuration:\nSESSION_IDLE_DAYS: must not exceed SESSION_MAX_DAYS');
  if (rest.DATABASE_REPLICA_URL && !rest.DATABASE_URL)
    throw new ConfigError(
      'Invalid configuration:\nDATABASE_REPLICA_URL: needs DATABASE_URL (the embedded database has no replica)',
    );
  if (rest.NODE_ENV === 'production' && UNSUBSCRIBE_SECRET === undefined)
    throw new ConfigError(
      'Invalid configuration:\nUNSUBSCRIBE_SECRET: must be set in production (e.g. openssl rand -hex 32)',
    );
  return Object.freeze({
    ...rest,
    SEED_DEMO_DATA: SEED_DEMO_DATA ?? rest.NODE_ENV !== 'production',
    SERVER_TIMING: SERVER_TIMING ?? rest.NODE_ENV !== 'production',
    N_PLUS_ONE_MODE: N_PLUS_ONE_MODE ?? (rest.NODE_ENV === 'test' ? 'error' : 'warn'),
    SECURE_COOKIES: SECURE_COOKIES ?? rest.NODE_ENV === 'production',
    OUTBOX_POLL_SECONDS: OUTBOX_POLL_SECONDS ?? (rest.NODE_ENV === 'test' ? 0 : 5),
    UNSUBSCRIBE_SECRET: UNSUBSCRIBE_SECRET ?? DEVELOPMENT_UNSUBSCRIBE_SECRET,
  });
}

/** loadConfig for a process's entry point: an invalid configuration prints what is wrong and exits with status 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}
