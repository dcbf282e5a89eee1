// Without zod, so the browser's live client can import it (as `@mentorhub/contracts/notification-types`) alone.

export const bookingNotificationTypes = [
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.cancelled',
  'booking.completed',
  'booking.no_show',
  'booking.expired',
  'booking.withdrawn',
  'booking.reschedule_proposed',
  'booking.rescheduled',
  'booking.reschedule_declined',
  'booking.reschedule_withdrawn',
] as const;
export const reviewNotificationTypes = ['review.created'] as const;
export const reliabilityNotificationTypes = ['reliability.strike', 'reliability.paused'] as const;
export const notificationTypes = [
  ...bookingNotificationTypes,
  ...reviewNotificationTypes,
  ...reliabilityNotificationTypes,
] as const;

export type BookingNotificationType = (typeof bookingNotificationTypes)[number];
export type ReviewNotificationType = (typeof reviewNotificationTypes)[number];
export type ReliabilityNotificationType = (typeof reliabilityNotificationTypes)[number];
export type NotificationType = (typeof notificationTypes)[number];
