import { z } from 'zod';

/** The closed set of error codes a client can branch on. */
export const errorCodes = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  /** Another live booking of this mentor overlaps the requested time. */
  'SLOT_TAKEN',
  /** The requested time is outside the mentor's availability or inside the minimum notice. */
  'SLOT_UNAVAILABLE',
  /** The booking's current status does not allow this action, or not by this party. */
  'INVALID_TRANSITION',
  /** Too close to the session's start to cancel. */
  'CANCELLATION_WINDOW_CLOSED',
  /** Reliability strikes paused the caller's account: it cannot book until the time the message names. */
  'ACCOUNT_PAUSED',
  /** Reliability strikes paused the mentor: they cannot be booked until the time the message names. */
  'MENTOR_PAUSED',
  /** The booking changed since the version the request was made against (a stale link or a replay). */
  'BOOKING_CHANGED',
  /** The Idempotency-Key was used before with a different request body. */
  'IDEMPOTENCY_KEY_REUSED',
  'ALREADY_ENROLLED',
  /** One of the two users blocked the other: no messages or bookings between them. */
  'BLOCKED',
  /** The mentor closed this conversation: it takes no new messages. */
  'CONVERSATION_CLOSED',
  /** The lesson or action needs an enrollment in the course. */
  'NOT_ENROLLED',
  /** The course is a draft (or archived) and cannot take enrollments. */
  'COURSE_NOT_PUBLISHED',
  'ALREADY_REVIEWED',
  /** Only a completed booking can be reviewed, by its mentee. */
  'REVIEW_NOT_ALLOWED',
  /** The account is suspended (sign-in refused); the message says until when. */
  'ACCOUNT_SUSPENDED',
  /** The upload is not a readable image of an accepted type. */
  'INVALID_IMAGE',
  'PAYLOAD_TOO_LARGE',
  /** The request's headers and body did not arrive within the server's request timeout. */
  'REQUEST_TIMEOUT',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  /** The GraphQL query would cost more than one query may (see its details). */
  'QUERY_TOO_COSTLY',
  /** A WebSocket route asked for without the WebSocket upgrade. */
  'UPGRADE_REQUIRED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const errorDetailSchema = z.object({
  /** Where the problem is, e.g. "query.limit" or "params.id". */
  path: z.string(),
  message: z.string(),
});

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.array(errorDetailSchema),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorDetail = z.infer<typeof errorDetailSchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
