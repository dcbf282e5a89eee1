import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The workspace root (the nearest package.json declaring workspaces), so `.data/` is one place wherever a script runs. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object))
      return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
  .optional();

/** Database settings, shared by the API's configuration and the database command-line tools. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), postgresUrl),
  /** A streaming replica of DATABASE_URL that cache-miss reads may go to (unset: everything on the primary). */
  DATABASE_REPLICA_URL: z.preprocess((value) => (value === '' ? undefined : value), postgresUrl),
  DATA_DIR: z
    .string()
    .min(1)
    .default('.data')
    .transform((dir) => resolve(findWorkspaceRoot(), dir)),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A server that does not accept a connection within this long counts as down (the request gets a 503). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** DATABASE_URL is a pooler in transaction mode (PgBouncer): statements are sent unnamed, never prepared by name. */
  DATABASE_TRANSACTION_POOLING: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
});

export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Turns a zod failure into one line per variable, e.g. "PORT: must be at most 65535". */
export function describeEnvIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`).join('\n');
}

export function pgliteDataDir(env: Pick<DatabaseEnv, 'DATA_DIR'>): string {
  return join(env.DATA_DIR, 'pglite');
}
