import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState, Notice } from '@/components/ui/States';
import { ModerationQueue } from '@/features/moderation/ModerationQueue';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Moderation', robots: { index: false } };

/** Admins only: open reports grouped by item, oldest first, each with a decision form. */
export default async function ModerationPage({ searchParams }: PageProps<'/admin/moderation'>) {
  const user = await requireUser('/admin/moderation');
  if (user.role !== 'admin') notFound();
  const query = await searchParams;
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const page = await (await api()).moderation.queue({ limit: 20, ...(cursor ? { cursor } : {}) });
  return (
    <>
      <h1>Moderation</h1>
      <p className="lead">
        Reported items, oldest first. Every decision is kept in the{' '}
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
    </>
  );
}
