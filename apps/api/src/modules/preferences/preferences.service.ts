import {
  channelsOf,
  defaultReminderOffsets,
  notificationGroups,
  reminderOffsetChoices,
  type NotificationChannel,
  type NotificationChannels,
  type NotificationGroup,
  type NotificationPreferences,
  type ReminderOffsetMinutes,
  type Unsubscribed,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import { notFound } from '../../infra/errors/app-error';
import { scheduleRemindersOfUser } from '../reminders/reminders.service';
import * as preferences from './preferences.repository';
import { verifyUnsubscribeToken } from './unsubscribe-token';

/** How a switched-off channel of a group is stored: "reminders.email". */
function pairOf(group: NotificationGroup, channel: NotificationChannel): string {
  return `${group}.${channel}`;
}

/** Whether a user's stored switched-off pairs (none stored: all on) turn this group's channel off. */
export function isOptedOut(
  optedOut: readonly string[] | null | undefined,
  group: NotificationGroup,
  channel: NotificationChannel,
): boolean {
  return optedOut?.includes(pairOf(group, channel)) ?? false;
}

/** A user's reminder offsets as stored (none stored: the defaults); offsets no longer on the menu are ignored. */
export function reminderOffsetsOf(stored: readonly number[] | null | undefined): ReminderOffsetMinutes[] {
  if (!stored) return [...defaultReminderOffsets];
  return reminderOffsetChoices.filter((offset) => stored.includes(offset)).reverse();
}

function toPreferences(row: Awaited<ReturnType<typeof preferences.findByUserId>>): NotificationPreferences {
  const channels = Object.fromEntries(
    notificationGroups.map((group) => [
      group,
      Object.fromEntries(
        channelsOf(group).map((channel) => [channel, !isOptedOut(row?.opted_out, group, channel)]),
      ),
    ]),
  ) as NotificationChannels;
  return { channels, reminderOffsetMinutes: reminderOffsetsOf(row?.reminder_offset_minutes) };
}

export async function getPreferences(db: Kysely<Database>, userId: number): Promise<NotificationPreferences> {
  return toPreferences(await preferences.findByUserId(db, userId));
}

/**
 * Replaces the user's preferences. In the same transaction their upcoming sessions get reminder rows for offsets
 * they added (or for reminders switched back on); rows for offsets they removed stay and drop at delivery.
 */
export async function updatePreferences(
  db: Kysely<Database>,
  userId: number,
  wanted: NotificationPreferences,
  now: number,
): Promise<NotificationPreferences> {
  const optedOut = notificationGroups.flatMap((group) =>
    channelsOf(group)
      .filter((channel) => !(wanted.channels[group] as Record<NotificationChannel, boolean>)[channel])
      .map((channel) => pairOf(group, channel)),
  );
  return db.transaction().execute(async (trx) => {
    await preferences.save(trx, userId, optedOut, wanted.reminderOffsetMinutes);
    await scheduleRemindersOfUser(trx, userId, now);
    return toPreferences(await preferences.findByUserId(trx, userId));
  });
}

/** For each user and group asked about, whether they take its in-app notifications (one query for them all). */
export async function wantInApp(
  trx: Transaction<Database>,
  asked: readonly { userId: number; group: NotificationGroup }[],
): Promise<boolean[]> {
  const candidates = asked.filter(({ group }) => channelsOf(group).includes('inApp'));
  if (candidates.length === 0) return asked.map(() => false);
  const rows = await preferences.findByUserIds(trx, [...new Set(candidates.map(({ userId }) => userId))]);
  const optedOut = new Map(rows.map((row) => [row.user_id, row.opted_out]));
  return asked.map(
    ({ userId, group }) =>
      channelsOf(group).includes('inApp') && !isOptedOut(optedOut.get(userId), group, 'inApp'),
  );
}

/** The user and group a one-click unsubscribe token names; a forged or altered token is a 404. */
export function readUnsubscribeToken(secret: string, token: string) {
  const subject = verifyUnsubscribeToken(secret, token);
  if (!subject || !channelsOf(subject.group).includes('email')) throw notFound('Unsubscribe link');
  return subject;
}

/** One-click unsubscribe: the token's user gets no more email of the token's group. Repeating it changes nothing. */
export async function unsubscribe(
  db: Kysely<Database>,
  secret: string,
  token: string,
): Promise<Unsubscribed> {
  const { userId, group } = readUnsubscribeToken(secret, token);
  if (!(await preferences.optOut(db, userId, pairOf(group, 'email'), defaultReminderOffsets)))
    throw notFound('Unsubscribe link');
  return { group, email: false };
}
