'use server';

import {
  avatarContentTypes,
  channelsOf,
  notificationGroups,
  reminderOffsetChoices,
  type NotificationChannels,
} from '@mentorhub/contracts';
import { revalidatePath } from 'next/cache';
import { api } from '@/lib/api/server';
import { formError, text, type FormState } from '@/lib/actions';
import { requireUser } from '@/lib/session';

export async function updateProfile(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser('/settings');
  const values = { name: text(form, 'name'), bio: text(form, 'bio'), timezone: text(form, 'timezone') };
  try {
    await (await api()).users.update(user.id, values);
  } catch (error) {
    return formError(error, values);
  }
  revalidatePath('/', 'layout');
  return { ok: true, message: 'Profile saved.', values };
}

export async function uploadAvatar(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser('/settings');
  const file = form.get('avatar');
  if (!(file instanceof File) || file.size === 0) return { fieldErrors: { avatar: 'Choose an image file.' } };
  if (!(avatarContentTypes as readonly string[]).includes(file.type)) {
    return { fieldErrors: { avatar: 'Use a PNG, JPEG, WebP or AVIF image.' } };
  }
  try {
    await (await api()).users.uploadAvatar(user.id, file, file.type);
  } catch (error) {
    const state = formError(error);
    return { ...state, fieldErrors: { avatar: state.message ?? 'The upload failed.', ...state.fieldErrors } };
  }
  revalidatePath('/', 'layout');
  return { ok: true, message: 'Your new picture is saved.' };
}

/** Reads the notification section's checkboxes: one per group and channel, one per reminder offset. */
export async function updateNotificationPreferences(
  _previous: FormState,
  form: FormData,
): Promise<FormState> {
  await requireUser('/settings');
  const checked = (name: string) => form.get(name) === 'true';
  const channels = Object.fromEntries(
    notificationGroups.map((group) => [
      group,
      Object.fromEntries(channelsOf(group).map((channel) => [channel, checked(`${group}.${channel}`)])),
    ]),
  ) as NotificationChannels;
  const reminderOffsetMinutes = [...reminderOffsetChoices]
    .reverse()
    .filter((minutes) => checked(`offset.${String(minutes)}`));
  try {
    await (await api()).notifications.updatePreferences({ channels, reminderOffsetMinutes });
  } catch (error) {
    return formError(error);
  }
  revalidatePath('/settings');
  return { ok: true, message: 'Notification settings saved.' };
}
