import { isApiError } from '@mentorhub/api-client';
import { api } from '@/lib/api/server';
import { markAllRead } from './actions';
import { describeNotification } from './describe';

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
            {describeNotification(notification, timezone)}
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
