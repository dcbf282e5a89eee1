import type { BookingStatus } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';

type Executor = Kysely<Database> | Transaction<Database>;

/** A booking with both people (names and avatars, never emails), its meeting place and whether it has been reviewed. */
function bookingView(db: Executor) {
  return db
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .innerJoin('users as mentee', 'mentee.id', 'b.mentee_id')
    .leftJoin('reviews as r', 'r.booking_id', 'b.id')
    .select([
      'b.id',
      'b.status',
      'b.starts_at',
      'b.ends_at',
      'b.price_cents',
      'b.currency',
      'b.note',
      'b.cancel_reason',
      'b.sequence',
      'b.proposed_starts_at',
      'b.proposed_ends_at',
      'b.proposed_by',
      'b.created_at',
      'b.meeting_room',
      'b.mentor_id',
      'm.meeting_url as mentor_meeting_url',
      'mu.id as mentor_user_id',
      'mu.name as mentor_name',
      'mu.avatar_media_id as mentor_avatar_media_id',
      'mentee.id as mentee_id',
      'mentee.name as mentee_name',
      'mentee.avatar_media_id as mentee_avatar_media_id',
      'r.id as review_id',
    ]);
}

export type BookingRow = NonNullable<Awaited<ReturnType<typeof findBooking>>>;

export function findBooking(db: Executor, id: number) {
  return bookingView(db).where('b.id', '=', id).executeTakeFirst();
}

/** My bookings as mentee or as mentor, latest start first (indexes bookings_mentee_id_idx / bookings_mentor_id_idx). */
export function pageQuery(
  db: Kysely<Database>,
  userId: number,
  as: 'mentee' | 'mentor',
  status: BookingStatus | undefined,
  after: CursorKey | undefined,
  limit: number,
) {
  let query = bookingView(db);
  query = as === 'mentee' ? query.where('b.mentee_id', '=', userId) : query.where('m.user_id', '=', userId);
  if (status) query = query.where('b.status', '=', status);
  return keysetPageQuery(query, newestFirst('b.starts_at'), 'b.id', after, limit);
}

/** Until when the mentee's and the mentor's accounts are paused (null: not paused), for a booking request. */
export function pausesOf(trx: Transaction<Database>, mentorId: number, menteeId: number) {
  return trx
    .selectFrom('mentors as m')
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .select((eb) => [
      'mu.paused_until as mentor_paused_until',
      eb
        .selectFrom('users as mentee')
        .select('mentee.paused_until')
        .where('mentee.id', '=', menteeId)
        .as('mentee_paused_until'),
    ])
    .where('m.id', '=', mentorId)
    .executeTakeFirst();
}

/** Serializes bookings of one mentor: buffers and availability are checked against a stable set of bookings. */
export function lockMentor(trx: Transaction<Database>, mentorId: number) {
  return trx.selectFrom('mentors').select('id').where('id', '=', mentorId).forUpdate().executeTakeFirst();
}

export type LockedBooking = NonNullable<Awaited<ReturnType<typeof lockBooking>>>;

export function lockBooking(trx: Transaction<Database>, id: number) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .select([
      'b.id',
      'b.status',
      'b.starts_at',
      'b.ends_at',
      'b.created_at',
      'b.mentor_id',
      'b.mentee_id',
      'b.sequence',
      'b.proposed_starts_at',
      'b.proposed_ends_at',
      'b.proposed_by',
      'm.user_id as mentor_user_id',
    ])
    .where('b.id', '=', id)
    .forUpdate('b')
    .executeTakeFirst();
}

export function insertBooking(
  trx: Transaction<Database>,
  booking: {
    mentorId: number;
    menteeId: number;
    startsAt: Date;
    endsAt: Date;
    priceCents: number;
    currency: string;
    note: string;
    /** By the app's clock: an unanswered request expires counting from here. */
    requestedAt: Date;
  },
) {
  return trx
    .insertInto('bookings')
    .values({
      mentor_id: booking.mentorId,
      mentee_id: booking.menteeId,
      starts_at: booking.startsAt,
      ends_at: booking.endsAt,
      price_cents: booking.priceCents,
      currency: booking.currency,
      note: booking.note,
      created_at: booking.requestedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The columns that close an open reschedule proposal, freeing its time. */
const noProposal = { proposed_starts_at: null, proposed_ends_at: null, proposed_by: null } as const;

/** What a status change records besides the status. */
export interface StatusDetails {
  cancellation?: { by: number; reason: string | null } | undefined;
  /** A confirmation or decline: when the mentor answered, by the app's clock. */
  answeredAt?: Date | undefined;
  /** A no-show: the party who did not come. */
  absentUserId?: number | undefined;
}

/** A new status; one that ends the booking also closes its open proposal. */
export function setStatus(
  trx: Transaction<Database>,
  id: number,
  status: BookingStatus,
  details: StatusDetails = {},
) {
  const live = status === 'requested' || status === 'confirmed';
  const { cancellation, answeredAt, absentUserId } = details;
  return trx
    .updateTable('bookings')
    .set({
      status,
      sequence: sql`sequence + 1`,
      updated_at: sql`now()`,
      ...(live ? {} : noProposal),
      ...(cancellation ? { cancelled_by: cancellation.by, cancel_reason: cancellation.reason } : {}),
      ...(answeredAt ? { answered_at: answeredAt } : {}),
      ...(absentUserId === undefined ? {} : { absent_user_id: absentUserId }),
    })
    .where('id', '=', id)
    .execute();
}

/** Opens a proposal to move the booking; the exclusion constraint now holds the proposed time too. */
export function propose(
  trx: Transaction<Database>,
  id: number,
  proposal: { startsAt: Date; endsAt: Date; by: number },
) {
  return trx
    .updateTable('bookings')
    .set({
      proposed_starts_at: proposal.startsAt,
      proposed_ends_at: proposal.endsAt,
      proposed_by: proposal.by,
      sequence: sql`sequence + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Moves the booking onto its proposed time, releasing the old time in the same statement. */
export function moveToProposal(trx: Transaction<Database>, id: number) {
  return trx
    .updateTable('bookings')
    .set({
      starts_at: sql`proposed_starts_at`,
      ends_at: sql`proposed_ends_at`,
      ...noProposal,
      sequence: sql`sequence + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('proposed_starts_at', 'is not', null)
    .execute();
}

/** Closes the open proposal unaccepted (declined or withdrawn), freeing its time. */
export function closeProposal(trx: Transaction<Database>, id: number) {
  return trx
    .updateTable('bookings')
    .set({ ...noProposal, sequence: sql`sequence + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export function countCompletedSession(trx: Transaction<Database>, mentorId: number) {
  return trx
    .updateTable('mentors')
    .set((eb) => ({ sessions_completed: eb('sessions_completed', '+', 1) }))
    .where('id', '=', mentorId)
    .execute();
}

/** Marks stale requests expired (all of them, or one mentor's), returning who to tell. */
export function expireStaleRequests(db: Executor, createdBefore: Date, now: Date, mentorId?: number) {
  return staleRequestsExpiry(db, createdBefore, now, mentorId).execute();
}

/**
 * The statement `expireStaleRequests` runs, unexecuted (for EXPLAIN). It reads only active bookings: the
 * `bookings_no_overlap` exclusion constraint's GiST index is partial on requested and confirmed ones.
 */
export function staleRequestsExpiry(db: Executor, createdBefore: Date, now: Date, mentorId?: number) {
  let query = db
    .updateTable('bookings as b')
    .set({ status: 'expired', ...noProposal, sequence: sql`b.sequence + 1`, updated_at: sql`now()` })
    .where('b.status', '=', sql.lit('requested'))
    .where((eb) => eb.or([eb('b.created_at', '<=', createdBefore), eb('b.starts_at', '<=', now)]));
  if (mentorId !== undefined) query = query.where('b.mentor_id', '=', mentorId);
  return query
    .from(['users as mentee', 'mentors as m'])
    .innerJoin('users as mu', 'mu.id', 'm.user_id')
    .whereRef('m.id', '=', 'b.mentor_id')
    .whereRef('mentee.id', '=', 'b.mentee_id')
    .returning([
      'b.id',
      'b.status',
      'b.sequence',
      'b.mentor_id',
      'b.mentee_id',
      'b.starts_at',
      'mu.id as mentor_user_id',
      'mu.name as mentor_name',
      'mentee.name as mentee_name',
    ]);
}

/** Claims an idempotency key; waits for a concurrent claim of the same key to commit or roll back first. */
export async function claimIdempotencyKey(
  trx: Transaction<Database>,
  userId: number,
  key: string,
  requestHash: string,
) {
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, request_hash: requestHash })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

export function storedResponse(trx: Transaction<Database>, userId: number, key: string) {
  return trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_status', 'response_body'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

export function storeResponse(
  trx: Transaction<Database>,
  userId: number,
  key: string,
  status: number,
  body: unknown,
) {
  return trx
    .updateTable('idempotency_keys')
    .set({ response_status: status, response_body: JSON.stringify(body) })
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .execute();
}

export function deleteIdempotencyKeysBefore(db: Executor, before: Date) {
  return db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
