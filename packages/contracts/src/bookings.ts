import { z } from 'zod';
import { cursorSchema, limitSchema, moneySchema, pageSchema } from './common';
import { idSchema, INT4_MAX, instantSchema, wholeNumberSchema } from './scalars';
import { multiLine } from './text';
import { userSummarySchema } from './users';

/** What one session costs: the mentor's hourly rate for the session's length, to the cent. */
export function sessionPriceCents(hourlyRateCents: number, sessionMinutes: number): number {
  return Math.round((hourlyRateCents * sessionMinutes) / 60);
}

export const bookingStatuses = [
  'requested',
  'confirmed',
  'declined',
  'expired',
  'completed',
  'cancelled',
  'no_show',
  'withdrawn',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

/** What a participant can do to a booking's status; each is `POST /api/bookings/:id/<action>`. */
export const bookingActions = ['confirm', 'decline', 'cancel', 'complete', 'no-show', 'withdraw'] as const;
export type BookingAction = (typeof bookingActions)[number];

/**
 * What a participant can do about the booking's time: `reschedule` is `POST /api/bookings/:id/reschedule` (propose a
 * new start), the others `POST /api/bookings/:id/reschedule/<accept|decline|withdraw>` (answer or take back the open
 * proposal).
 */
export const rescheduleActions = [
  'reschedule',
  'accept-reschedule',
  'decline-reschedule',
  'withdraw-reschedule',
] as const;
export type RescheduleAction = (typeof rescheduleActions)[number];

export const bookingCreateBodySchema = z
  .strictObject({
    mentorId: idSchema,
    /** The start of one of the slots `GET /api/mentors/:id/availability` offers; the length is the mentor's. */
    startsAt: instantSchema,
    note: multiLine(2000).default(''),
  })
  .meta({ id: 'BookingCreate' });

/** Optional `Idempotency-Key` header: a retry with the same key returns the first response. */
export const idempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, { error: 'must be printable ASCII without spaces' })
    .optional(),
});

/**
 * The booking's version (`sequence`) the request was made against: any change to the booking since (a move, a new
 * status, a proposal made or answered) makes the request stale, refused with 409 `BOOKING_CHANGED`.
 */
const bookingVersionSchema = wholeNumberSchema(0, INT4_MAX);

export const rescheduleProposalBodySchema = z
  .strictObject({
    sequence: bookingVersionSchema,
    /** One of the slots `GET /api/mentors/:id/availability` offers (the booking's own time counts as free). */
    startsAt: instantSchema,
  })
  .meta({ id: 'RescheduleProposalCreate' });

/** Accepting, declining or withdrawing the open proposal of the booking at this version. */
export const rescheduleAnswerBodySchema = z
  .strictObject({ sequence: bookingVersionSchema })
  .meta({ id: 'RescheduleAnswer' });

/** Optional: a POST without a body is fine. */
export const bookingCancelBodySchema = z.strictObject({ reason: multiLine(500).optional() }).nullish();

export const bookingSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(bookingStatuses),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    price: moneySchema,
    note: z.string(),
    mentor: z.object({ id: z.number().int(), user: userSummarySchema }),
    mentee: userSummarySchema,
    cancelReason: z.string().nullable(),
    /**
     * Where the two parties meet (the mentor's own room or one generated for this booking); only while the session
     * is confirmed, and only ever shown to its parties.
     */
    meetingUrl: z.string().nullable(),
    /** The booking's version: every change increments it; reschedule requests carry the one they were made against. */
    sequence: z.number().int(),
    /** The open proposal to move the session, if any: its time is held until it is accepted, declined or withdrawn. */
    proposal: z
      .object({
        startsAt: z.iso.datetime(),
        endsAt: z.iso.datetime(),
        proposedBy: z.enum(['mentor', 'mentee']),
      })
      .nullable(),
    /** The actions the signed-in user may take now. */
    actions: z.array(z.enum([...bookingActions, ...rescheduleActions])),
    reviewed: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Booking' });

export const myBookingsQuerySchema = z.strictObject({
  /** `mentee`: sessions I booked; `mentor`: sessions booked with me. */
  as: z.enum(['mentee', 'mentor']).default('mentee'),
  status: z.enum(bookingStatuses).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export const bookingPageSchema = pageSchema(bookingSchema).meta({ id: 'BookingPage' });

export type BookingCreateBody = z.infer<typeof bookingCreateBodySchema>;
export type RescheduleProposalBody = z.infer<typeof rescheduleProposalBodySchema>;
export type RescheduleAnswerBody = z.infer<typeof rescheduleAnswerBodySchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type MyBookingsQuery = z.infer<typeof myBookingsQuerySchema>;
