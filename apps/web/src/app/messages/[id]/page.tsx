import { isApiError } from '@mentorhub/api-client';
import { MAX_MESSAGE_LENGTH, type MessagePage } from '@mentorhub/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { LiveUpdates } from '@/features/live/LiveUpdates';
import { closeConversation, sendMessage, toggleBlock } from '@/features/messaging/actions';
import { MessageText } from '@/features/messaging/MessageText';
import { ReportForm } from '@/features/moderation/ReportForm';
import { api } from '@/lib/api/server';
import { formatDateTime } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Conversation', robots: { index: false } };

async function loadThread(rawId: string, cursor: string | undefined): Promise<MessagePage> {
  if (!/^\d{1,10}$/.test(rawId)) notFound();
  try {
    return await (
      await api()
    ).conversations.messages(Number(rawId), { limit: 50, ...(cursor ? { cursor } : {}) });
  } catch (error) {
    if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'VALIDATION_FAILED')) notFound();
    throw error;
  }
}

// Opening the thread reads it: the newest message shown is the read receipt the other side sees.
export default async function ThreadPage({ params, searchParams }: PageProps<'/messages/[id]'>) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const user = await requireUser(`/messages/${id}`);
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const { conversation, items, nextCursor } = await loadThread(id, cursor);
  const newest = items[0];
  if (!cursor && newest && conversation.unreadCount > 0)
    await (await api()).conversations.markRead(conversation.id, { upToMessageId: newest.id });
  const other = conversation.otherParty;
  const canWrite = conversation.closedAt === null && !conversation.blocked;
  return (
    <>
      <h1>{`Conversation with ${other.name}`}</h1>
      <ActionNotices query={query} noticeFallback={null} errorFallback="That did not go through." />
      <LiveUpdates timezone={user.timezone} />
      <p>
        <Link href="/messages">All messages</Link>
        {nextCursor ? (
          <>
            {' · '}
            <Link href={`/messages/${conversation.id}?cursor=${encodeURIComponent(nextCursor)}`}>
              Older messages
            </Link>
          </>
        ) : null}
      </p>
      <ol className="messages" aria-label="Messages, oldest first">
        {[...items].reverse().map((message) => {
          const mine = message.senderId === user.id;
          return (
            <li key={message.id} className={mine ? 'message mine' : 'message'}>
              <p className="muted">
                {mine ? 'You' : other.name} · {formatDateTime(message.createdAt, user.timezone)}
                {mine && conversation.otherPartyLastReadId >= message.id ? ' · Read' : ''}
              </p>
              {message.body === null ? (
                <p className="muted">Removed by a moderator</p>
              ) : (
                <MessageText body={message.body} />
              )}
              {mine || message.body === null ? null : (
                <ReportForm kind="message" itemId={message.id} what={`this message from ${other.name}`} />
              )}
            </li>
          );
        })}
      </ol>
      {items.length === 0 ? <p className="muted">No messages yet. Say hello.</p> : null}
      {canWrite ? (
        <form id="compose" action={sendMessage} className="stack">
          <input type="hidden" name="conversationId" value={conversation.id} />
          <label htmlFor="message-body">Your message</label>
          <textarea id="message-body" name="body" required rows={3} maxLength={MAX_MESSAGE_LENGTH} />
          <button type="submit" className="button">
            Send
          </button>
        </form>
      ) : (
        <p className="notice">
          {conversation.closedAt !== null
            ? 'This conversation was closed by the mentor.'
            : 'Messages are blocked between you.'}
        </p>
      )}
      <div className="actions">
        {conversation.role === 'mentor' && conversation.closedAt === null ? (
          <form action={closeConversation}>
            <input type="hidden" name="conversationId" value={conversation.id} />
            <button type="submit" className="button button-small button-secondary">
              Close conversation
            </button>
          </form>
        ) : null}
        {conversation.blocked && !conversation.blockedByMe ? null : (
          <form action={toggleBlock}>
            <input type="hidden" name="conversationId" value={conversation.id} />
            <input type="hidden" name="userId" value={other.id} />
            <input type="hidden" name="block" value={conversation.blockedByMe ? 'false' : 'true'} />
            <button type="submit" className="button button-small button-secondary">
              {conversation.blockedByMe ? `Unblock ${other.name}` : `Block ${other.name}`}
            </button>
          </form>
        )}
      </div>
    </>
  );
}
