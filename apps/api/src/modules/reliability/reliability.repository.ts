import type { StrikeKind } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CursorKey } from '../../infra/pagination/cursor';

type Executor = Kysely<Database> | Transaction<Database>;

/** One strike per booking per person: a second report of the same booking is refused earlier, by its status. */
export function insertStrike(
  trx: Transaction<Database>,
  strike: { userId: number; bookingId: number; kind: StrikeKind; givenAt: Date },
) {
  return trx
    .insertInto('reliability_strikes')
    .values({
      user_id: strike.userId,
      booking_id: strike.bookingId,
      kind: strike.kind,
      given_at: strike.givenAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/**
 * Locks the user's row, so strikes given or voided concurrently recompute the pause one after another, and answers
 * the pause as it stands.
 */
export function lockStanding(trx: Transaction<Database>, userId: number) {
  return trx
    .selectFrom('users')
    .select('paused_until')
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** The user's strikes that count (not voided) given after `since`, oldest first (index reliability_strikes_user_idx). */
export function countedStrikesSince(db: Executor, userId: number, since: Date) {
  return db
    .selectFrom('reliability_strikes')
    .select('given_at')
    .where('user_id', '=', userId)
    .where('given_at', '>', since)
    .where('voided_at', 'is', null)
    .orderBy('given_at')
    .execute();
}

export function setPausedUntil(trx: Transaction<Database>, userId: number, until: Date | null) {
  return trx.updateTable('users').set({ paused_until: until }).where('id', '=', userId).execute();
}

/** The user's strikes given after `since` and not voided, newest first, each with the user's own dispute of it. */
export function strikesOf(db: Executor, userId: number, since: Date) {
  return db
    .selectFrom('reliability_strikes as s')
    .leftJoin('no_show_disputes as d', (join) =>
      join.onRef('d.booking_id', '=', 's.booking_id').onRef('d.user_id', '=', 's.user_id'),
    )
    .select(['s.id', 's.kind', 's.booking_id', 's.given_at', 'd.status as dispute_status'])
    .where('s.user_id', '=', userId)
    .where('s.given_at', '>', since)
    .where('s.voided_at', 'is', null)
    .orderBy('s.given_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
}

/** The caller's pause and, if they are a mentor, since when the directory hides them. */
export function standingOf(db: Executor, userId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('mentors as m', 'm.user_id', 'u.id')
    .select(['u.paused_until', 'm.inactive_since'])
    .where('u.id', '=', userId)
    .executeTakeFirstOrThrow();
}

/** The strike a no-show of the booking gave, with the booking's parties. */
export function noShowStrikeOf(db: Executor, bookingId: number) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .leftJoin('reliability_strikes as s', (join) =>
      join.onRef('s.booking_id', '=', 'b.id').on('s.kind', '=', sql.lit('no_show')),
    )
    .select([
      'b.id',
      'b.status',
      'b.mentee_id',
      'm.user_id as mentor_user_id',
      's.id as strike_id',
      's.given_at',
    ])
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

/** Files a dispute; nothing back when this party already disputed this booking. */
export function insertDispute(
  trx: Executor,
  dispute: { bookingId: number; strikeId: number; userId: number; reason: string; createdAt: Date },
) {
  return trx
    .insertInto('no_show_disputes')
    .values({
      booking_id: dispute.bookingId,
      strike_id: dispute.strikeId,
      user_id: dispute.userId,
      reason: dispute.reason,
      created_at: dispute.createdAt,
    })
    .onConflict((oc) => oc.columns(['booking_id', 'user_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Disputes with their booking's two parties, who filed them and who the strike was given to. */
function disputeView(db: Executor) {
  return db
    .selectFrom('no_show_disputes as d')
    .innerJoin('reliability_strikes as s', 's.id', 'd.strike_id')
    .innerJoin('bookings as b', 'b.id', 'd.booking_id')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .innerJoin('users as mentor', 'mentor.id', 'm.user_id')
    .innerJoin('users as mentee', 'mentee.id', 'b.mentee_id')
    .innerJoin('users as filer', 'filer.id', 'd.user_id')
    .innerJoin('users as struck', 'struck.id', 's.user_id')
    .select([
      'd.id',
      'd.booking_id',
      'd.status',
      'd.reason',
      'd.created_at',
      'd.decided_at',
      'd.decision_reason',
      'd.strike_id',
      's.kind as strike_kind',
      's.user_id as struck_id',
      'struck.name as struck_name',
      'filer.id as filer_id',
      'filer.name as filer_name',
      'b.starts_at',
      'mentor.id as mentor_id',
      'mentor.name as mentor_name',
      'mentee.id as mentee_id',
      'mentee.name as mentee_name',
    ]);
}

export type DisputeRow = NonNullable<Awaited<ReturnType<typeof findDispute>>>;

export function findDispute(db: Executor, id: number) {
  return disputeView(db).where('d.id', '=', id).executeTakeFirst();
}

/** Open disputes, oldest first (partial index no_show_disputes_open_idx). */
export function openDisputesQuery(db: Executor, after: CursorKey | undefined, limit: number) {
  let query = disputeView(db).where('d.status', '=', sql.lit('open'));
  if (after) query = query.where('d.id', '>', after[1]);
  return query.orderBy('d.id').limit(limit + 1);
}

/** Settles an open dispute; nothing back when it was no longer open (decided concurrently). */
export function settleDispute(
  trx: Transaction<Database>,
  id: number,
  decision: { status: 'upheld' | 'voided'; by: number; at: Date; reason: string },
) {
  return trx
    .updateTable('no_show_disputes')
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.at,
      decision_reason: decision.reason,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning('id')
    .executeTakeFirst();
}

/** Voids the strike and answers whose it was. */
export function voidStrike(trx: Transaction<Database>, strikeId: number, at: Date) {
  return trx
    .updateTable('reliability_strikes')
    .set({ voided_at: at })
    .where('id', '=', strikeId)
    .returning('user_id')
    .executeTakeFirstOrThrow();
}
