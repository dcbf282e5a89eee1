import { sql, type Kysely } from 'kysely';

/**
 * Planner settings of the database, stored as its defaults (ALTER DATABASE … SET) so every session has them from
 * its start, whichever client or pooler opened it: nothing is set per connection, which a transaction pooler
 * (PgBouncer) could not keep.
 * - random_page_cost: the default (4) models spinning disks; on SSDs and with the working set in memory a random
 *   read costs about what a sequential one does, and with 4 the planner hash-joins a whole users table to
 *   decorate 100 search results instead of probing its primary key (seen in EXPLAIN, 20× slower).
 * - plan_cache_mode: read statements may be prepared once per connection (see connect.ts), but are always planned
 *   for their actual values; a generic plan for `language = 'en'` (every mentor) was measured at 69 ms against
 *   2.4 ms.
 */
export const PLANNER_SETTINGS = { random_page_cost: '1.1', plan_cache_mode: 'force_custom_plan' } as const;

/** The statements that make PLANNER_SETTINGS the defaults of `database`. */
export function plannerSettingsStatements(database: string): string[] {
  const name = `"${database.replaceAll('"', '""')}"`;
  return Object.entries(PLANNER_SETTINGS).map(
    ([setting, value]) => `ALTER DATABASE ${name} SET ${setting} = '${value}'`,
  );
}

/** Any constant of MentorHub's own: it serializes processes that store the settings at the same moment. */
const SETTINGS_LOCK = 0x6d68_5053;

/**
 * Stores PLANNER_SETTINGS as the current database's defaults, unless they already are (several API processes
 * start at once, and two concurrent ALTER DATABASE of one database fail). Sessions opened from now on have them;
 * open ones (a pool's, a pooler's server connections) keep the old values until they are replaced, so a new
 * database gets them before its first connection (`createTestDatabase`, `npm run cluster`) or is migrated
 * before the API starts (docs/deployment.md).
 */
export async function storePlannerSettings<DB>(db: Kysely<DB>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${SETTINGS_LOCK})`.execute(trx);
    const { rows } = await sql<{ database: string; stored: string[] | null }>`
      SELECT current_database() AS database,
             (SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
              WHERE d.datname = current_database() AND s.setrole = 0) AS stored`.execute(trx);
    const stored = new Set(rows[0]?.stored ?? []);
    if (Object.entries(PLANNER_SETTINGS).every(([name, value]) => stored.has(`${name}=${value}`))) return;
    for (const statement of plannerSettingsStatements(rows[0]?.database ?? ''))
      await sql.raw(statement).execute(trx);
  });
}
