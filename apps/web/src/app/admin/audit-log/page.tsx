import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmptyState, Notice } from '@/components/ui/States';
import { AuditLogTable } from '@/features/moderation/AuditLogTable';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Audit log', robots: { index: false } };

/** Admins only: every moderation and dispute decision, newest first; a hide or a suspension can be reinstated here. */
export default async function AuditLogPage({ searchParams }: PageProps<'/admin/audit-log'>) {
  const user = await requireUser('/admin/audit-log');
  if (user.role !== 'admin') notFound();
  const query = await searchParams;
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const page = await (await api()).moderation.auditLog({ limit: 50, ...(cursor ? { cursor } : {}) });
  return (
    <>
      <h1>Audit log</h1>
      <p className="lead">
        Every decision, who took it, when and why. Entries are never edited or removed.{' '}
        <Link href="/admin/moderation">Back to the queue</Link>
      </p>
      {query.notice === 'decided' ? <Notice kind="success">Decision recorded.</Notice> : null}
      {page.items.length === 0 ? (
        <EmptyState title="No decisions yet" />
      ) : (
        <AuditLogTable entries={page.items} timezone={user.timezone} />
      )}
      {page.nextCursor ? (
        <p>
          <Link href={`/admin/audit-log?cursor=${page.nextCursor}`}>Older entries</Link>
        </p>
      ) : null}
    </>
  );
}
