import type { BookingNotificationType, BookingStatus, NewNotification } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Transaction } from 'kysely';
import type { LiveDelivery } from '../live/live-events';
import { notifyAll } from '../notifications/notifications.service';
import { bookingMailMessage, type MailedBookingType } from '../outbox/booking-mail';
import { insertMessages, type NewOutboxMessage } from '../outbox/outbox.repository';
import { scheduleReminders } from '../reminders/reminders.service';
import type { Party } from './booking-lifecycle';

/** The party who made a change, and the one who did not. An expiry counts as the mentor's: they left it unanswered. */
type Role = 'actor' | 'other';

interface Audience<Type extends BookingNotificationType> {
  /** Who gets the in-app notification (and its live event). */
  inApp: readonly Role[];
  /** Who gets a mail; only a type with a mail (booking-mail.ts) can name anyone. */
  mail: Type extends MailedBookingType ? readonly Role[] : readonly [];
}

/**
 * Who hears of each booking change, in the app and by mail: the one place this is decided. The other party is
 * told of everything; the actor is mailed where the mail is their record of what now stands (an agreed, moved or
 * cancelled session, which their calendar must follow too).
 */
export const bookingChangeAudience: { [Type in BookingNotificationType]: Audience<Type> } = {
  'booking.requested': { inApp: ['other'], mail: ['other'] },
  'booking.confirmed': { inApp: ['other'], mail: ['other', 'actor'] },
  'booking.declined': { inApp: ['other'], mail: ['other'] },
  'booking.expired': { inApp: ['other'], mail: ['other'] },
  'booking.cancelled': { inApp: ['other'], mail: ['other', 'actor'] },
  // The mentee's mail is the invitation to review the session.
  'booking.completed': { inApp: ['other'], mail: ['other'] },
  'booking.no_show': { inApp: ['other'], mail: [] },
  'booking.withdrawn': { inApp: ['other'], mail: ['other'] },
  'booking.reschedule_proposed': { inApp: ['other'], mail: ['other'] },
  'booking.rescheduled': { inApp: ['other'], mail: ['other', 'actor'] },
  'booking.reschedule_declined': { inApp: ['other'], mail: ['other'] },
  'booking.reschedule_withdrawn': { inApp: ['other'], mail: [] },
};

/** A booking as it stands after a change, with what its parties are told about. */
export interface ChangedBooking {
  id: number;
  status: BookingStatus;
  sequence: number;
  starts_at: Date;
  mentor_user_id: number;
  mentor_name: string;
  mentee_id: number;
  mentee_name: string;
}

export interface BookingChange {
  type: BookingNotificationType;
  booking: ChangedBooking;
  actor: Party;
  /** A move: where the session was. */
  previousStartsAt?: Date;
  /** A proposal made, declined or withdrawn: the time it proposed. */
  proposedStartsAt?: Date;
}

const otherThan = (party: Party): Party => (party === 'mentor' ? 'mentee' : 'mentor');

/**
 * The step every change of a booking's status, time or proposal ends with, inside the change's transaction: both
 * parties' dashboards are told to re-read, and each party is notified and mailed as `bookingChangeAudience` says.
 * Anything else that must follow such a change (reminders, for one) belongs here, so no path misses it. `now` is
 * the instant of the change by the app's clock.
 */
export function bookingChanged(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  change: BookingChange,
  now: number,
): Promise<void> {
  return bookingsChanged(trx, outbox, [change], now);
}

/** bookingChanged for many changes at once (a sweep), in a fixed number of statements whatever their number. */
export async function bookingsChanged(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  changes: readonly BookingChange[],
  now: number,
): Promise<void> {
  const notifications: NewNotification[] = [];
  const mails: NewOutboxMessage[] = [];
  for (const change of changes) {
    const { booking } = change;
    for (const userId of [booking.mentee_id, booking.mentor_user_id])
      outbox.push({ userId, event: { type: 'booking', bookingId: booking.id, status: booking.status } });
    const audience = bookingChangeAudience[change.type];
    const mailed: readonly Role[] = audience.mail;
    for (const role of ['other', 'actor'] as const) {
      const party = role === 'actor' ? change.actor : otherThan(change.actor);
      const notification: NewNotification = {
        userId: party === 'mentor' ? booking.mentor_user_id : booking.mentee_id,
        type: change.type,
        payload: {
          bookingId: booking.id,
          startsAt: booking.starts_at.toISOString(),
          otherPartyName: party === 'mentor' ? booking.mentee_name : booking.mentor_name,
          ...(change.previousStartsAt ? { previousStartsAt: change.previousStartsAt.toISOString() } : {}),
          ...(change.proposedStartsAt ? { proposedStartsAt: change.proposedStartsAt.toISOString() } : {}),
        },
      };
      if (audience.inApp.includes(role)) notifications.push(notification);
      const mail = mailed.includes(role) ? bookingMailMessage(notification, booking.sequence) : undefined;
      if (mail) mails.push(mail);
    }
  }
  await notifyAll(trx, outbox, notifications);
  await insertMessages(trx, mails);
  // A session that is now confirmed at a (new) start is reminded of at that start; reminders written for an
  // earlier start see the move at delivery and drop themselves.
  const reminded = changes
    .filter(({ type }) => type === 'booking.confirmed' || type === 'booking.rescheduled')
    .map(({ booking }) => booking.id);
  if (reminded.length > 0) await scheduleReminders(trx, reminded, now);
}
