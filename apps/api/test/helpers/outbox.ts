import type { OutboxWorker } from '../../src/modules/outbox/outbox.worker';

/** Runs passes until one claims nothing; the outbox is then settled for now. */
export async function drain(worker: OutboxWorker) {
  const total = { claimed: 0, sent: 0, retried: 0, dead: 0, dropped: 0 };
  for (;;) {
    const pass = await worker.runOnce();
    if (pass.claimed === 0) return total;
    for (const key of ['claimed', 'sent', 'retried', 'dead', 'dropped'] as const) total[key] += pass[key];
  }
}
