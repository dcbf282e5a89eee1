// db:migrate | db:rollback | db:rollback-indexes | db:reset — prints each migration step and exits non-zero on failure.
import {
  migrateDown,
  migrateToLatest,
  resetDatabase,
  rollBackIndexSet,
  type MigrationStep,
} from '../migrator';
import { openDatabaseFromEnv } from './open-from-env';

const commands = {
  latest: migrateToLatest,
  down: migrateDown,
  'indexes-down': rollBackIndexSet,
  reset: resetDatabase,
} as const;
const command = process.argv[2];
if (command === undefined || !(command in commands)) {
  console.error(`usage: migrate.ts <${Object.keys(commands).join('|')}>`);
  process.exit(2);
}

const handle = await openDatabaseFromEnv();
try {
  const steps: MigrationStep[] = await commands[command as keyof typeof commands](handle.db);
  if (steps.length === 0) console.log('Nothing to do: the schema is already there.');
  for (const step of steps)
    console.log(`${step.direction === 'Up' ? '↑' : '↓'} ${step.name}: ${step.status}`);
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
