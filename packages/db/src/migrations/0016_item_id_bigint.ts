import type { Kysely } from 'kysely';
import { runStatements } from './run-statements';

// A reported item may be a message, whose id is a bigint: the columns that name reported items (reports, their
// cases, and the audit log's subject) take the full bigint range. Going back narrows them to integer again, which
// PostgreSQL refuses while any of them holds an id above 2^31 − 1.

const itemColumns = [
  ['reports', 'item_id'],
  ['moderation_cases', 'item_id'],
  ['audit_log', 'subject_id'],
] as const;

const retype = (type: 'bigint' | 'integer') =>
  itemColumns.map(([table, column]) => `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type}`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, retype('bigint'));
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, retype('integer'));
}
