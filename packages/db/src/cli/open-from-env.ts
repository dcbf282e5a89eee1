import { databaseEnvSchema, describeEnvIssues, pgliteDataDir } from '../env';
import { openDatabase, type DatabaseHandle } from '../connect';

/** Opens the database the environment names, or exits with a message naming the bad variable. */
export async function openDatabaseFromEnv(): Promise<DatabaseHandle> {
  const parsed = databaseEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Invalid configuration:\n${describeEnvIssues(parsed.error)}`);
    process.exit(2);
  }
  const env = parsed.data;
  const handle = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: pgliteDataDir(env),
    poolSize: 4,
    transactionPooling: env.DATABASE_TRANSACTION_POOLING,
  });
  console.error(
    `Database: ${handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite at ${pgliteDataDir(env)}`}`,
  );
  return handle;
}
