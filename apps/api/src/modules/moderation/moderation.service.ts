import type {
  AuditEntry,
  AuditLogQuery,
  ModerationCase,
  ModerationDecisionBody,
  ModerationDecisionResult,
  ModerationOutcome,
  ModerationQueueQuery,
  Page,
  Report,
  ReportCreateBody,
  ReportListQuery,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import { PERMANENT_SUSPENSION, suspensionAt } from '../../infra/auth/suspension';
import type { ServiceContext } from '../../infra/context';
import { AppError, invalidField, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { accountMailMessage } from '../auth/account-mail';
import { revokeAllSessions } from '../auth/auth.repository';
import { COURSE_LISTS_TAG } from '../courses/courses.cache';
import type { LiveEvents } from '../live/live-events';
import { MENTOR_LISTS_TAG } from '../mentors/mentors.cache';
import { insertMessage } from '../outbox/outbox.repository';
import { userTag } from '../users/users.cache';
import { appendAudit } from './audit-log';
import * as moderation from './moderation.repository';
import { reportableKinds } from './reportable-kinds';

export interface ModerationContext extends ServiceContext {
  /** Closes the live sockets of the sessions a suspension revokes, on every instance. */
  live: LiveEvents;
  /** The app's clock: suspensions are judged by it. */
  clock: () => number;
}

function requireAdmin(principal: SessionPrincipal): void {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins moderate');
}

function toReport(row: moderation.ReportRow): Report {
  return {
    id: row.id,
    kind: row.item_kind,
    itemId: Number(row.item_id),
    reason: row.reason as Report['reason'],
    details: row.details,
    createdAt: row.created_at.toISOString(),
    status: row.status,
    outcome: row.outcome,
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}

/**
 * Files the signed-in user's report of a visible item, which joins the item's open case (opened if none). A user
 * reports an item once: a repeat, even a concurrent one, answers the first report (`created` false).
 */
export async function fileReport(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  body: ReportCreateBody,
): Promise<{ report: Report; created: boolean }> {
  const kind = reportableKinds[body.kind];
  const item = { kind: body.kind, id: body.itemId };
  const ownerId = await kind.findOwner(db, body.itemId, principal.userId);
  if (ownerId === undefined) throw notFound(`The ${kind.label} ${String(body.itemId)}`);
  if (ownerId === principal.userId)
    throw new AppError('CONFLICT', `You cannot report your own ${kind.label}`);
  const earlier = await moderation.findReportId(db, principal.userId, item);
  const id =
    earlier?.id ??
    (await db.transaction().execute(async (trx) => {
      const caseId = await moderation.openCase(trx, { ...item, ownerId });
      const inserted = await moderation.insertReport(trx, {
        caseId,
        reporterId: principal.userId,
        kind: body.kind,
        itemId: body.itemId,
        reason: body.reason,
        details: body.details,
      });
      return inserted?.id;
    }));
  // Undefined: a concurrent request of the same reporter filed it first.
  const reportId = id ?? (await moderation.findReportId(db, principal.userId, item))?.id;
  const row = reportId === undefined ? undefined : await moderation.findReport(db, reportId);
  if (!row)
    throw new Error(`the report of ${body.kind} ${String(body.itemId)} was not found after it was filed`);
  return { report: toReport(row), created: earlier === undefined && id !== undefined };
}

export function listMyReports(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  query: ReportListQuery,
): Promise<Page<Report>> {
  return keysetPage(
    { sort: 'newest', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row) => [row.created_at.toISOString(), row.id] },
    (after) => moderation.reportPageQuery(db, principal.userId, after, query.limit).execute(),
    toReport,
  );
}

function toCase(row: moderation.QueueRow, now: number): ModerationCase {
  return {
    id: row.id,
    item: row.item && { kind: row.item_kind, id: Number(row.item_id), ...row.item },
    owner: {
      id: row.owner_id,
      name: row.owner_name,
      role: row.owner_role,
      suspension: suspensionAt(row.owner_suspended_until, now),
    },
    reportCount: row.reasons.reduce((sum, { count }) => sum + count, 0),
    reasons: row.reasons,
    details: row.details,
    openedAt: row.opened_at.toISOString(),
  };
}

/** Open cases for an admin, oldest first: two statements (the session and the page) whatever the page size. */
export function listQueue(
  ctx: Pick<ModerationContext, 'db' | 'clock'>,
  principal: SessionPrincipal,
  query: ModerationQueueQuery,
): Promise<Page<ModerationCase>> {
  requireAdmin(principal);
  const now = ctx.clock();
  return keysetPage(
    { sort: 'oldest', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row) => [row.opened_at.toISOString(), row.id] },
    (after) => moderation.queuePageQuery(ctx.db, after, query.limit).execute(),
    (row: moderation.QueueRow) => toCase(row, now),
  );
}

/** What a decision did beyond closing its case, for after the commit. */
interface Effects {
  outcome: ModerationOutcome;
  tags: string[];
  revokedSessions: number[];
  details: Record<string, unknown>;
}

/** A suspended account's profile and courses leave every list, and every cached page that shows them. */
const suspensionTags = (userId: number) => [userTag(userId), MENTOR_LISTS_TAG, COURSE_LISTS_TAG];

type LockedCase = NonNullable<Awaited<ReturnType<typeof moderation.lockCase>>>;

async function hide(
  trx: Transaction<Database>,
  locked: LockedCase,
  hidden: boolean,
  at: Date,
): Promise<string[]> {
  const kind = reportableKinds[locked.item_kind];
  if (!kind.setHidden)
    throw new AppError('CONFLICT', `A ${kind.label} cannot be hidden: warn or suspend its owner instead`);
  const tags = await kind.setHidden(trx, Number(locked.item_id), hidden, at);
  if (!tags) throw notFound(`The ${kind.label} ${locked.item_id}`);
  return tags;
}

async function applyDecision(
  trx: Transaction<Database>,
  locked: LockedCase,
  body: ModerationDecisionBody,
  decidedAt: Date,
): Promise<Effects> {
  const none = { tags: [], revokedSessions: [], details: {} };
  if (body.action === 'reinstate') {
    if (locked.outcome === 'hidden')
      return { ...none, outcome: 'reinstated', tags: await hide(trx, locked, false, decidedAt) };
    if (locked.outcome === 'suspended') {
      await moderation.setSuspension(trx, locked.owner_id, null);
      return { ...none, outcome: 'reinstated', tags: suspensionTags(locked.owner_id) };
    }
    throw new AppError('CONFLICT', 'Only a case closed with a hide or a suspension can be reinstated');
  }
  if (locked.status !== 'open') throw new AppError('CONFLICT', 'This case was already decided');
  switch (body.action) {
    case 'dismiss':
      return { ...none, outcome: 'dismissed' };
    case 'hide':
      return { ...none, outcome: 'hidden', tags: await hide(trx, locked, true, decidedAt) };
    case 'warn':
      await insertMessage(
        trx,
        accountMailMessage('account.warned', locked.owner_id, { reason: body.reason }),
      );
      return { ...none, outcome: 'warned' };
    case 'suspend': {
      if (locked.owner_role === 'admin')
        throw new AppError('CONFLICT', 'An admin account cannot be suspended');
      const until = body.suspendedUntil ? new Date(body.suspendedUntil) : PERMANENT_SUSPENSION;
      await moderation.setSuspension(trx, locked.owner_id, until);
      const revokedSessions = await revokeAllSessions(trx, locked.owner_id);
      const shownUntil = body.suspendedUntil ? until.toISOString() : null;
      await insertMessage(
        trx,
        accountMailMessage('account.suspended', locked.owner_id, { reason: body.reason, until: shownUntil }),
      );
      return {
        outcome: 'suspended',
        tags: suspensionTags(locked.owner_id),
        revokedSessions,
        details: { suspendedUntil: shownUntil },
      };
    }
  }
}

/**
 * An admin's decision on a case. The decision, its effects (hidden item and rating average, suspension, revoked
 * sessions, the owner's mail) and its audit entry commit together; the revoked sessions' sockets close and every
 * cached page showing the item or the account is invalidated on every instance before this returns.
 */
export async function decide(
  ctx: ModerationContext,
  principal: SessionPrincipal,
  caseId: number,
  body: ModerationDecisionBody,
): Promise<ModerationDecisionResult> {
  requireAdmin(principal);
  if (body.suspendedUntil !== undefined && body.action !== 'suspend')
    throw invalidField('body.suspendedUntil', 'is for a suspension only');
  const now = ctx.clock();
  if (body.suspendedUntil !== undefined && Date.parse(body.suspendedUntil) <= now)
    throw invalidField('body.suspendedUntil', 'must be in the future');
  const decidedAt = new Date(now);
  const effects = await ctx.db.transaction().execute(async (trx) => {
    const locked = await moderation.lockCase(trx, caseId);
    if (!locked) throw notFound('Moderation case');
    const done = await applyDecision(trx, locked, body, decidedAt);
    await moderation.closeCase(trx, locked.id, done.outcome, decidedAt);
    await appendAudit(trx, {
      actorId: principal.userId,
      action: `moderation.${body.action}`,
      subject: { kind: locked.item_kind, id: Number(locked.item_id) },
      reason: body.reason,
      details: { caseId: locked.id, ownerId: locked.owner_id, ...done.details },
    });
    return done;
  });
  ctx.live.endSessions(effects.revokedSessions);
  await ctx.cache.invalidateTags(effects.tags);
  return { caseId, outcome: effects.outcome, decidedAt: decidedAt.toISOString() };
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof moderation.auditPageQuery>['execute']>>[number];

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    actor: { id: row.actor_id, name: row.actor_name },
    action: row.action,
    subject: { kind: row.subject_kind, id: Number(row.subject_id) },
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  };
}

export function listAuditLog(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  query: AuditLogQuery,
): Promise<Page<AuditEntry>> {
  requireAdmin(principal);
  return keysetPage(
    { sort: 'newest', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row) => [row.created_at.toISOString(), row.id] },
    (after) => moderation.auditPageQuery(db, after, query.limit).execute(),
    toAuditEntry,
  );
}
