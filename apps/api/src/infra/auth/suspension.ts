import { sql, type RawBuilder } from 'kysely';

/**
 * True unless the account of this `users.suspended_until` column is suspended at `at` (by default the database's
 * now). A suspension ends by itself when its time passes: nothing has to run to lift it.
 */
export function notSuspended(column: `${string}.suspended_until`, at?: Date): RawBuilder<boolean> {
  const ref = sql.ref(column);
  return sql<boolean>`(${ref} IS NULL OR ${ref} <= ${at ?? sql`now()`})`;
}

/** The end of a suspension for good: later than any real date, and still a date every driver reads. */
export const PERMANENT_SUSPENSION = new Date('9999-12-31T23:59:59.999Z');

/** A suspension in force at `now`, as the API shows it (`until` null: for good), or null. */
export function suspensionAt(suspendedUntil: Date | null, now: number): { until: string | null } | null {
  if (!suspendedUntil || suspendedUntil.getTime() <= now) return null;
  return { until: suspendedUntil >= PERMANENT_SUSPENSION ? null : suspendedUntil.toISOString() };
}
