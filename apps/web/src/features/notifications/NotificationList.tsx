import { isApiError } from '@mentorhub/api-client';
import type { Notification } from '@mentorhub/contracts';
import { api } from '@/lib/api/server';
import { formatDateTime } from '@/lib/format';
import { markAllRead } from './actions';

function describe(notification: Notification, timezone: string): string {
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

/** Streams in after the rest of the dashboard (a Suspense boundary around it). */
export async function NotificationList({ timezone }: { timezone: string }) {
  let page;
  try {
    page = await (await api()).notifications.list({ limit: 10 });
  } catch (error) {
    if (isApiError(error)) return <p className="muted">Notifications are not available right now.</p>;
    throw error;
  }
  if (page.items.length === 0) return <p className="muted">No notifications yet.</p>;
  return (
    <>
      <p>{page.unreadCount === 0 ? 'All caught up.' : `${page.unreadCount} unread.`}</p>
      <ul className="notifications">
        {page.items.map((notification) => (
          <li key={notification.id} className={notification.readAt ? '' : 'unread'}>
            {notification.readAt ? null : <span className="visually-hidden">Unread: </span>}
            {describe(notification, timezone)}
          </li>
        ))}
      </ul>
      {page.unreadCount > 0 ? (
        <form action={markAllRead}>
          <button type="submit" className="button button-small button-secondary">
            Mark all as read
          </button>
        </form>
      ) : null}
    </>
  );
}
