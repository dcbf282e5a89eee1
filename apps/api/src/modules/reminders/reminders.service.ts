import type { Database } from '@mentorhub/db';
import type { Transaction } from 'kysely';
import { insertMessages, type NewOutboxMessage } from '../outbox/outbox.repository';
import { isOptedOut, reminderOffsetsOf } from '../preferences/preferences.service';
import type { ReminderPayload } from './reminder-mail';
import * as reminders from './reminders.repository';

export const REMINDER_KIND = 'booking.reminder';

type UpcomingSession = Awaited<ReturnType<typeof reminders.upcomingSessions>>[number];

/**
 * The reminder rows of one session: one per party and chosen offset, due at exactly start − offset. An offset
 * whose instant has already passed is skipped (a session confirmed three hours ahead gets no "24 hours" mail),
 * and so is a party who switched reminder mail off. The key names booking, start, offset and recipient, so writing
 * them again changes nothing, while a moved session (another start) gets rows of its own.
 */
export function reminderMessages(session: UpcomingSession, now: number): NewOutboxMessage[] {
  const startsAt = session.starts_at;
  const parties = [
    { userId: session.mentor_user_id, optedOut: session.mentor_opted_out, offsets: session.mentor_offsets },
    { userId: session.mentee_id, optedOut: session.mentee_opted_out, offsets: session.mentee_offsets },
  ];
  return parties.flatMap((party) => {
    if (isOptedOut(party.optedOut, 'reminders', 'email')) return [];
    return reminderOffsetsOf(party.offsets)
      .map((offsetMinutes) => ({ offsetMinutes, dueAt: startsAt.getTime() - offsetMinutes * 60_000 }))
      .filter(({ dueAt }) => dueAt > now)
      .map(({ offsetMinutes, dueAt }) => ({
        channel: 'email' as const,
        idempotencyKey: [REMINDER_KIND, session.id, startsAt.toISOString(), offsetMinutes, party.userId].join(
          ':',
        ),
        recipientId: party.userId,
        kind: REMINDER_KIND,
        payload: {
          bookingId: session.id,
          startsAt: startsAt.toISOString(),
          offsetMinutes,
        } satisfies ReminderPayload,
        availableAt: new Date(dueAt),
      }));
  });
}

async function schedule(
  trx: Transaction<Database>,
  which: Parameters<typeof reminders.upcomingSessions>[1],
  now: number,
): Promise<void> {
  const sessions = await reminders.upcomingSessions(trx, which, new Date(now));
  await insertMessages(
    trx,
    sessions.flatMap((session) => reminderMessages(session, now)),
  );
}

/**
 * Writes the reminders of these sessions, in the transaction that confirmed or moved them: every path that makes
 * a session confirmed at a (new) start calls this. Sessions that are not confirmed, or have started, get none.
 * Rows written for an earlier start are left alone: they see the new start at delivery and drop themselves.
 */
export function scheduleReminders(
  trx: Transaction<Database>,
  bookingIds: readonly number[],
  now: number,
): Promise<void> {
  return schedule(trx, { bookingIds }, now);
}

/** After a user changed their preferences: the reminders their upcoming sessions now need, added. */
export function scheduleRemindersOfUser(
  trx: Transaction<Database>,
  userId: number,
  now: number,
): Promise<void> {
  return schedule(trx, { userId }, now);
}
