import { cache } from 'react';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';

/** The signed-in user's unread messages, asked once per request: the header renders its links twice. */
const unreadMessages = cache(
  async (): Promise<number> =>
    (await optional((await api()).conversations.list({ limit: 1 })))?.unreadCount ?? 0,
);

/**
 * "(3 unread)" after the header's Messages link. The header streams it in its own Suspense boundary, so a slow
 * inbox never holds back a page's first byte.
 */
export async function UnreadMessagesCount() {
  const count = await unreadMessages();
  return count > 0 ? <span className="unread-count">{` (${count} unread)`}</span> : null;
}
