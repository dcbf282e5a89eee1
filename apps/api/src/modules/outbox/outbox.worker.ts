import { createHash, randomUUID } from 'node:crypto';
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
import * as outbox from './outbox.repository';

export interface OutboxWorkerOptions {
  db: Kysely<Database>;
  transport: MailTransport;
  metrics: Metrics;
  log: FastifyBaseLogger;
  mailFrom: string;
  webAppUrl: string;
  /** Signs the one-click unsubscribe links of mail that is not security mail. */
  unsubscribeSecret: string;
  maxAttempts: number;
  leaseMs: number;
  /** Messages claimed per statement; a full batch is followed by another pass at once. */
  batchSize?: number;
  /** Milliseconds since the epoch; tests move it instead of waiting for leases and backoffs. */
  clock?: () => number;
  /** In [0, 1): the jitter of retry delays. */
  random?: () => number;
}

export interface PassResult {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  dropped: number;
}

const FIRST_RETRY_MS = 30_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/**
 * How long to wait before attempt `attempts + 1`: doubling from 30 s up to 6 h, each delay jittered down by up to
 * half, so messages that failed together (a mail server outage) do not all return at the same instant.
 */
export function retryDelayMs(attempts: number, random: () => number): number {
  const ceiling = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** The same on every attempt, so a receiver can drop a duplicate if one ever slips through. */
export function messageIdOf(idempotencyKey: string, mailFrom: string): string {
  const domain = /@([^>\s]+)/.exec(mailFrom)?.[1] ?? 'mentorhub.localhost';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
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

  /** One pass now: claims what is due, delivers it, settles it, refreshes the outbox gauges. */
  async runOnce(): Promise<PassResult> {
    const { db, leaseMs } = this.options;
    const token = randomUUID();
    const now = this.clock();
    const claimed = await outbox.claimDue(db, new Date(now), new Date(now + leaseMs), token, this.batchSize);
    const result: PassResult = { claimed: claimed.length, sent: 0, retried: 0, dead: 0, dropped: 0 };
    for (const message of claimed) result[await this.deliver(message, token)] += 1;
    await this.refreshGauges();
    return result;
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
        await outbox.settle(db, message.id, token, { status: 'dropped', reason: mail.drop });
        metrics.outboxDropped.inc({ channel });
        log.info({ outboxId: message.id, kind: message.kind, reason: mail.drop }, 'Outbox message dropped');
        return 'dropped';
      }
      await this.options.transport.send(mail);
      await outbox.settle(db, message.id, token, { status: 'sent', at: new Date(this.clock()) });
      metrics.outboxDeliveries.inc({ channel });
      return 'sent';
    } catch (error) {
      metrics.outboxFailures.inc({ channel });
      const reason = error instanceof Error ? error.message : String(error);
      const context = { outboxId: message.id, kind: message.kind, attempts: message.attempts };
      if (error instanceof Undeliverable || message.attempts >= maxAttempts) {
        await outbox.settle(db, message.id, token, { status: 'dead', error: reason });
        metrics.outboxDeadLetters.inc({ channel });
        log.error({ ...context, reason }, 'Outbox message is a dead letter');
        return 'dead';
      }
      const retryAt = new Date(this.clock() + retryDelayMs(message.attempts, this.random));
      await outbox.settle(db, message.id, token, { status: 'pending', retryAt, error: reason });
      log.warn({ ...context, reason, retryAt }, 'Outbox delivery failed; it will be retried');
      return 'retried';
    }
  }

  /** The full mail for a message, or why it is no longer sent (see composeForRecipient). */
  private async compose(message: outbox.ClaimedMessage): Promise<Mail.Options | { drop: string }> {
    const { db, mailFrom, webAppUrl, unsubscribeSecret } = this.options;
    const kind = Object.hasOwn(mailKinds, message.kind) ? mailKinds[message.kind] : undefined;
    if (!kind) throw new Undeliverable(`No mail is written for a "${message.kind}" message`);
    const recipient = await outbox.findRecipient(db, message.recipient_id);
    if (!recipient) throw new Undeliverable('The recipient no longer exists');
    const composition = await composeForRecipient(
      kind,
      { kind: message.kind, idempotencyKey: message.idempotency_key, payload: message.payload },
      recipient,
      { db, webAppUrl, now: this.clock() },
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

  private async refreshGauges(): Promise<void> {
    const { pending, oldest } = await outbox.pendingStats(this.options.db, new Date(this.clock()));
    this.options.metrics.outboxPending.set(pending);
    this.options.metrics.outboxOldestPendingAge.set(
      oldest ? Math.max(0, (this.clock() - oldest.getTime()) / 1000) : 0,
    );
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
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
  });
}

/** Where mail is written when there is no SMTP server. */
export function mailDirectory(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'mail');
}
