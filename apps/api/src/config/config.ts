import { databaseEnvSchema, describeEnvIssues } from '@mentorhub/db';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const envSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Statements slower than this are logged as "Slow query". */
  SLOW_QUERY_MS: z.coerce.number().min(0).default(200),
  REDIS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  /** Send a Server-Timing header (database time, statement count) with every response. */
  SERVER_TIMING: booleanFlag.default(true),
  /** Seed a small demo data set when the database has no users yet (default: on outside production). */
  SEED_DEMO_DATA: booleanFlag.optional(),
});

export type Config = Readonly<
  Omit<z.infer<typeof envSchema>, 'SEED_DEMO_DATA'> & { SEED_DEMO_DATA: boolean }
>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment once; nothing else in the API reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n${describeEnvIssues(parsed.error)}`);
  const { SEED_DEMO_DATA, ...rest } = parsed.data;
  return Object.freeze({ ...rest, SEED_DEMO_DATA: SEED_DEMO_DATA ?? rest.NODE_ENV !== 'production' });
}
