import type { Database } from '@mentorhub/db';
import type { Transaction } from 'kysely';

/** One decision, as the audit log keeps it for good: who, about what, why, and what exactly was done. */
export interface AuditRecord {
  actorId: number;
  /** `<area>.<verb>`, e.g. "moderation.suspend". */
  action: string;
  subject: { kind: string; id: number };
  reason: string;
  details?: Record<string, unknown>;
}

/**
 * Appends a decision to the audit log, in the transaction of the decision itself, so a decision is never taken
 * without its entry (nor the entry kept without the decision). The table takes inserts only: the database refuses
 * to update, delete or truncate it.
 */
export async function appendAudit(trx: Transaction<Database>, record: AuditRecord): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: record.actorId,
      action: record.action,
      subject_kind: record.subject.kind,
      subject_id: record.subject.id,
      reason: record.reason,
      details: JSON.stringify(record.details ?? {}),
    })
    .execute();
}
