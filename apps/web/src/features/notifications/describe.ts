import type { Notification } from '@mentorhub/contracts';
import { reliabilityNotificationTypes } from '@mentorhub/contracts/notification-types';
import { formatDateTime } from '@/lib/format';

type ReliabilityNotification = Extract<Notification, { type: (typeof reliabilityNotificationTypes)[number] }>;

const isReliability = (notification: Notification): notification is ReliabilityNotification =>
  (reliabilityNotificationTypes as readonly string[]).includes(notification.type);

/** One sentence for a notification, in the reader's timezone (the list and the live announcements share it). */
export function describeNotification(notification: Notification, timezone: string): string {
  if (notification.type === 'review.created')
    return `New ${notification.payload.rating}-star review of your session.`;
  if (isReliability(notification)) {
    const { kind, strikesInEffect, pausedUntil } = notification.payload;
    const why = kind === 'no_show' ? 'a reported no-show' : 'a late cancellation';
    const strikes = `${strikesInEffect} strike${strikesInEffect === 1 ? '' : 's'} in effect`;
    return pausedUntil
      ? `You received a strike for ${why} (${strikes}): you cannot book or be booked until ${formatDateTime(pausedUntil, timezone)}.`
      : `You received a strike for ${why} (${strikes}).`;
  }
  const { payload } = notification;
  const when = formatDateTime(payload.startsAt, timezone);
  const at = (instant: string | undefined) => (instant ? formatDateTime(instant, timezone) : 'another time');
  const who = payload.otherPartyName;
  const verbs: Record<(typeof notification)['type'], string> = {
    'booking.requested': `${who} requested a session on ${when}.`,
    'booking.confirmed': `${who} confirmed your session on ${when}.`,
    'booking.declined': `${who} declined your session on ${when}.`,
    'booking.cancelled': `${who} cancelled the session on ${when}.`,
    'booking.completed': `Your session with ${who} on ${when} is completed.`,
    'booking.no_show': `The session with ${who} on ${when} was marked as a no-show.`,
    'booking.expired': `The request for ${when} with ${who} expired.`,
    'booking.withdrawn': `${who} withdrew the request for ${when}.`,
    'booking.reschedule_proposed': `${who} proposed moving your session on ${when} to ${at(payload.proposedStartsAt)}.`,
    'booking.rescheduled': `${who} moved your session to ${when}.`,
    'booking.reschedule_declined': `${who} declined moving your session on ${when} to ${at(payload.proposedStartsAt)}.`,
    'booking.reschedule_withdrawn': `${who} withdrew the proposal to move your session on ${when}.`,
  };
  return verbs[notification.type];
}
