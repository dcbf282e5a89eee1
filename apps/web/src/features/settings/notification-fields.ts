import {
  channelsOf,
  describeOffset,
  notificationGroupLabels,
  notificationGroups,
  reminderOffsetChoices,
  type NotificationChannel,
  type NotificationPreferences,
} from '@mentorhub/contracts';
import type { FieldSpec } from '@/components/ui/ActionForm';

const channelWording: Record<NotificationChannel, string> = { inApp: 'in the app', email: 'by email' };

/** The notification section as form fields: a checkbox per group and channel, then one per reminder offset. */
export function notificationFields(preferences: NotificationPreferences): FieldSpec[] {
  const channels = notificationGroups.flatMap((group) =>
    channelsOf(group).map((channel) => ({
      name: `${group}.${channel}`,
      label: `${notificationGroupLabels[group]} ${channelWording[channel]}`,
      type: 'checkbox' as const,
      checked: (preferences.channels[group] as Record<NotificationChannel, boolean>)[channel],
    })),
  );
  const offsets = [...reminderOffsetChoices].reverse().map((minutes) => ({
    name: `offset.${String(minutes)}`,
    label: `Remind me ${describeOffset(minutes)} before a session`,
    type: 'checkbox' as const,
    checked: (preferences.reminderOffsetMinutes as number[]).includes(minutes),
  }));
  return [...channels, ...offsets];
}
