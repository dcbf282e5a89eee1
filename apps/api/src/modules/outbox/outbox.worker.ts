import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Database } from '@mentorhub/db';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type Mail from 'nodemailer/lib/mailer';
import type { Config } from '../../config/config';
import type { Metrics } from '../../infra/metrics/metrics';
import { Undeliverable } from './mail-composer';
import { composeForRecipient } from '../preferences/mail-preferences';
import { mailKinds } from './mail-kinds';
import { createMailTransport, type MailTransport } from './mail-transport';
import { messageIdOf } from './message-id';
import * as outbox from './outbox.repository';

export interface OutboxWorkerOptions {
  db: Kysely<Database>;
  transport: MailTransport;
  metrics: Metrics;
  log: FastifyBaseLogger;
  mailFrom: string;
  webAppUrl: string;
  meetingBaseUrl: string;
  /** Signs the one-click unsubscribe links of mail that is not security mail. */
  unsubscribeSecret: string;
  maxAttempts: number;
  leaseMs: number;
  retention: OutboxRetention;
  /** Messages claimed per statement; a full batch is followed by another pass at once. */
  batchSize?: number;
  /** Milliseconds since the epoch; tests move it instead of waiting for leases and backoffs. */
  clock?: () => number;
  /** In [0, 1): the jitter of retry delays. */
  random?: () => number;
}

/** How long settled rows are kept: sent and dropped rows for `settledMs`, dead letters for `deadMs`. */
export interface OutboxRetention {
  settledMs: number;
  deadMs: number;
}

export interface PassResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  dropped: number;
  /** Settled rows past their retention deleted in this pass. */
  deleted: number;
}

/** Rows deleted per retention statement: each is short, so it never holds locks for long. */
export const RETENTION_BATCH = 500;

const FIRST_RETRY_MS = 30_000;
const DAY_MS = 86_400_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/**
 * How long to wait before attempt `attempts + 1`: doubling from 30 s up to 6 h, each delay jittered down by up to
 * half, so messages that failed together (a mail server outage) do not all return at the same instant.
 */
export function retryDelayMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Delivers due outbox messages: claim under a lease, send, settle (sent, retry later, or dead letter). */
export class OutboxWorker {
  private readonly batchSize: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<PassResult> | undefined;
  private stopped = false;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.batchSize = options.batchSize ?? 50;
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** One pass now: claims what is due, delivers it, settles it, then deletes one batch of expired settled rows. */
  async runOnce(): Promise<PassResult> {
    const { db, leaseMs } = this.options;
    const token = randomUUID();
    const now = this.clock();
    const claimed = await outbox.claimDue(db, new Date(now), new Date(now + leaseMs), token, this.batchSize);
    const result: PassResult = {
      claimed: claimed.length,
      sent: 0,
      retried: 0,
      dead: 0,
      dropped: 0,
      deleted: 0,
    };
    for (const message of claimed) result[await this.deliver(message, token)] += 1;
    result.deleted = await this.deleteExpired();
    return result;
  }

  /**
   * At most one batch per status group and pass, so a large first clean-up is spread over many passes instead of
   * delaying delivery.
   */
  private async deleteExpired(): Promise<number> {
    const { db, retention } = this.options;
    const now = this.clock();
    const settled = await outbox.deleteSettledBefore(
      db,
      ['sent', 'dropped'],
      new Date(now - retention.settledMs),
      RETENTION_BATCH,
    );
    const dead = await outbox.deleteSettledBefore(
      db,
      ['dead'],
      new Date(now - retention.deadMs),
      RETENTION_BATCH,
    );
    return settled + dead;
  }

  /**
   * Runs passes every `intervalMs` (sooner while a backlog remains) until stop(). Inside the API the server keeps the
   * process alive; a process that only delivers passes `keepProcessAlive`.
   */
  start(intervalMs: number, keepProcessAlive = false): void {
    const schedule = (delayMs: number) => {
      const timer = setTimeout(loop, delayMs);
      this.timer = keepProcessAlive ? timer : timer.unref();
    };
    const loop = () => {
      this.running = this.runOnce();
      this.running
        .catch((error: unknown) => {
          this.options.log.warn({ err: error }, 'Outbox pass failed; the next pass retries');
          return undefined;
        })
        .then((result) => {
          if (this.stopped) return;
          const backlog = result !== undefined && result.claimed === this.batchSize;
          schedule(backlog ? 0 : intervalMs);
        })
        .catch(() => undefined);
    };
    schedule(intervalMs);
  }

  /** Stops the loop and waits for a pass in flight, so nothing is cut mid-delivery. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    this.options.transport.close();
  }

  private async deliver(
    message: outbox.ClaimedMessage,
    token: string,
  ): Promise<'sent' | 'retried' | 'dead' | 'dropped'> {
    const { db, metrics, log, maxAttempts } = this.options;
    const channel = message.channel;
    try {
      const mail = await this.compose(message);
      if ('drop' in mail) {
        await outbox.settle(db, message.id, token, this.now(), { status: 'dropped', reason: mail.drop });
        metrics.outboxDropped.inc({ channel });
        log.info({ outboxId: message.id, kind: message.kind, reason: mail.drop }, 'Outbox message dropped');
        return 'dropped';
      }
      await this.options.transport.send(mail);
      await outbox.settle(db, message.id, token, this.now(), { status: 'sent' });
      metrics.outboxDeliveries.inc({ channel });
      return 'sent';
    } catch (error) {
      metrics.outboxFailures.inc({ channel });
      const reason = error instanceof Error ? error.message : String(error);
      const context = { outboxId: message.id, kind: message.kind, attempts: message.attempts };
      if (error instanceof Undeliverable || message.attempts >= maxAttempts) {
        await outbox.settle(db, message.id, token, this.now(), { status: 'dead', error: reason });
        metrics.outboxDeadLetters.inc({ channel });
        log.error({ ...context, reason }, 'Outbox message is a dead letter');
        return 'dead';
      }
      const retryAt = new Date(this.clock() + retryDelayMs(message.attempts, this.random));
      await outbox.settle(db, message.id, token, this.now(), { status: 'pending', retryAt, error: reason });
      log.warn({ ...context, reason, retryAt }, 'Outbox delivery failed; it will be retried');
      return 'retried';
    }
  }

  /** The full mail for a message, or why it is no longer sent (see composeForRecipient). */
  private async compose(message: outbox.ClaimedMessage): Promise<Mail.Options | { drop: string }> {
    const { db, mailFrom, webAppUrl, meetingBaseUrl, unsubscribeSecret } = this.options;
    const kind = Object.hasOwn(mailKinds, message.kind) ? mailKinds[message.kind] : undefined;
    if (!kind) throw new Undeliverable(`No mail is written for a "${message.kind}" message`);
    const recipient = await outbox.findRecipient(db, message.recipient_id);
    if (!recipient) throw new Undeliverable('The recipient no longer exists');
    const composition = await composeForRecipient(
      kind,
      { kind: message.kind, idempotencyKey: message.idempotency_key, payload: message.payload },
      recipient,
      { db, webAppUrl, mailFrom, meetingBaseUrl, now: this.clock() },
      unsubscribeSecret,
    );
    if ('drop' in composition) return composition;
    return {
      from: mailFrom,
      to: { name: recipient.name, address: recipient.email },
      messageId: messageIdOf(message.idempotency_key, mailFrom),
      ...composition.mail,
    };
  }

  /** The instant by this worker's clock: what "due now" means to it. */
  now(): Date {
    return new Date(this.clock());
  }
}

/** The worker as configured; the API process and `npm run worker` build it the same way. */
export function createOutboxWorker(
  config: Config,
  deps: { db: Kysely<Database>; metrics: Metrics; log: FastifyBaseLogger; clock?: () => number },
): OutboxWorker {
  return new OutboxWorker({
    ...deps,
    transport: createMailTransport({ smtpUrl: config.SMTP_URL, fileDirectory: mailDirectory(config) }),
    mailFrom: config.MAIL_FROM,
    webAppUrl: config.WEB_APP_URL,
    meetingBaseUrl: config.MEETING_BASE_URL,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    retention: outboxRetention(config),
  });
}

export function outboxRetention(
  config: Pick<Config, 'OUTBOX_RETENTION_DAYS' | 'OUTBOX_DEAD_LETTER_RETENTION_DAYS'>,
): OutboxRetention {
  return {
    settledMs: config.OUTBOX_RETENTION_DAYS * DAY_MS,
    deadMs: config.OUTBOX_DEAD_LETTER_RETENTION_DAYS * DAY_MS,
  };
}

/** Where mail is written when there is no SMTP server. */
export function mailDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'mail');
}
