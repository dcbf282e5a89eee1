// Delivers MentorHub's outbox in a process of its own (`npm run worker`), for scaling delivery apart from the API.
// The API delivers too unless OUTBOX_POLL_SECONDS=0; any number of workers share one PostgreSQL database safely.
import { pgliteDataDir } from '@mentorhub/db';
import pino from 'pino';
import { loadConfigOrExit } from './config/config';
import { connectDatabase } from './infra/db/database';
import { createMetrics } from './infra/metrics/metrics';
import { readOutboxGauges } from './modules/outbox/outbox.service';
import { createOutboxWorker } from './modules/outbox/outbox.worker';

const config = loadConfigOrExit();
// The embedded database belongs to the one process that opened it.
if (!config.DATABASE_URL) {
  console.error('npm run worker needs DATABASE_URL (a PostgreSQL server)');
  process.exit(2);
}
const logger = pino({ level: config.LOG_LEVEL });
const database = await connectDatabase(config, logger, pgliteDataDir(config));
const metrics = createMetrics({ readOutbox: () => readOutboxGauges(database.db, new Date()) });
const worker = createOutboxWorker(config, { db: database.db, metrics, log: logger });
// OUTBOX_POLL_SECONDS=0 keeps delivery out of the API processes; this process then polls every 5 seconds.
worker.start((config.OUTBOX_POLL_SECONDS || 5) * 1000, true);
logger.info('MentorHub outbox worker started');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'Outbox worker stopping: finishing its pass');
    worker
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'Outbox worker shutdown failed');
          process.exit(1);
        },
      );
  });
}
