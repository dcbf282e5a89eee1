import { listedOutboxStatuses, type ListedOutboxStatus } from '@mentorhub/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState, Notice } from '@/components/ui/States';
import { OutboxTable } from '@/features/admin/OutboxTable';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Outbox', robots: { index: false } };

const PAGE_SIZE = 50;

const statusLabels: Record<ListedOutboxStatus, string> = {
  dead: 'Dead letters',
  pending: 'Pending',
  dropped: 'Dropped',
};

const errorMessages: Record<string, string> = {
  CONFLICT: 'That message is no longer a dead letter: it was retried already, or delivered.',
  NOT_FOUND: 'That message no longer exists.',
};

function one(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Admins only: mail the outbox could not deliver, what is waiting, what was dropped; dead letters can be retried. */
export default async function OutboxPage({ searchParams }: PageProps<'/admin/outbox'>) {
  const user = await requireUser('/admin/outbox');
  if (user.role !== 'admin') notFound();
  const query = await searchParams;
  const requested = one(query.status);
  const status = listedOutboxStatuses.find((candidate) => candidate === requested) ?? 'dead';
  const cursor = one(query.cursor);
  const page = await (await api()).outbox.list({ status, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  const error = one(query.error);
  const retried = one(query.notice) === 'retried' ? one(query.message) : undefined;

  return (
    <>
      <h1>Outbox</h1>
      <p className="lead">
        Mail the workers deliver. A dead letter failed on every attempt: read its error, fix the cause, then
        retry it.
      </p>
      {retried ? <Notice kind="success">Message #{retried} is queued for delivery again.</Notice> : null}
      {error ? (
        <Notice kind="error">{errorMessages[error] ?? 'The message could not be retried.'}</Notice>
      ) : null}
      <nav aria-label="Outbox messages by status">
        <ul className="tabs">
          {listedOutboxStatuses.map((candidate) => (
            <li key={candidate}>
              <Link
                href={`/admin/outbox?status=${candidate}`}
                aria-current={candidate === status ? 'page' : undefined}
              >
                {statusLabels[candidate]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {page.items.length === 0 ? (
        <EmptyState title={`No ${statusLabels[status].toLowerCase()} messages`} />
      ) : (
        <OutboxTable messages={page.items} caption={statusLabels[status]} timezone={user.timezone} />
      )}
      {page.nextCursor ? (
        <p>
          <Link href={`/admin/outbox?status=${status}&cursor=${page.nextCursor}`}>Next page</Link>
        </p>
      ) : null}
    </>
  );
}
