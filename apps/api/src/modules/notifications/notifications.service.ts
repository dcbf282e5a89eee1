import {
  notificationGroupOf,
  type MarkNotificationsReadBody,
  type MarkNotificationsReadResponse,
  type NewNotification,
  type Notification,
  type NotificationListQuery,
  type NotificationPage,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import { keysetPage } from '../../infra/pagination/cursor';
import type { LiveDelivery } from '../live/live-events';
import { wantInApp } from '../preferences/preferences.service';
import * as notifications from './notifications.repository';

type NotificationRow = Awaited<ReturnType<ReturnType<typeof notifications.pageQuery>['execute']>>[number];

/** Rows are only ever written through insertNotification, whose type ties each type to its payload shape. */
function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type,
    payload: row.payload,
    readAt: row.read_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  } as Notification;
}

/**
 * Tells users of changes in the app, in the transaction of the changes: each notification is stored and queued for
 * its user's sockets unless they switched that group's in-app notifications off (one query and one INSERT for the
 * lot). Mail is the caller's (see bookingChanged); the email preference is honoured at delivery.
 */
export async function notifyAll(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  list: readonly NewNotification[],
): Promise<void> {
  const wanted = await wantInApp(
    trx,
    list.map(({ userId, type }) => ({ userId, group: notificationGroupOf[type] })),
  );
  const kept = list.filter((_, index) => wanted[index]);
  if (kept.length === 0) return;
  for (const row of await notifications.insertNotifications(trx, kept))
    outbox.push({ userId: row.user_id, event: { type: 'notification', notification: toNotification(row) } });
}

export function notify(
  trx: Transaction<Database>,
  outbox: LiveDelivery[],
  notification: NewNotification,
): Promise<void> {
  return notifyAll(trx, outbox, [notification]);
}

/** The caller's notifications, newest first, with their unread count across all pages. */
export async function listNotifications(
  db: Kysely<Database>,
  userId: number,
  query: NotificationListQuery,
): Promise<NotificationPage> {
  const [page, unreadCount] = await Promise.all([
    keysetPage(
      { sort: 'newest', cursor: query.cursor, limit: query.limit },
      { kind: 'instant', keyOf: (row) => [row.created_at.toISOString(), row.id] },
      (after) =>
        notifications
          .pageQuery(db, userId, { unreadOnly: query.unread ?? false }, after, query.limit)
          .execute(),
      toNotification,
    ),
    notifications.countUnread(db, userId),
  ]);
  return { ...page, unreadCount };
}

/** Marks the caller's own notifications read; ids of anyone else's are ignored, never touched. */
export async function markNotificationsRead(
  db: Kysely<Database>,
  userId: number,
  body: MarkNotificationsReadBody,
): Promise<MarkNotificationsReadResponse> {
  const marked = await notifications.markRead(db, userId, 'all' in body ? 'all' : body.ids);
  return { marked, unreadCount: await notifications.countUnread(db, userId) };
}
