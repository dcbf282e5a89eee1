import { z } from 'zod';
import { cursorSchema, limitSchema, MAX_PAGE_SIZE } from './common';
import {
  bookingNotificationTypes,
  reliabilityNotificationTypes,
  reviewNotificationTypes,
  type BookingNotificationType,
  type ReliabilityNotificationType,
  type ReviewNotificationType,
} from './notification-types';
import { idSchema } from './scalars';

export * from './notification-types';

/**
 * What changed about a booking, for one of its parties. `startsAt` is the session's time after the change; a move
 * also gives the time it left (`previousStartsAt`), a proposal the time it proposes (`proposedStartsAt`).
 */
export const bookingNotificationPayloadSchema = z
  .strictObject({
    bookingId: z.number().int(),
    startsAt: z.iso.datetime(),
    otherPartyName: z.string(),
    previousStartsAt: z.iso.datetime().optional(),
    proposedStartsAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'BookingNotificationPayload' });

/** A mentee reviewed a session: sent to the mentor. */
export const reviewNotificationPayloadSchema = z
  .strictObject({
    bookingId: z.number().int(),
    reviewId: z.number().int(),
    rating: z.number().int().min(1).max(5),
  })
  .meta({ id: 'ReviewNotificationPayload' });

/**
 * A strike given to the reader (for the booking, of the kind), and a pause it started: until when (null: none).
 * `strikesInEffect` counts this one.
 */
export const reliabilityNotificationPayloadSchema = z
  .strictObject({
    bookingId: z.number().int(),
    kind: z.enum(['no_show', 'late_cancel']),
    strikesInEffect: z.number().int().min(1),
    pausedUntil: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReliabilityNotificationPayload' });

export type BookingNotificationPayload = z.infer<typeof bookingNotificationPayloadSchema>;
export type ReviewNotificationPayload = z.infer<typeof reviewNotificationPayloadSchema>;
export type ReliabilityNotificationPayload = z.infer<typeof reliabilityNotificationPayloadSchema>;

/** A notification to store: the payload's shape follows from its type. */
export type NewNotification = { userId: number } & (
  | { type: BookingNotificationType; payload: BookingNotificationPayload }
  | { type: ReviewNotificationType; payload: ReviewNotificationPayload }
  | { type: ReliabilityNotificationType; payload: ReliabilityNotificationPayload }
);

const notificationFields = {
  id: z.number().int(),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
};

export const notificationSchema = z
  .discriminatedUnion('type', [
    z.object({
      ...notificationFields,
      type: z.enum(bookingNotificationTypes),
      payload: bookingNotificationPayloadSchema,
    }),
    z.object({
      ...notificationFields,
      type: z.enum(reviewNotificationTypes),
      payload: reviewNotificationPayloadSchema,
    }),
    z.object({
      ...notificationFields,
      type: z.enum(reliabilityNotificationTypes),
      payload: reliabilityNotificationPayloadSchema,
    }),
  ])
  .meta({ id: 'Notification' });

export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = z.strictObject({
  unread: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only notifications not yet read.'),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export type NotificationListQuery = z.infer<typeof notificationListQuerySchema>;

/** Newest first, with the caller's unread count (across all pages) for a badge. */
export const notificationPageSchema = z
  .object({
    items: z.array(notificationSchema),
    nextCursor: z.string().nullable(),
    unreadCount: z.number().int().min(0),
  })
  .meta({ id: 'NotificationPage' });

export type NotificationPage = z.infer<typeof notificationPageSchema>;

/** Mark some of your notifications read by id, or all of them. */
export const markNotificationsReadBodySchema = z.union([
  z.strictObject({
    ids: z
      .array(idSchema, { error: 'must be a list of notification ids' })
      .min(1, { error: 'must list at least one id' })
      .max(MAX_PAGE_SIZE, { error: `must list at most ${MAX_PAGE_SIZE} ids` }),
  }),
  z.strictObject({ all: z.literal(true, { error: 'must be true' }) }),
]);

export type MarkNotificationsReadBody = z.infer<typeof markNotificationsReadBodySchema>;

export const markNotificationsReadResponseSchema = z
  .object({ marked: z.number().int().min(0), unreadCount: z.number().int().min(0) })
  .meta({ id: 'NotificationsMarkedRead' });

export type MarkNotificationsReadResponse = z.infer<typeof markNotificationsReadResponseSchema>;
