// db:seed -- --users N --mentors N --courses N --lessons N --enrollments N --bookings N --seed N [--reset]
import { parseArgs } from 'node:util';
import { migrateToLatest, resetDatabase } from '../migrator';
import {
  createProgressBar,
  demoSeedOptions,
  plannedRows,
  seedDatabase,
  type SeedOptions,
} from '../seed/index';
import { openDatabaseFromEnv } from './open-from-env';

const { values } = parseArgs({
  options: {
    users: { type: 'string' },
    mentors: { type: 'string' },
    courses: { type: 'string' },
    lessons: { type: 'string' },
    enrollments: { type: 'string' },
    bookings: { type: 'string' },
    seed: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});

function count(name: keyof typeof values, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const value = Number(String(raw).replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number ≥ 0, got "${String(raw)}"`);
    process.exit(2);
  }
  return value;
}

const options: SeedOptions = {
  ...demoSeedOptions,
  users: count('users', demoSeedOptions.users),
  mentors: count('mentors', demoSeedOptions.mentors),
  courses: count('courses', demoSeedOptions.courses),
  lessons: values.lessons === undefined ? undefined : count('lessons', 0),
  enrollments: count('enrollments', demoSeedOptions.enrollments),
  bookings: count('bookings', demoSeedOptions.bookings),
  seed: count('seed', demoSeedOptions.seed),
};

const handle = await openDatabaseFromEnv();
try {
  if (values.reset) await resetDatabase(handle.db);
  else await migrateToLatest(handle.db);
  const summary = await seedDatabase(handle.db, options, createProgressBar(plannedRows(options)));
  const total = Object.values(summary.rows).reduce((sum, rows) => sum + rows, 0);
  console.log(
    `Seeded ${total.toLocaleString('en')} rows in ${summary.seconds.toFixed(1)} s ` +
      `(${Math.round(total / summary.seconds).toLocaleString('en')} rows/s):`,
  );
  for (const [table, rows] of Object.entries(summary.rows))
    console.log(`  ${table.padEnd(18)} ${rows.toLocaleString('en')}`);
} catch (error) {
  console.error(`\nSeeding failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
