import type { Notification } from '@mentorhub/contracts';
import Link from 'next/link';
import { myMenteeBookings } from '@/features/bookings/data';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';
import { markAllRead } from './actions';
import { describeNotification } from './describe';

/**
 * Where a notification's booking is shown: on the dashboard when the reader booked it, else in the studio, where
 * mentors answer the sessions booked with them (reviews are always of such a session).
 */
function bookingHref(notification: Notification, menteeBookingIds: ReadonlySet<number>): string {
  const id = notification.payload.bookingId;
  return `${menteeBookingIds.has(id) ? '/dashboard' : '/studio'}#booking-${id}`;
}

/** Streams in after the rest of the dashboard (a Suspense boundary around it). */
export async function NotificationList({ timezone }: { timezone: string }) {
  const [page, menteeBookings] = await Promise.all([
    optional((await api()).notifications.list({ limit: 10 })),
    myMenteeBookings(),
  ]);
  if (!page) return <p className="muted">Notifications are not available right now.</p>;
  if (page.items.length === 0)
    return <p className="muted">No notifications yet: news about your sessions will appear here.</p>;
  const menteeBookingIds = new Set(menteeBookings?.items.map((booking) => booking.id));
  return (
    <>
      <p>{page.unreadCount === 0 ? 'All caught up.' : `${page.unreadCount} unread.`}</p>
      <ul className="notifications">
        {page.items.map((notification) => (
          <li key={notification.id} className={notification.readAt ? '' : 'unread'}>
            {notification.readAt ? null : <span className="visually-hidden">Unread: </span>}
            <Link href={bookingHref(notification, menteeBookingIds)}>
              {describeNotification(notification, timezone)}
            </Link>
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
