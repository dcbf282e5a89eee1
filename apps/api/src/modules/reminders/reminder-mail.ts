import { describeOffset } from '@mentorhub/contracts';
import { z } from 'zod';
import { renderSessionMail } from '../outbox/booking-mail';
import { Undeliverable, type MailComposer } from '../outbox/mail-composer';
import { reminderOffsetsOf } from '../preferences/preferences.service';
import { findSessionForReminder } from './reminders.repository';

/** What a reminder row carries: the session and start it was written for, and how long before it it is due. */
const reminderPayloadSchema = z.strictObject({
  bookingId: z.number().int(),
  startsAt: z.iso.datetime(),
  offsetMinutes: z.number().int().positive(),
});

export type ReminderPayload = z.infer<typeof reminderPayloadSchema>;

/**
 * "1 hour" when the reminder comes on time; after a delay (the system was down when it became due) the time that
 * is really left, e.g. "40 minutes", so the mail never promises more time than there is.
 */
export function timeLeftPhrase(remainingMs: number, offsetMinutes: number): string {
  const minutesLeft = Math.ceil(remainingMs / 60_000);
  if (minutesLeft >= offsetMinutes) return describeOffset(offsetMinutes);
  return describeOffset(minutesLeft < 120 ? minutesLeft : Math.round(minutesLeft / 60) * 60);
}

/**
 * A reminder re-reads its session at delivery and is dropped when it no longer applies: the session was cancelled
 * or otherwise left the confirmed state, it moved (its start is not the one the reminder was written for), it has
 * already started (the reminder became due while nothing was delivering), the recipient no longer wants a
 * reminder this long before, or a closer reminder of theirs is due as well. A reminder that is late but still
 * before the start is sent.
 */
export const composeReminder: MailComposer = async (message, recipient, { db, webAppUrl, now }) => {
  const parsed = reminderPayloadSchema.safeParse(message.payload);
  if (!parsed.success) throw new Undeliverable('The payload of a reminder is malformed');
  const reminder = parsed.data;
  const session = await findSessionForReminder(db, reminder.bookingId, recipient.id);
  if (!session) return { drop: 'the session no longer exists' };
  if (session.status !== 'confirmed') return { drop: `the session is ${session.status}` };
  const startsAt = session.starts_at;
  if (startsAt.getTime() !== Date.parse(reminder.startsAt)) return { drop: 'the session moved' };
  if (now >= startsAt.getTime()) return { drop: 'the session has started' };
  const offsets: number[] = reminderOffsetsOf(session.recipient_offsets);
  if (!offsets.includes(reminder.offsetMinutes))
    return { drop: 'the recipient no longer wants this reminder' };
  // After an outage several reminders of one session can be due at once: only the closest one is sent.
  const closerIsDue = offsets.some(
    (offset) => offset < reminder.offsetMinutes && now >= startsAt.getTime() - offset * 60_000,
  );
  if (closerIsDue) return { drop: 'a closer reminder is due' };
  const other = recipient.id === session.mentee_id ? session.mentor_name : session.mentee_name;
  const left = timeLeftPhrase(startsAt.getTime() - now, reminder.offsetMinutes);
  return {
    mail: renderSessionMail(
      {
        subject: `Reminder: your session with ${other} starts in ${left}`,
        lead: `Your session with ${other} starts in ${left}.`,
        times: [['When', startsAt.toISOString()]],
      },
      recipient,
      webAppUrl,
    ),
  };
};
