import type {
  Dispute,
  DisputeDecision,
  DisputeListQuery,
  Page,
  Standing,
  StrikeKind,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Transaction } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { withLiveEvents, type LiveDelivery, type LiveEvents } from '../live/live-events';
import { appendAudit } from '../moderation/audit-log';
import { notify } from '../notifications/notifications.service';
import { userTag } from '../users/users.cache';
import { inEffect, pausedUntil, pauseLookbackMs, type ReliabilityPolicy } from './reliability-policy';
import * as reliability from './reliability.repository';

export interface ReliabilityContext extends ServiceContext {
  reliability: ReliabilityPolicy;
  live: LiveEvents;
  clock: () => number;
}

/**
 * Recomputes the user's pause from the strikes that count, in the caller's transaction (the user's row is locked
 * first, so concurrent strikes and decisions settle one after another). Answers the pause before and after.
 */
async function recomputePause(
  trx: Transaction<Database>,
  policy: ReliabilityPolicy,
  userId: number,
  now: number,
): Promise<{ before: number | null; after: number | null; strikes: number[] }> {
  const { paused_until: stored } = await reliability.lockStanding(trx, userId);
  const rows = await reliability.countedStrikesSince(trx, userId, new Date(now - pauseLookbackMs(policy)));
  const strikes = rows.map((row) => row.given_at.getTime());
  const until = pausedUntil(
    strikes.map((givenAt) => ({ givenAt })),
    policy,
  );
  // A pause that has run out is history: stored as none, so "paused" is one comparison with the clock.
  const after = until !== null && until > now ? until : null;
  const before = stored?.getTime() ?? null;
  if (after !== before)
    await reliability.setPausedUntil(trx, userId, after === null ? null : new Date(after));
  return { before, after, strikes };
}

/** A strike the user was given, in the transaction of the booking change that caused it. */
export interface GivenStrike {
  userId: number;
  bookingId: number;
  kind: StrikeKind;
}

/**
 * Gives a strike in the caller's transaction, tells its user (and, when it starts or lengthens a pause, says until
 * when) and answers whether their pause changed: the caller then invalidates `userTag(userId)`, which drops a
 * mentor's cards and page, so a paused mentor shows as not bookable at once.
 */
export async function giveStrike(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  policy: ReliabilityPolicy,
  strike: GivenStrike,
  now: number,
): Promise<boolean> {
  await reliability.insertStrike(trx, { ...strike, givenAt: new Date(now) });
  const pause = await recomputePause(trx, policy, strike.userId, now);
  const strikesInEffect = pause.strikes.filter((givenAt) => inEffect({ givenAt }, policy, now)).length;
  const started = pause.after !== null && pause.after !== pause.before;
  await notify(trx, outbox, {
    userId: strike.userId,
    type: started ? 'reliability.paused' : 'reliability.strike',
    payload: {
      bookingId: strike.bookingId,
      kind: strike.kind,
      strikesInEffect,
      pausedUntil: pause.after === null ? null : new Date(pause.after).toISOString(),
    },
  });
  return pause.after !== pause.before;
}

/** The refusal a paused account gets, naming until when. */
export function pausedRefusal(who: 'you' | 'mentor', until: Date): AppError {
  return who === 'you'
    ? new AppError(
        'ACCOUNT_PAUSED',
        `Your account cannot book sessions until ${until.toISOString()}: reliability strikes paused it`,
      )
    : new AppError(
        'MENTOR_PAUSED',
        `This mentor cannot be booked until ${until.toISOString()}: reliability strikes paused their account`,
      );
}

const DAY_MS = 24 * 3_600_000;

/** The caller's strikes in effect, their pause and (a mentor) whether the directory hides them. */
export async function getStanding(ctx: ReliabilityContext, principal: SessionPrincipal): Promise<Standing> {
  const now = ctx.clock();
  const policy = ctx.reliability;
  const [strikes, standing] = await Promise.all([
    reliability.strikesOf(ctx.db, principal.userId, new Date(now - policy.strikeExpiryMs)),
    reliability.standingOf(ctx.db, principal.userId),
  ]);
  const until = standing.paused_until;
  return {
    strikes: strikes
      .filter((row) => inEffect({ givenAt: row.given_at.getTime() }, policy, now))
      .map((row) => ({
        id: row.id,
        kind: row.kind,
        bookingId: row.booking_id,
        givenAt: row.given_at.toISOString(),
        expiresAt: new Date(row.given_at.getTime() + policy.strikeExpiryMs).toISOString(),
        dispute: row.dispute_status === null ? null : { status: row.dispute_status },
      })),
    pausedUntil: until !== null && until.getTime() > now ? until.toISOString() : null,
    hiddenSince: standing.inactive_since?.toISOString() ?? null,
    rules: {
      noShowGraceMinutes: policy.noShowGraceMs / 60_000,
      lateCancelHours: policy.lateCancelMs / 3_600_000,
      strikeExpiryDays: policy.strikeExpiryMs / DAY_MS,
      strikesToPause: policy.strikesToPause,
      strikeWindowDays: policy.strikeWindowMs / DAY_MS,
      pauseDays: policy.pauseMs / DAY_MS,
      disputeWindowDays: policy.disputeWindowMs / DAY_MS,
    },
  };
}

function toDispute(row: reliability.DisputeRow): Dispute {
  return {
    id: row.id,
    bookingId: row.booking_id,
    status: row.status,
    reason: row.reason,
    filedBy: { id: row.filer_id, name: row.filer_name },
    struck: { id: row.struck_id, name: row.struck_name },
    mentor: { id: row.mentor_id, name: row.mentor_name },
    mentee: { id: row.mentee_id, name: row.mentee_name },
    strikeKind: row.strike_kind,
    startsAt: row.starts_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
    decisionReason: row.decision_reason,
  };
}

/**
 * Either party disputes a reported no-show, within the dispute window from the report, with a reason; one dispute
 * per booking per party (a second one is a 409). Strangers get a 404.
 */
export async function fileDispute(
  ctx: ReliabilityContext,
  principal: SessionPrincipal,
  bookingId: number,
  reason: string,
): Promise<Dispute> {
  const now = ctx.clock();
  const booking = await reliability.noShowStrikeOf(ctx.db, bookingId);
  if (!booking || (booking.mentee_id !== principal.userId && booking.mentor_user_id !== principal.userId))
    throw notFound('Booking');
  if (booking.status !== 'no_show' || booking.strike_id === null || booking.given_at === null)
    throw new AppError('INVALID_TRANSITION', 'Only a session reported as a no-show can be disputed');
  const closesAt = booking.given_at.getTime() + ctx.reliability.disputeWindowMs;
  if (now >= closesAt)
    throw new AppError(
      'INVALID_TRANSITION',
      `A no-show can be disputed until ${new Date(closesAt).toISOString()}; that time has passed`,
    );
  const filed = await reliability.insertDispute(ctx.db, {
    bookingId,
    strikeId: booking.strike_id,
    userId: principal.userId,
    reason,
    createdAt: new Date(now),
  });
  if (!filed) throw new AppError('CONFLICT', 'You have already disputed this no-show');
  const row = await reliability.findDispute(ctx.db, filed.id);
  if (!row) throw new Error(`dispute ${String(filed.id)} vanished after its insert`);
  return toDispute(row);
}

function requireAdmin(principal: SessionPrincipal): void {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins decide disputes');
}

/** Open disputes, oldest first, for the admins' queue. */
export async function listOpenDisputes(
  ctx: ServiceContext,
  principal: SessionPrincipal,
  query: DisputeListQuery,
): Promise<Page<Dispute>> {
  requireAdmin(principal);
  return keysetPage(
    { sort: 'id', cursor: query.cursor, limit: query.limit },
    { kind: 'integer', keyOf: (row) => [row.id, row.id] },
    (after) => reliability.openDisputesQuery(ctx.db, after, query.limit).execute(),
    toDispute,
  );
}

/**
 * An admin's decision on an open dispute: the one place disputes are decided (the moderation queue calls it too).
 * `uphold` leaves the strike standing; `void` stops it counting and recomputes its user's pause in the same
 * transaction, lifting or shortening a pause it no longer justifies. The decision and its audit entry commit
 * together. A dispute already decided is a 409, and writes nothing.
 */
export async function decideDispute(
  ctx: ReliabilityContext,
  admin: SessionPrincipal,
  disputeId: number,
  decision: DisputeDecision,
  reason: string,
): Promise<Dispute> {
  requireAdmin(admin);
  const now = ctx.clock();
  const outcome = await withLiveEvents(ctx.db, ctx.live, async (trx) => {
    const dispute = await reliability.findDispute(trx, disputeId);
    if (!dispute) throw notFound('Dispute');
    const settled = await reliability.settleDispute(trx, disputeId, {
      status: decision === 'void' ? 'voided' : 'upheld',
      by: admin.userId,
      at: new Date(now),
      reason,
    });
    if (!settled) throw new AppError('CONFLICT', 'This dispute has already been decided');
    let pauseChanged = false;
    if (decision === 'void') {
      const { user_id: userId } = await reliability.voidStrike(trx, dispute.strike_id, new Date(now));
      const pause = await recomputePause(trx, ctx.reliability, userId, now);
      pauseChanged = pause.before !== pause.after;
    }
    await appendAudit(trx, {
      actorId: admin.userId,
      action: `dispute.${decision}`,
      subject: { kind: 'booking', id: dispute.booking_id },
      reason,
      details: { disputeId, filedBy: dispute.filer_id, struckUserId: dispute.struck_id },
    });
    const row = await reliability.findDispute(trx, disputeId);
    if (!row) throw new Error(`dispute ${String(disputeId)} vanished inside its own transaction`);
    return { dispute: toDispute(row), pauseChanged };
  });
  // A lifted pause makes a mentor bookable again on every cached card and page.
  if (outcome.pauseChanged) await ctx.cache.invalidateTags([userTag(outcome.dispute.struck.id)]);
  return outcome.dispute;
}
