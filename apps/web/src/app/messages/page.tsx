import type { Metadata } from 'next';
import Link from 'next/link';
import { LiveUpdates } from '@/features/live/LiveUpdates';
import { MessageText } from '@/features/messaging/MessageText';
import { api } from '@/lib/api/server';
import { formatDateTime } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Messages', robots: { index: false } };

export default async function InboxPage({ searchParams }: PageProps<'/messages'>) {
  const [user, query] = await Promise.all([requireUser('/messages'), searchParams]);
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const page = await (await api()).conversations.list({ limit: 20, ...(cursor ? { cursor } : {}) });
  return (
    <>
      <h1>Messages</h1>
      <LiveUpdates timezone={user.timezone} />
      <p>{page.unreadCount === 0 ? 'No unread messages.' : `${page.unreadCount} unread.`}</p>
      {page.items.length === 0 ? (
        <p className="muted">No conversations yet: message a mentor from their profile.</p>
      ) : (
        <ul className="conversations">
          {page.items.map((conversation) => (
            <li key={conversation.id} className={conversation.unreadCount > 0 ? 'unread' : ''}>
              <Link href={`/messages/${conversation.id}`}>
                <strong>{conversation.otherParty.name}</strong>
                {conversation.unreadCount > 0 ? ` (${conversation.unreadCount} unread)` : null}
              </Link>
              {conversation.lastMessage ? (
                <>
                  {conversation.lastMessage.body === null ? (
                    <p className="muted">Removed by a moderator</p>
                  ) : (
                    <MessageText body={conversation.lastMessage.body} />
                  )}
                  <p className="muted">{formatDateTime(conversation.lastMessage.createdAt, user.timezone)}</p>
                </>
              ) : (
                <p className="muted">No messages yet.</p>
              )}
            </li>
          ))}
        </ul>
      )}
      {page.nextCursor ? (
        <Link href={`/messages?cursor=${encodeURIComponent(page.nextCursor)}`}>Older conversations</Link>
      ) : null}
    </>
  );
}
