export { openDatabase, type DatabaseHandle, type DatabaseKind, type DatabaseOptions } from './connect';
export type { ReadRouting } from './read-routing';
export {
  databaseEnvSchema,
  describeEnvIssues,
  findWorkspaceRoot,
  pgliteDataDir,
  type DatabaseEnv,
} from './env';
export {
  migrateDown,
  migrateToLatest,
  migrateUp,
  resetDatabase,
  dropIndexSet,
  restoreIndexSet,
  type MigrationStep,
} from './migrator';
export { PLANNER_SETTINGS, plannerSettingsStatements } from './planner-settings';
export { indexNames } from './migrations/0002_indexes';
export type * from './schema';
