import type { NewNotification } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely, Transaction } from 'kysely';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';

const notificationColumns = ['id', 'type', 'payload', 'read_at', 'created_at'] as const;

/** Stores in-app notifications in one INSERT; pass the transaction of the change notified so both commit or neither. */
export function insertNotifications(
  db: Kysely<Database> | Transaction<Database>,
  list: readonly NewNotification[],
) {
  return db
    .insertInto('notifications')
    .values(
      list.map((notification) => ({
        user_id: notification.userId,
        type: notification.type,
        payload: JSON.stringify(notification.payload),
      })),
    )
    .returning(['user_id', ...notificationColumns])
    .execute();
}

/** One page of a user's notifications, newest first (index notifications_user_id_idx: user_id, created_at DESC). */
export function pageQuery(
  db: Kysely<Database>,
  userId: number,
  filter: { unreadOnly: boolean },
  after: CursorKey | undefined,
  limit: number,
) {
  let query = db.selectFrom('notifications').select(notificationColumns).where('user_id', '=', userId);
  if (filter.unreadOnly) query = query.where('read_at', 'is', null);
  return keysetPageQuery(query, newestFirst('created_at'), 'id', after, limit);
}

export async function countUnread(db: Kysely<Database>, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks the user's unread notifications read: the listed ids (other users' ids match nothing), or all of them. */
export async function markRead(
  db: Kysely<Database>,
  userId: number,
  ids: readonly number[] | 'all',
): Promise<number> {
  let query = db
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
