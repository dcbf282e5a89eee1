import { createHash } from 'node:crypto';
import type {
  Booking,
  BookingAction,
  BookingCreateBody,
  BookingNotificationType,
  BookingStatus,
  MyBookingsQuery,
  Page,
} from '@mentorhub/contracts';
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
import { MINUTE_MS, zonedDateTime } from '../availability/zoned-time';
import { mentorTag } from '../mentors/mentors.cache';
import { withLiveEvents, type LiveDelivery, type LiveEvents } from '../live/live-events';
import { notify } from '../notifications/notifications.service';
import { bookingMailMessage } from '../outbox/booking-mail';
import { insertMessage } from '../outbox/outbox.repository';
import { scheduleReminders } from '../reminders/reminders.service';
import { recommendationsTag } from '../recommendations/recommendations.cache';
import { toUserSummary } from '../users/users.service';
import { allowedActions, decide, isStaleRequest, type BookingPolicy, type Party } from './booking-lifecycle';
import * as bookings from './bookings.repository';

export interface BookingContext extends ServiceContext {
  policy: BookingPolicy;
  live: LiveEvents;
}

function stateOf(row: { status: Booking['status']; starts_at: Date; ends_at: Date; created_at: Date }) {
  return {
    status: row.status,
    startsAt: row.starts_at.getTime(),
    endsAt: row.ends_at.getTime(),
    createdAt: row.created_at.getTime(),
  };
}

function partyOf(row: { mentor_user_id: number; mentee_id: number }, userId: number): Party | null {
  if (row.mentor_user_id === userId) return 'mentor';
  if (row.mentee_id === userId) return 'mentee';
  return null;
}

/** The booking as `viewer` sees it: a request past its time reads as expired even before the sweep marks it. */
function toBooking(row: bookings.BookingRow, viewer: Party, policy: BookingPolicy, now: number): Booking {
  const state = stateOf(row);
  return {
    id: row.id,
    status: isStaleRequest(state, policy, now) ? 'expired' : row.status,
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
    actions: allowedActions(state, viewer, policy, now),
    reviewed: row.review_id !== null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Both parties hear of a new status at once (their other tabs and devices too); `to` is also notified. */
async function announce(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  type: BookingNotificationType,
  row: bookings.BookingRow,
  to: Party,
) {
  statusChanged(outbox, row, row.status);
  const about = (party: Party) => ({
    userId: party === 'mentor' ? row.mentor_user_id : row.mentee_id,
    type,
    payload: {
      bookingId: row.id,
      startsAt: row.starts_at.toISOString(),
      otherPartyName: party === 'mentor' ? row.mentee_name : row.mentor_name,
    },
  });
  await notify(trx, outbox, about(to));
  // The mentor who confirmed is mailed too: the mail is their record of the agreed time.
  const actor = to === 'mentor' ? 'mentee' : 'mentor';
  const actorMail = type === 'booking.confirmed' ? bookingMailMessage(about(actor)) : undefined;
  if (actorMail) await insertMessage(trx, actorMail);
}

function statusChanged(
  outbox: LiveDelivery[],
  booking: { id: number; mentor_user_id: number; mentee_id: number },
  status: BookingStatus,
) {
  for (const userId of [booking.mentee_id, booking.mentor_user_id])
    outbox.push({ userId, event: { type: 'booking', bookingId: booking.id, status } });
}

/** A stable fingerprint of a booking request, to tell a retry from a different request under the same key. */
function requestHash(body: BookingCreateBody): string {
  const canonical = JSON.stringify([body.mentorId, new Date(body.startsAt).toISOString(), body.note]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type CreatedBooking = { booking: Booking; replayed: boolean };

/**
 * Books a session. Inside one transaction: claim the idempotency key (a concurrent retry waits here), lock the
 * mentor (so buffers are checked against a settled set of bookings), expire the mentor's stale requests, check the
 * slot against the same availability the public calendar shows, insert. The exclusion constraint stays the last
 * word: if anything slipped past the checks, the overlap is refused as SLOT_TAKEN, never a 500.
 */
export async function createBooking(
  ctx: BookingContext,
  principal: SessionPrincipal,
  body: BookingCreateBody,
  idempotencyKey: string | undefined,
): Promise<CreatedBooking> {
  const startsAt = Date.parse(body.startsAt);
  const now = Date.now();
  const result = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox): Promise<CreatedBooking> => {
    if (idempotencyKey !== undefined) {
      const hash = requestHash(body);
      if (!(await bookings.claimIdempotencyKey(trx, principal.userId, idempotencyKey, hash))) {
        const stored = await bookings.storedResponse(trx, principal.userId, idempotencyKey);
        if (stored.request_hash !== hash)
          throw new AppError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was used with a different request',
          );
        return { booking: stored.response_body as Booking, replayed: true };
      }
    }
    if (!(await bookings.lockMentor(trx, body.mentorId))) throw notFound('Mentor');
    const expired = await bookings.expireStaleRequests(
      trx,
      requestsSince(now, ctx.policy.requestTtlMinutes),
      new Date(now),
      body.mentorId,
    );
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
    const slotInputs = toSlotInputs(inputs);
    if (!offersSlot(slotInputs, startsAt, now)) {
      throw offersSlot({ ...slotInputs, busy: [] }, startsAt, now)
        ? new AppError('SLOT_TAKEN', 'This time has just been booked by someone else')
        : new AppError('SLOT_UNAVAILABLE', 'The mentor does not offer a session at this time');
    }
    let id: number;
    try {
      ({ id } = await bookings.insertBooking(trx, {
        mentorId: body.mentorId,
        menteeId: principal.userId,
        startsAt: new Date(startsAt),
        endsAt: new Date(startsAt + inputs.session_minutes * MINUTE_MS),
        priceCents: Math.round((inputs.hourly_rate_cents * inputs.session_minutes) / 60),
        currency: inputs.currency,
        note: body.note,
      }));
    } catch (error) {
      if (isExclusionViolation(error))
        throw new AppError('SLOT_TAKEN', 'This time has just been booked by someone else');
      throw error;
    }
    const row = await bookings.findBooking(trx, id);
    if (!row) throw new Error(`booking ${id} vanished inside its own transaction`);
    await announce(trx, outbox, 'booking.requested', row, 'mentor');
    await notifyExpired(trx, outbox, expired);
    const booking = toBooking(row, 'mentee', ctx.policy, now);
    if (idempotencyKey !== undefined)
      await bookings.storeResponse(trx, principal.userId, idempotencyKey, 201, booking);
    return { booking, replayed: false };
  });
  // A new booking frees the slot's cached availability and changes what the mentee is recommended.
  if (!result.replayed)
    await ctx.cache.invalidateTags([availabilityTag(body.mentorId), recommendationsTag(principal.userId)]);
  return result;
}

async function notifyExpired(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  expired: Awaited<ReturnType<typeof bookings.expireStaleRequests>>,
) {
  for (const booking of expired) {
    statusChanged(outbox, booking, 'expired');
    await notify(trx, outbox, {
      userId: booking.mentee_id,
      type: 'booking.expired',
      payload: {
        bookingId: booking.id,
        startsAt: booking.starts_at.toISOString(),
        otherPartyName: booking.mentor_name,
      },
    });
  }
}

const notificationOf: Record<BookingAction, BookingNotificationType> = {
  confirm: 'booking.confirmed',
  decline: 'booking.declined',
  cancel: 'booking.cancelled',
  complete: 'booking.completed',
  'no-show': 'booking.no_show',
};

/** One lifecycle step by one party; anything else is a 409 that says why. Strangers get a 404. */
export async function transitionBooking(
  ctx: BookingContext,
  principal: SessionPrincipal,
  id: number,
  action: BookingAction,
  reason: string | undefined,
): Promise<Booking> {
  const now = Date.now();
  const outcome = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const locked = await bookings.lockBooking(trx, id);
    const party = locked && partyOf(locked, principal.userId);
    if (!locked || !party) throw notFound('Booking');
    const state = stateOf(locked);
    const decision = decide(state, action, party, ctx.policy, now);
    if (!decision.allowed) {
      // A stale request is marked expired on the way out, so the refusal and the stored status agree.
      const stale = isStaleRequest(state, ctx.policy, now);
      if (stale) await bookings.setStatus(trx, id, 'expired');
      return {
        mentorId: locked.mentor_id,
        freed: stale,
        refusal: new AppError(decision.code, decision.message),
      };
    }
    const cancellation = action === 'cancel' ? { by: principal.userId, reason: reason ?? null } : undefined;
    await bookings.setStatus(trx, id, decision.to, cancellation);
    if (action === 'complete') await bookings.countCompletedSession(trx, locked.mentor_id);
    if (decision.to === 'confirmed') await scheduleReminders(trx, [id], now);
    const row = await bookings.findBooking(trx, id);
    if (!row) throw new Error(`booking ${id} vanished inside its own transaction`);
    await announce(trx, outbox, notificationOf[action], row, party === 'mentor' ? 'mentee' : 'mentor');
    return {
      mentorId: locked.mentor_id,
      freed: decision.to === 'declined' || decision.to === 'cancelled',
      booking: toBooking(row, party, ctx.policy, now),
    };
  });
  // Declined, cancelled and expired bookings free their time; a completed session changes the mentor's counts.
  const tags = [
    ...(outcome.freed ? [availabilityTag(outcome.mentorId)] : []),
    ...(outcome.booking && action === 'complete' ? [mentorTag(outcome.mentorId)] : []),
  ];
  if (tags.length > 0) await ctx.cache.invalidateTags(tags);
  if (outcome.refusal) throw outcome.refusal;
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
  return toBooking(row, party, ctx.policy, Date.now());
}

export async function listMyBookings(
  ctx: BookingContext,
  principal: SessionPrincipal,
  query: MyBookingsQuery,
): Promise<Page<Booking>> {
  const now = Date.now();
  return keysetPage(
    { sort: 'starts', cursor: query.cursor, limit: query.limit },
    { starts: 'instant' },
    (after) =>
      bookings.pageQuery(ctx.db, principal.userId, query.as, query.status, after, query.limit).execute(),
    (row) => toBooking(row, query.as, ctx.policy, now),
    (row) => [row.starts_at.toISOString(), row.id],
  );
}

/** The periodic sweep: marks stale requests expired, tells their mentees, frees the slots, forgets old keys. */
export async function sweepExpiredRequests(ctx: BookingContext, log: FastifyBaseLogger): Promise<void> {
  const now = Date.now();
  const expired = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const rows = await bookings.expireStaleRequests(
      trx,
      requestsSince(now, ctx.policy.requestTtlMinutes),
      new Date(now),
    );
    await notifyExpired(trx, outbox, rows);
    await bookings.deleteIdempotencyKeysBefore(trx, new Date(now - IDEMPOTENCY_KEY_TTL_MS));
    return rows;
  });
  if (expired.length === 0) return;
  await ctx.cache.invalidateTags([...new Set(expired.map((row) => availabilityTag(row.mentor_id)))]);
  log.info({ expired: expired.length }, 'Expired unanswered booking requests');
}

/** A retry with the same Idempotency-Key replays the first answer for a day. */
const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;
