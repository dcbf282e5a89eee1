import type { Notification } from '@mentorhub/contracts';
import { formatDateTime } from '@/lib/format';

/** One sentence for a notification, in the reader's timezone (the list and the live announcements share it). */
export function describeNotification(notification: Notification, timezone: string): string {
  if (notification.type === 'review.created')
    return `New ${notification.payload.rating}-star review of your session.`;
  const when = formatDateTime(notification.payload.startsAt, timezone);
  const who = notification.payload.otherPartyName;
  const verbs: Record<string, string> = {
    'booking.requested': `${who} requested a session on ${when}.`,
    'booking.confirmed': `${who} confirmed your session on ${when}.`,
    'booking.declined': `${who} declined your session on ${when}.`,
    'booking.cancelled': `${who} cancelled the session on ${when}.`,
    'booking.completed': `Your session with ${who} on ${when} is completed.`,
    'booking.no_show': `The session with ${who} on ${when} was marked as a no-show.`,
    'booking.expired': `The request for ${when} with ${who} expired.`,
  };
  return verbs[notification.type] ?? 'Booking updated.';
}
