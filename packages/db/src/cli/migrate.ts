// db:migrate | db:rollback | db:reset print each migration step; db:drop-indexes | db:restore-indexes change the index
// set alone (for measurements). Exits non-zero on failure.
import type { Kysely } from 'kysely';
import {
  dropIndexSet,
  migrateDown,
  migrateToLatest,
  resetDatabase,
  restoreIndexSet,
  type MigrationStep,
} from '../migrator';
import { openDatabaseFromEnv } from './open-from-env';

function describeSteps(steps: MigrationStep[]): string[] {
  if (steps.length === 0) return ['Nothing to do: the schema is already there.'];
  return steps.map((step) => `${step.direction === 'Up' ? '↑' : '↓'} ${step.name}: ${step.status}`);
}

const commands: Record<string, (db: Kysely<unknown>) => Promise<string[]>> = {
  latest: async (db) => describeSteps(await migrateToLatest(db)),
  down: async (db) => describeSteps(await migrateDown(db)),
  reset: async (db) => describeSteps(await resetDatabase(db)),
  'indexes-down': async (db) => {
    await dropIndexSet(db);
    return ['Index set dropped; `npm run db:restore-indexes` creates it again.'];
  },
  'indexes-up': async (db) => {
    await restoreIndexSet(db);
    return ['Index set created again.'];
  },
};
const command = commands[process.argv[2] ?? ''];
if (!command) {
  console.error(`usage: migrate.ts <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}

const handle = await openDatabaseFromEnv();
try {
  for (const line of await command(handle.db as Kysely<unknown>)) console.log(line);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
