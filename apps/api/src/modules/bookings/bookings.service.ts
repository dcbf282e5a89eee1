import { createHash } from 'node:crypto';
import type {
  Booking,
  BookingAction,
  BookingCreateBody,
  BookingNotificationType,
  BookingStatus,
  MyBookingsQuery,
  Page,
  RescheduleAnswerBody,
  RescheduleProposalBody,
} from '@mentorhub/contracts';
import { sessionPriceCents } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Transaction } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { isExclusionViolation } from '../../infra/db/pg-errors';
import { AppError, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { availabilityTag } from '../availability/availability.cache';
import {
  slotInputsQuery,
  offersSlot,
  requestsSince,
  toSlotInputs,
} from '../availability/availability.service';
import type { SlotInputs } from '../availability/open-slots';
import { MINUTE_MS, zonedDateTime } from '../availability/zoned-time';
import { meetingUrlOf } from '../calendar/meeting-link';
import { mentorTag } from '../mentors/mentors.cache';
import { conversationForBooking } from '../messaging/messaging.service';
import { withLiveEvents, type LiveDelivery, type LiveEvents } from '../live/live-events';
import { recommendationsTag } from '../recommendations/recommendations.cache';
import { isLateCancellation, type ReliabilityPolicy } from '../reliability/reliability-policy';
import { giveStrike, pausedRefusal, type GivenStrike } from '../reliability/reliability.service';
import { refreshMentors, type ResponsivenessPolicy } from '../reliability/responsiveness.service';
import { userTag } from '../users/users.cache';
import { toUserSummary } from '../users/users.service';
import { bookingChanged, bookingsChanged } from './booking-changes';
import {
  allowedActions,
  decide,
  decideReschedule,
  isStaleRequest,
  type BookingPolicy,
  type Party,
} from './booking-lifecycle';
import * as bookings from './bookings.repository';

export interface BookingContext extends ServiceContext {
  policy: BookingPolicy;
  reliability: ReliabilityPolicy;
  responsiveness: ResponsivenessPolicy;
  live: LiveEvents;
  /** `MEETING_BASE_URL`: where generated video rooms live. */
  meetingBaseUrl: string;
  /** The app's clock: notice, expiry, the cancellation window and reminders are judged by it. */
  clock: () => number;
}

function stateOf(row: {
  status: Booking['status'];
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
  proposed_by: number | null;
  mentor_user_id: number;
  mentee_id: number;
}) {
  return {
    status: row.status,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at.getTime(),
    createdAt: row.created_at.getTime(),
    proposedBy: row.proposed_by === null ? null : partyOf(row, row.proposed_by),
  };
}

function partyOf(row: { mentor_user_id: number; mentee_id: number }, userId: number): Party | null {
  if (row.mentor_user_id === userId) return 'mentor';
  if (row.mentee_id === userId) return 'mentee';
  return null;
}

/**
 * The booking as `viewer`, one of its parties, sees it: a request past its time reads as expired even before the
 * sweep marks it, and a confirmed session shows where to meet.
 */
function toBooking(row: bookings.BookingRow, viewer: Party, ctx: BookingContext, now: number): Booking {
  const state = stateOf(row);
  const status = isStaleRequest(state, ctx.policy, now) ? 'expired' : row.status;
  return {
    id: row.id,
    status,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    price: { amountCents: row.price_cents, currency: row.currency },
    note: row.note,
    mentor: {
      id: row.mentor_id,
      user: toUserSummary({
        id: row.mentor_user_id,
        name: row.mentor_name,
        avatar_media_id: row.mentor_avatar_media_id,
      }),
    },
    mentee: toUserSummary({
      id: row.mentee_id,
      name: row.mentee_name,
      avatar_media_id: row.mentee_avatar_media_id,
    }),
    cancelReason: row.cancel_reason,
    meetingUrl: meetingUrlOf(
      { status, mentorMeetingUrl: row.mentor_meeting_url, meetingRoom: row.meeting_room },
      ctx.meetingBaseUrl,
    ),
    sequence: row.sequence,
    proposal:
      state.proposedBy &&
      row.proposed_starts_at &&
      row.proposed_ends_at &&
      !isStaleRequest(state, ctx.policy, now)
        ? {
            startsAt: row.proposed_starts_at.toISOString(),
            endsAt: row.proposed_ends_at.toISOString(),
            proposedBy: state.proposedBy,
          }
        : null,
    actions: allowedActions(state, viewer, ctx.policy, now),
    reviewed: row.review_id !== null,
    createdAt: row.created_at.toISOString(),
  };
}

/** A stable fingerprint of a booking request, to tell a retry from a different request under the same key. */
function requestHash(body: BookingCreateBody): string {
  const canonical = JSON.stringify([body.mentorId, new Date(body.startsAt).toISOString(), body.note]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type CreatedBooking = { booking: Booking; replayed: boolean };

/**
 * Claims `key` for this request, or answers what its first use answered: a retry (the same fingerprint) gets the
 * stored booking back, a different request under the same key is refused. A concurrent retry waits for the first.
 */
async function claimOrReplay(
  trx: Transaction<Database>,
  userId: number,
  key: string | undefined,
  hash: string,
): Promise<Booking | undefined> {
  if (key === undefined || (await bookings.claimIdempotencyKey(trx, userId, key, hash))) return undefined;
  const stored = await bookings.storedResponse(trx, userId, key);
  if (stored.request_hash !== hash)
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
  return stored.response_body as Booking;
}

/** Stores the answer under the claimed key, in the transaction of the change, so a retry replays exactly it. */
async function rememberAnswer(
  trx: Transaction<Database>,
  userId: number,
  key: string | undefined,
  status: number,
  booking: Booking,
) {
  if (key !== undefined) await bookings.storeResponse(trx, userId, key, status, booking);
}

/**
 * Whether the mentor offers `startsAt` now, given `inputs` (the slot computation the public calendar uses); a time
 * that would be offered but for another booking is SLOT_TAKEN.
 */
function requireOfferedSlot(inputs: SlotInputs, startsAt: number, now: number) {
  if (offersSlot(inputs, startsAt, now)) return;
  throw offersSlot({ ...inputs, busy: [] }, startsAt, now)
    ? new AppError('SLOT_TAKEN', 'This time has just been booked by someone else')
    : new AppError('SLOT_UNAVAILABLE', 'The mentor does not offer a session at this time');
}

/** Runs a write that takes time from the mentor; an overlap the exclusion constraint refuses is a 409, never a 500. */
async function holdingTime<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isExclusionViolation(error))
      throw new AppError('SLOT_TAKEN', 'This time has just been booked by someone else');
    throw error;
  }
}

/**
 * Marks the mentor's (or every mentor's) stale requests expired, so they stop holding time, tells their mentees and
 * recounts the responsiveness of the mentors who left them unanswered. Answers the rows and the cache tags the
 * recount touched.
 */
async function expireStaleRequestsOf(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  ctx: BookingContext,
  now: number,
  mentorId?: number,
) {
  const expired = await bookings.expireStaleRequests(
    trx,
    requestsSince(now, ctx.policy.requestTtlMinutes),
    new Date(now),
    mentorId,
  );
  await bookingsChanged(
    trx,
    outbox,
    expired.map((booking) => ({ type: 'booking.expired', booking, actor: 'mentor' }) as const),
    now,
  );
  const mentorIds = [...new Set(expired.map((row) => row.mentor_id))];
  const tags = mentorIds.length > 0 ? await refreshMentors(trx, ctx.responsiveness, now, mentorIds) : [];
  return { expired, tags };
}

/** A row that must exist: it was read or written earlier in the same transaction. */
async function reread(trx: Transaction<Database>, id: number) {
  const row = await bookings.findBooking(trx, id);
  if (!row) throw new Error(`booking ${String(id)} vanished inside its own transaction`);
  return row;
}

/**
 * Books a session. Inside one transaction: claim the idempotency key (a concurrent retry waits here), lock the
 * mentor (so buffers are checked against a settled set of bookings), expire the mentor's stale requests, check the
 * slot against the same availability the public calendar shows (after refusing users who blocked each other and
 * opening the pair's conversation), insert. The exclusion constraint stays the last
 * word: if anything slipped past the checks, the overlap is refused as SLOT_TAKEN, never a 500.
 */
export async function createBooking(
  ctx: BookingContext,
  principal: SessionPrincipal,
  body: BookingCreateBody,
  idempotencyKey: string | undefined,
): Promise<CreatedBooking> {
  const startsAt = Date.parse(body.startsAt);
  const now = ctx.clock();
  const result = await withLiveEvents(
    ctx.db,
    ctx.live,
    async (trx, outbox): Promise<CreatedBooking & { tags?: string[] }> => {
      const replay = await claimOrReplay(trx, principal.userId, idempotencyKey, requestHash(body));
      if (replay) return { booking: replay, replayed: true };
      if (!(await bookings.lockMentor(trx, body.mentorId))) throw notFound('Mentor');
      const pauses = await bookings.pausesOf(trx, body.mentorId, principal.userId);
      if (pauses?.mentee_paused_until && pauses.mentee_paused_until.getTime() > now)
        throw pausedRefusal('you', pauses.mentee_paused_until);
      if (pauses?.mentor_paused_until && pauses.mentor_paused_until.getTime() > now)
        throw pausedRefusal('mentor', pauses.mentor_paused_until);
      const { tags } = await expireStaleRequestsOf(trx, outbox, ctx, now, body.mentorId);
      const date = zonedDateTime(startsAt, 'UTC').date;
      const inputs = await slotInputsQuery(
        trx,
        body.mentorId,
        date,
        date,
        ctx.policy.requestTtlMinutes,
        now,
      ).executeTakeFirst();
      if (!inputs) throw notFound('Mentor');
      if (inputs.user_id === principal.userId)
        throw new AppError('FORBIDDEN', 'You cannot book a session with yourself');
      await conversationForBooking(
        trx,
        { menteeId: principal.userId, mentorId: body.mentorId, mentorUserId: inputs.user_id },
        now,
      );
      requireOfferedSlot(toSlotInputs(inputs), startsAt, now);
      const { id } = await holdingTime(() =>
        bookings.insertBooking(trx, {
          mentorId: body.mentorId,
          menteeId: principal.userId,
          startsAt: new Date(startsAt),
          endsAt: new Date(startsAt + inputs.session_minutes * MINUTE_MS),
          priceCents: sessionPriceCents(inputs.hourly_rate_cents, inputs.session_minutes),
          currency: inputs.currency,
          note: body.note,
          requestedAt: new Date(now),
        }),
      );
      const row = await reread(trx, id);
      await bookingChanged(trx, outbox, { type: 'booking.requested', booking: row, actor: 'mentee' }, now);
      const booking = toBooking(row, 'mentee', ctx, now);
      await rememberAnswer(trx, principal.userId, idempotencyKey, 201, booking);
      return { booking, replayed: false, tags };
    },
  );
  // A new booking takes the slot off the cached availability and changes what the mentee is recommended.
  if (!result.replayed)
    await ctx.cache.invalidateTags([
      availabilityTag(body.mentorId),
      recommendationsTag(principal.userId),
      ...(result.tags ?? []),
    ]);
  return { booking: result.booking, replayed: result.replayed };
}

const notificationOf: Record<BookingAction, BookingNotificationType> = {
  confirm: 'booking.confirmed',
  decline: 'booking.declined',
  cancel: 'booking.cancelled',
  complete: 'booking.completed',
  'no-show': 'booking.no_show',
  withdraw: 'booking.withdrawn',
};

/** The statuses a live booking leaves for good before its time: its time, and any proposed time, are free again. */
const freesTime = (status: BookingStatus) =>
  status === 'declined' || status === 'cancelled' || status === 'withdrawn';

/** One lifecycle step by one party; anything else is a 409 that says why. Strangers get a 404. */
export async function transitionBooking(
  ctx: BookingContext,
  principal: SessionPrincipal,
  id: number,
  action: BookingAction,
  reason: string | undefined,
): Promise<Booking> {
  const now = ctx.clock();
  const outcome = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const locked = await bookings.lockBooking(trx, id);
    const party = locked && partyOf(locked, principal.userId);
    if (!locked || !party) throw notFound('Booking');
    const state = stateOf(locked);
    const decision = decide(state, action, party, ctx.policy, now);
    if (!decision.allowed) {
      // A stale request is marked expired on the way out, so the refusal and the stored status agree.
      const stale = isStaleRequest(state, ctx.policy, now);
      let tags: string[] = [];
      if (stale) {
        await bookings.setStatus(trx, id, 'expired');
        const row = await reread(trx, id);
        await bookingChanged(trx, outbox, { type: 'booking.expired', booking: row, actor: 'mentor' }, now);
        tags = await refreshMentors(trx, ctx.responsiveness, now, [locked.mentor_id]);
      }
      return {
        mentorId: locked.mentor_id,
        freed: stale,
        tags,
        refusal: new AppError(decision.code, decision.message),
      };
    }
    const answered = action === 'confirm' || action === 'decline';
    // The party who came reports the other; a cancellation inside the late window counts against its maker.
    const absentUserId =
      action === 'no-show' ? (party === 'mentor' ? locked.mentee_id : locked.mentor_user_id) : undefined;
    const strike: GivenStrike | undefined =
      absentUserId !== undefined
        ? { userId: absentUserId, bookingId: id, kind: 'no_show' }
        : action === 'cancel' && isLateCancellation(state.startsAt, ctx.reliability, now)
          ? { userId: principal.userId, bookingId: id, kind: 'late_cancel' }
          : undefined;
    await bookings.setStatus(trx, id, decision.to, {
      cancellation: action === 'cancel' ? { by: principal.userId, reason: reason ?? null } : undefined,
      answeredAt: answered ? new Date(now) : undefined,
      absentUserId,
    });
    if (action === 'complete') await bookings.countCompletedSession(trx, locked.mentor_id);
    const row = await reread(trx, id);
    await bookingChanged(trx, outbox, { type: notificationOf[action], booking: row, actor: party }, now);
    const pauseChanged = strike ? await giveStrike(trx, outbox, ctx.reliability, strike, now) : false;
    // An answer moves the mentor's responsiveness, and brings back a mentor hidden for not answering.
    const tags = answered ? await refreshMentors(trx, ctx.responsiveness, now, [locked.mentor_id]) : [];
    if (strike && pauseChanged) tags.push(userTag(strike.userId));
    return {
      mentorId: locked.mentor_id,
      freed: freesTime(decision.to),
      tags,
      booking: toBooking(row, party, ctx, now),
    };
  });
  // Declined, cancelled, withdrawn and expired bookings free their time (and any proposed time); a completed
  // session changes the mentor's counts; an answer their responsiveness; a strike may pause an account.
  const tags = [
    ...(outcome.freed ? [availabilityTag(outcome.mentorId)] : []),
    ...(outcome.booking && action === 'complete' ? [mentorTag(outcome.mentorId)] : []),
    ...outcome.tags,
  ];
  if (tags.length > 0) await ctx.cache.invalidateTags(tags);
  if (outcome.refusal) throw outcome.refusal;
  return outcome.booking;
}

/** A booking request made against an older version than the booking has now: a stale link or a replay. */
function requireVersion(booking: { sequence: number }, sequence: number) {
  if (booking.sequence !== sequence)
    throw new AppError(
      'BOOKING_CHANGED',
      `This booking has changed since you saw it (version ${String(sequence)}, now ${String(booking.sequence)}); reload it and try again`,
    );
}

/** The fingerprint of a proposal: the same booking, version and time under one key is a retry. */
function proposalHash(id: number, body: RescheduleProposalBody): string {
  const canonical = JSON.stringify(['reschedule', id, body.sequence, new Date(body.startsAt).toISOString()]);
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Proposes to move a requested or confirmed booking to `startsAt`, for the other party to accept or decline. The
 * new time must be one the mentor offers now (the same check as booking, with the booking's own times counted
 * free) and is held from now on by the exclusion constraint; the booking keeps its time until the proposal is
 * accepted. Locks the mentor before the booking, the order every booking write takes, so concurrent bookings and
 * proposals of one mentor check buffers against a settled set.
 */
export async function proposeReschedule(
  ctx: BookingContext,
  principal: SessionPrincipal,
  id: number,
  body: RescheduleProposalBody,
  idempotencyKey: string | undefined,
): Promise<CreatedBooking> {
  const startsAt = Date.parse(body.startsAt);
  const now = ctx.clock();
  const result = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const replay = await claimOrReplay(trx, principal.userId, idempotencyKey, proposalHash(id, body));
    if (replay) return { booking: replay, replayed: true, mentorId: replay.mentor.id, tags: undefined };
    const requireProposable = (booking: bookings.BookingRow | bookings.LockedBooking | undefined) => {
      const party = booking && partyOf(booking, principal.userId);
      if (!booking || !party) throw notFound('Booking');
      requireVersion(booking, body.sequence);
      const decision = decideReschedule(stateOf(booking), 'reschedule', party, ctx.policy, now);
      if (!decision.allowed) throw new AppError(decision.code, decision.message);
      return { booking, party };
    };
    // Checked before any lock, so only a booking that can move takes the mentor's lock (a session being completed
    // holds its booking, then its mentor, and can never be moved: the two never wait on each other).
    const seen = requireProposable(await bookings.findBooking(trx, id)).booking;
    await bookings.lockMentor(trx, seen.mentor_id);
    const { tags } = await expireStaleRequestsOf(trx, outbox, ctx, now, seen.mentor_id);
    const { booking: locked, party } = requireProposable(await bookings.lockBooking(trx, id));
    if (startsAt === locked.starts_at.getTime())
      throw new AppError('SLOT_UNAVAILABLE', 'The session already starts at this time');
    const date = zonedDateTime(startsAt, 'UTC').date;
    const inputs = await slotInputsQuery(
      trx,
      locked.mentor_id,
      date,
      date,
      ctx.policy.requestTtlMinutes,
      now,
      id,
    ).executeTakeFirst();
    // A mentor who is no longer listed offers no time to move to.
    if (!inputs) throw new AppError('SLOT_UNAVAILABLE', 'The mentor does not offer a session at this time');
    requireOfferedSlot(toSlotInputs(inputs), startsAt, now);
    // The session keeps its length (and so its price) wherever it moves.
    const length = locked.ends_at.getTime() - locked.starts_at.getTime();
    await holdingTime(() =>
      bookings.propose(trx, id, {
        startsAt: new Date(startsAt),
        endsAt: new Date(startsAt + length),
        by: principal.userId,
      }),
    );
    const row = await reread(trx, id);
    await bookingChanged(
      trx,
      outbox,
      {
        type: 'booking.reschedule_proposed',
        booking: row,
        actor: party,
        proposedStartsAt: new Date(startsAt),
      },
      now,
    );
    const booking = toBooking(row, party, ctx, now);
    await rememberAnswer(trx, principal.userId, idempotencyKey, 200, booking);
    return { booking, replayed: false, mentorId: locked.mentor_id, tags };
  });
  // The proposed time is taken from the mentor's open slots until the proposal is answered.
  if (!result.replayed)
    await ctx.cache.invalidateTags([availabilityTag(result.mentorId), ...(result.tags ?? [])]);
  return { booking: result.booking, replayed: result.replayed };
}

export type RescheduleAnswer = 'accept' | 'decline' | 'withdraw';

const answerNotification = {
  accept: 'booking.rescheduled',
  decline: 'booking.reschedule_declined',
  withdraw: 'booking.reschedule_withdrawn',
} as const satisfies Record<RescheduleAnswer, BookingNotificationType>;

/**
 * Accepts or declines the other party's open proposal, or withdraws one's own, for the booking at the version the
 * request was made against (anything else is BOOKING_CHANGED: a second answer, a stale link, a replay). Accepting
 * moves the booking onto the proposed time (same booking, so its calendar event stays the same event) and frees the
 * old time in one statement; declining and withdrawing free the proposed time.
 */
export async function answerReschedule(
  ctx: BookingContext,
  principal: SessionPrincipal,
  id: number,
  answer: RescheduleAnswer,
  body: RescheduleAnswerBody,
): Promise<Booking> {
  const now = ctx.clock();
  const outcome = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const locked = await bookings.lockBooking(trx, id);
    const party = locked && partyOf(locked, principal.userId);
    if (!locked || !party) throw notFound('Booking');
    requireVersion(locked, body.sequence);
    const decision = decideReschedule(stateOf(locked), `${answer}-reschedule`, party, ctx.policy, now);
    if (!decision.allowed) throw new AppError(decision.code, decision.message);
    if (answer === 'accept') await bookings.moveToProposal(trx, id);
    else await bookings.closeProposal(trx, id);
    const row = await reread(trx, id);
    await bookingChanged(
      trx,
      outbox,
      {
        type: answerNotification[answer],
        booking: row,
        actor: party,
        ...(answer === 'accept'
          ? { previousStartsAt: locked.starts_at }
          : locked.proposed_starts_at
            ? { proposedStartsAt: locked.proposed_starts_at }
            : {}),
      },
      now,
    );
    return { mentorId: locked.mentor_id, booking: toBooking(row, party, ctx, now) };
  });
  // Either the old time or the proposed one is free again.
  await ctx.cache.invalidateTags([availabilityTag(outcome.mentorId)]);
  return outcome.booking;
}

export async function getBooking(
  ctx: BookingContext,
  principal: SessionPrincipal,
  id: number,
): Promise<Booking> {
  const row = await bookings.findBooking(ctx.db, id);
  const party = row && partyOf(row, principal.userId);
  if (!row || !party) throw notFound('Booking');
  return toBooking(row, party, ctx, ctx.clock());
}

export async function listMyBookings(
  ctx: BookingContext,
  principal: SessionPrincipal,
  query: MyBookingsQuery,
): Promise<Page<Booking>> {
  const now = ctx.clock();
  return keysetPage(
    { sort: 'starts', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row) => [row.starts_at.toISOString(), row.id] },
    (after) =>
      bookings.pageQuery(ctx.db, principal.userId, query.as, query.status, after, query.limit).execute(),
    (row: bookings.BookingRow) => toBooking(row, query.as, ctx, now),
  );
}

/**
 * The periodic sweep: marks stale requests expired, tells their mentees, frees the slots, recounts the mentors'
 * responsiveness, forgets old keys.
 */
export async function sweepExpiredRequests(ctx: BookingContext, log: FastifyBaseLogger): Promise<void> {
  const now = ctx.clock();
  const { expired, tags } = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const swept = await expireStaleRequestsOf(trx, outbox, ctx, now);
    await bookings.deleteIdempotencyKeysBefore(trx, new Date(now - IDEMPOTENCY_KEY_TTL_MS));
    return swept;
  });
  if (expired.length === 0) return;
  await ctx.cache.invalidateTags([...new Set(expired.map((row) => availabilityTag(row.mentor_id))), ...tags]);
  log.info({ expired: expired.length }, 'Expired unanswered booking requests');
}

/** A retry with the same Idempotency-Key replays the first answer for a day. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;
