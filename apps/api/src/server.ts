// Starts MentorHub's API: configuration → database (migrated; demo data on an empty one) → HTTP, with graceful shutdown.
import { migrateToLatest, pgliteDataDir } from '@mentorhub/db';
import { createProgressBar, demoSeedOptions, plannedRows, seedDatabase } from '@mentorhub/db/seed';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from './app';
import { DEMO_PASSWORD, demoAccounts, enableDemoAccounts } from './modules/auth/demo-accounts';
import { loadConfigOrExit } from './config/config';
import { connectDatabase } from './infra/db/database';

const config = loadConfigOrExit();
const logger = pino({ level: config.LOG_LEVEL });
const database = await connectDatabase(config, logger, pgliteDataDir(config));
try {
  // Through a transaction pooler too: processes starting together migrate one after the other (migration-lock.ts).
  await migrateToLatest(database.db);
} catch (error) {
  logger.fatal({ err: error }, 'Cannot start on this database');
  process.exit(1);
}

if (config.SEED_DEMO_DATA) {
  const { rows } = await sql<{ empty: boolean }>`SELECT NOT EXISTS (SELECT 1 FROM users) AS empty`.execute(
    database.db,
  );
  if (rows[0]?.empty) {
    logger.info('Empty database: seeding demo data');
    await seedDatabase(database.db, demoSeedOptions, createProgressBar(plannedRows(demoSeedOptions)));
    await enableDemoAccounts(database.db);
    logger.info(`Demo accounts (password "${DEMO_PASSWORD}"): ${Object.values(demoAccounts).join(', ')}`);
  }
}

const app = await buildApp(config, { database, logger });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'Shutting down: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  });
}

await app.listen({ host: config.HOST, port: config.PORT });
app.log.info(
  `MentorHub API on http://${config.HOST}:${config.PORT} (${database.kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}) · docs at /api/docs`,
);
