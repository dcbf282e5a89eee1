import type { OutboxMessage } from '@mentorhub/contracts';
import { formatDateTime } from '@/lib/format';
import { retryOutboxMessage } from './actions';

function When({ iso, timezone }: { iso: string | null; timezone: string }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso, timezone)}</time> : <span className="muted">—</span>;
}

/** Outbox messages for an admin: whom, what, how delivery went, and a retry button for each dead letter. */
export function OutboxTable({
  messages,
  caption,
  timezone,
}: {
  messages: readonly OutboxMessage[];
  caption: string;
  timezone: string;
}) {
  return (
    <div className="table-scroll">
      <table className="outbox-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">Recipient</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Written</th>
            <th scope="col">Last tried</th>
            <th scope="col">{messages[0]?.status === 'pending' ? 'Due' : 'Settled'}</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {messages.map((message) => (
            <tr key={message.id} data-outbox-id={message.id}>
              <th scope="row">
                #{message.id} <code>{message.kind}</code>
              </th>
              <td>
                {message.recipient.name} <span className="muted small">{message.recipient.email}</span>
              </td>
              <td>{message.attempts}</td>
              <td className="outbox-error">{message.lastError ?? <span className="muted">—</span>}</td>
              <td>
                <When iso={message.createdAt} timezone={timezone} />
              </td>
              <td>
                <When iso={message.lastAttemptAt} timezone={timezone} />
              </td>
              <td>
                <When iso={message.dueAt ?? message.settledAt} timezone={timezone} />
              </td>
              <td>
                {message.status === 'dead' ? (
                  <form action={retryOutboxMessage}>
                    <input type="hidden" name="messageId" value={message.id} />
                    <button
                      type="submit"
                      className="button button-small"
                      aria-label={`Retry message ${message.id} (${message.kind} to ${message.recipient.email})`}
                    >
                      Retry
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
