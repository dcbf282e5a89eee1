import { z } from 'zod';
import type { NotificationType } from './notifications';

/**
 * What a user can switch off, group by group, and on which channels each group reaches them. This schema is the
 * one definition of the groups and their channels. Security and account mail is not a group: it is always sent.
 */
export const notificationChannelsSchema = z
  .strictObject({
    bookingUpdates: z
      .strictObject({ inApp: z.boolean(), email: z.boolean() })
      .describe('Requests, confirmations, declines, cancellations and expiries of your sessions.'),
    reminders: z
      .strictObject({ email: z.boolean() })
      .describe('Reminders before each confirmed session, at the offsets you choose.'),
    reviews: z.strictObject({ inApp: z.boolean() }).describe('A mentee reviewed one of your sessions.'),
    messages: z
      .strictObject({ email: z.boolean() })
      .describe('One email listing the conversations whose new messages you have not read for a while.'),
  })
  .meta({ id: 'NotificationChannels' });

export type NotificationChannels = z.infer<typeof notificationChannelsSchema>;
export type NotificationGroup = keyof NotificationChannels;
export type NotificationChannel = 'inApp' | 'email';

/** How the settings page and mail footers name each group. */
export const notificationGroupLabels: Record<NotificationGroup, string> = {
  bookingUpdates: 'Booking updates',
  reminders: 'Session reminders',
  reviews: 'Reviews',
  messages: 'Unread messages',
};

export const notificationGroups = Object.keys(notificationChannelsSchema.shape) as NotificationGroup[];

/** The channels a group reaches its users on, as the schema lists them. */
export function channelsOf(group: NotificationGroup): NotificationChannel[] {
  return Object.keys(notificationChannelsSchema.shape[group].shape) as NotificationChannel[];
}

export function isNotificationGroup(value: string): value is NotificationGroup {
  return Object.hasOwn(notificationChannelsSchema.shape, value);
}

/** The group each in-app notification type belongs to. */
export const notificationGroupOf: Record<NotificationType, NotificationGroup> = {
  'booking.requested': 'bookingUpdates',
  'booking.confirmed': 'bookingUpdates',
  'booking.declined': 'bookingUpdates',
  'booking.cancelled': 'bookingUpdates',
  'booking.completed': 'bookingUpdates',
  'booking.no_show': 'bookingUpdates',
  'booking.expired': 'bookingUpdates',
  'booking.withdrawn': 'bookingUpdates',
  'booking.reschedule_proposed': 'bookingUpdates',
  'booking.rescheduled': 'bookingUpdates',
  'booking.reschedule_declined': 'bookingUpdates',
  'booking.reschedule_withdrawn': 'bookingUpdates',
  'review.created': 'reviews',
  // A strike or pause changes what the reader can book: told with their booking updates.
  'reliability.strike': 'bookingUpdates',
  'reliability.paused': 'bookingUpdates',
};

/** How long before a session its reminders may come, in minutes: the menu a user picks from. */
export const reminderOffsetChoices = [15, 60, 1440, 2880] as const;
export type ReminderOffsetMinutes = (typeof reminderOffsetChoices)[number];

/** Offsets of a user who never chose: a day before and an hour before. */
export const defaultReminderOffsets: readonly ReminderOffsetMinutes[] = [1440, 60];

/** "15 minutes", "1 hour", "24 hours", "48 hours". */
export function describeOffset(minutes: number): string {
  if (minutes % 60 !== 0) return minutes === 1 ? '1 minute' : `${String(minutes)} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${String(hours)} hours`;
}

export const notificationPreferencesSchema = z
  .strictObject({
    channels: notificationChannelsSchema,
    reminderOffsetMinutes: z
      .array(
        z.literal(reminderOffsetChoices, { error: `must be one of ${reminderOffsetChoices.join(', ')}` }),
      )
      .max(reminderOffsetChoices.length)
      .refine((offsets) => new Set(offsets).size === offsets.length, { error: 'must not repeat an offset' })
      .describe('Minutes before each confirmed session to send a reminder; empty: no reminders.'),
  })
  .meta({ id: 'NotificationPreferences' });

export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** A one-click unsubscribe link's token (see docs/api.md): `<user id>.<group>.<signature>`. */
export const unsubscribeParamsSchema = z.strictObject({
  token: z
    .string()
    .regex(/^\d{1,10}\.[A-Za-z]{1,40}\.[\w-]{43}$/, { error: 'must be the token from an unsubscribe link' }),
});

/** RFC 8058: the body a mail provider posts to unsubscribe in one click, form-encoded. */
export const oneClickUnsubscribeBodySchema = z.strictObject({
  'List-Unsubscribe': z.literal('One-Click', { error: 'must be One-Click' }),
});

export const unsubscribedSchema = z
  .object({
    group: z.enum(notificationGroups as [NotificationGroup, ...NotificationGroup[]]),
    email: z.literal(false),
  })
  .meta({ id: 'Unsubscribed' });

export type Unsubscribed = z.infer<typeof unsubscribedSchema>;
