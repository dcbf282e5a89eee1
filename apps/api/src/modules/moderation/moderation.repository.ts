import type { ModerationOutcome, ReportableKind, ReportReason } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';
import { reportableKinds, type ItemContextColumns } from './reportable-kinds';

export function findReportId(
  db: Kysely<Database>,
  reporterId: number,
  item: { kind: ReportableKind; id: number },
) {
  return db
    .selectFrom('reports')
    .select('id')
    .where('reporter_id', '=', reporterId)
    .where('item_kind', '=', item.kind)
    .where('item_id', '=', String(item.id))
    .executeTakeFirst();
}

/** The item's open case, opened now if it has none (the partial unique index decides, also under concurrency). */
export async function openCase(
  trx: Transaction<Database>,
  item: { kind: ReportableKind; id: number; ownerId: number },
): Promise<number> {
  const row = await trx
    .insertInto('moderation_cases')
    .values({ item_kind: item.kind, item_id: item.id, owner_id: item.ownerId })
    .onConflict((oc) =>
      oc
        .columns(['item_kind', 'item_id'])
        .where('status', '=', sql.lit('open'))
        // A no-op update, so the existing case's id comes back.
        .doUpdateSet({ item_id: (eb) => eb.ref('excluded.item_id') }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Undefined when this reporter already reported the item (the unique key decides, also under concurrency). */
export function insertReport(
  trx: Transaction<Database>,
  report: {
    caseId: number;
    reporterId: number;
    kind: ReportableKind;
    itemId: number;
    reason: ReportReason;
    details: string;
  },
) {
  return trx
    .insertInto('reports')
    .values({
      case_id: report.caseId,
      reporter_id: report.reporterId,
      item_kind: report.kind,
      item_id: report.itemId,
      reason: report.reason,
      details: report.details,
    })
    .onConflict((oc) => oc.columns(['reporter_id', 'item_kind', 'item_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Reports with the state of their case: what the reporter sees. */
function reportView(db: Kysely<Database>) {
  return db
    .selectFrom('reports as r')
    .innerJoin('moderation_cases as c', 'c.id', 'r.case_id')
    .select([
      'r.id',
      'r.item_kind',
      'r.item_id',
      'r.reason',
      'r.details',
      'r.created_at',
      'c.status',
      'c.outcome',
      'c.decided_at',
    ]);
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof findReport>>>;

export function findReport(db: Kysely<Database>, id: number) {
  return reportView(db).where('r.id', '=', id).executeTakeFirst();
}

/** A reporter's reports, newest first: one statement. */
export function reportPageQuery(
  db: Kysely<Database>,
  reporterId: number,
  after: CursorKey | undefined,
  limit: number,
) {
  const query = reportView(db).where('r.reporter_id', '=', reporterId);
  return keysetPageQuery(query, newestFirst('r.created_at'), 'r.id', after, limit);
}

const itemContext = sql<ItemContextColumns | null>`CASE mc.item_kind ${sql.join(
  Object.entries(reportableKinds).map(
    ([kind, handler]) => sql`WHEN ${sql.lit(kind)} THEN ${handler.context(sql.ref('mc.item_id'))}`,
  ),
  sql` `,
)} END`;

/**
 * A page of open cases, oldest first, each with its item in context, its owner, its report count, the count of
 * each reason and the reporters' latest words: one statement whatever the page size and the kinds on it.
 */
export function queuePageQuery(db: Kysely<Database>, after: CursorKey | undefined, limit: number) {
  const query = db
    .selectFrom('moderation_cases as mc')
    .innerJoin('users as o', 'o.id', 'mc.owner_id')
    .select([
      'mc.id',
      'mc.item_kind',
      'mc.item_id',
      'mc.opened_at',
      'o.id as owner_id',
      'o.name as owner_name',
      'o.role as owner_role',
      'o.suspended_until as owner_suspended_until',
      itemContext.as('item'),
      sql<{ reason: ReportReason; count: number }[]>`(
        SELECT json_agg(json_build_object('reason', g.reason, 'count', g.n) ORDER BY g.n DESC, g.reason)
        FROM (SELECT reason, count(*)::int AS n FROM reports WHERE case_id = mc.id GROUP BY reason) g)`.as(
        'reasons',
      ),
      sql<string[]>`(
        SELECT coalesce(json_agg(d.details), '[]') FROM (SELECT details FROM reports
          WHERE case_id = mc.id AND details <> '' ORDER BY created_at DESC, id DESC LIMIT 5) d)`.as(
        'details',
      ),
    ])
    .where('mc.status', '=', sql.lit('open'));
  return keysetPageQuery(query, { column: 'mc.opened_at', direction: 'asc' }, 'mc.id', after, limit);
}

export type QueueRow = Awaited<ReturnType<ReturnType<typeof queuePageQuery>['execute']>>[number];

/** The case and its owner, locked: decisions on one case happen one after the other. */
export function lockCase(trx: Transaction<Database>, id: number) {
  return trx
    .selectFrom('moderation_cases as c')
    .innerJoin('users as o', 'o.id', 'c.owner_id')
    .select([
      'c.id',
      'c.item_kind',
      'c.item_id',
      'c.status',
      'c.outcome',
      'c.owner_id',
      'o.role as owner_role',
    ])
    .where('c.id', '=', id)
    .forUpdate('c')
    .executeTakeFirst();
}

export function closeCase(
  trx: Transaction<Database>,
  id: number,
  outcome: ModerationOutcome,
  decidedAt: Date,
) {
  return trx
    .updateTable('moderation_cases')
    .set({ status: 'closed', outcome, decided_at: decidedAt })
    .where('id', '=', id)
    .execute();
}

/** Sets or lifts (null) a suspension. */
export function setSuspension(trx: Transaction<Database>, userId: number, until: Date | null) {
  return trx
    .updateTable('users')
    .set({ suspended_until: until, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

/** The audit log, newest first, with each actor's name: one statement. */
export function auditPageQuery(db: Kysely<Database>, after: CursorKey | undefined, limit: number) {
  const query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.actor_id',
      'u.name as actor_name',
      'a.action',
      'a.subject_kind',
      'a.subject_id',
      'a.reason',
      'a.details',
      'a.created_at',
    ]);
  return keysetPageQuery(query, newestFirst('a.created_at'), 'a.id', after, limit);
}
