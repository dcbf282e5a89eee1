import type { FastifyInstance } from 'fastify';
import { createMailTransport } from '../../src/modules/outbox/mail-transport';
import { OutboxWorker, outboxRetention, type PassResult } from '../../src/modules/outbox/outbox.worker';

/** Runs passes until one claims nothing; the outbox is then settled for now. Returns what the passes did. */
export async function drain(worker: OutboxWorker): Promise<PassResult> {
  const total: PassResult = { claimed: 0, sent: 0, retried: 0, dead: 0, dropped: 0, deleted: 0 };
  for (;;) {
    const pass = await worker.runOnce();
    for (const key of Object.keys(total) as (keyof PassResult)[]) total[key] += pass[key];
    if (pass.claimed === 0) return total;
  }
}

/** Another worker on the app's database delivering to `smtpUrl`, configured like the app's own. */
export function extraWorker(
  app: FastifyInstance,
  smtpUrl: string,
  options: { batchSize: number; clock: () => number },
): OutboxWorker {
  const { config } = app;
  return new OutboxWorker({
    db: app.db,
    transport: createMailTransport({ smtpUrl, fileDirectory: '' }),
    metrics: app.metrics,
    log: app.log,
    mailFrom: config.MAIL_FROM,
    webAppUrl: config.WEB_APP_URL,
    meetingBaseUrl: config.MEETING_BASE_URL,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
    retention: outboxRetention(config),
    ...options,
  });
}
