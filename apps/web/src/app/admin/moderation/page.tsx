import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState, Notice } from '@/components/ui/States';
import { ModerationQueue } from '@/features/moderation/ModerationQueue';
import { DisputeQueue } from '@/features/reliability/DisputeQueue';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Moderation', robots: { index: false } };

const cursorOf = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * Admins only: open reports grouped by item and open no-show disputes, oldest first, each with a decision form.
 * Each list pages on its own cursor.
 */
export default async function ModerationPage({ searchParams }: PageProps<'/admin/moderation'>) {
  const user = await requireUser('/admin/moderation');
  if (user.role !== 'admin') notFound();
  const query = await searchParams;
  const cursor = cursorOf(query.cursor);
  const disputeCursor = cursorOf(query.disputes);
  const client = await api();
  const [page, disputes] = await Promise.all([
    client.moderation.queue({ limit: 20, ...(cursor ? { cursor } : {}) }),
    client.reliability.openDisputes({ limit: 20, ...(disputeCursor ? { cursor: disputeCursor } : {}) }),
  ]);
  return (
    <>
      <h1>Moderation</h1>
      <p className="lead">
        Reported items and disputed no-shows, oldest first. Every decision is kept in the{' '}
        <Link href="/admin/audit-log">audit log</Link>.
      </p>
      {query.notice === 'decided' ? <Notice kind="success">Decision recorded.</Notice> : null}
      {page.items.length === 0 ? (
        <EmptyState title="Nothing to review" />
      ) : (
        <ModerationQueue cases={page.items} timezone={user.timezone} />
      )}
      {page.nextCursor ? (
        <p>
          <Link href={`/admin/moderation?cursor=${page.nextCursor}`}>Next page</Link>
        </p>
      ) : null}
      <section aria-labelledby="disputes-heading">
        <h2 id="disputes-heading">Disputed no-shows</h2>
        {disputes.items.length === 0 ? (
          <p className="muted">No open disputes.</p>
        ) : (
          <DisputeQueue disputes={disputes.items} timezone={user.timezone} />
        )}
        {disputes.nextCursor ? (
          <p>
            <Link href={`/admin/moderation?disputes=${disputes.nextCursor}#disputes-heading`}>
              More disputes
            </Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
