import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, Notice } from '@/components/ui/States';
import { outcomeLabels, ReportList } from '@/features/moderation/ReportList';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'My reports', robots: { index: false } };

/** The signed-in user's reports, newest first, each with what the moderators decided. */
export default async function ReportsPage({ searchParams }: PageProps<'/reports'>) {
  const user = await requireUser('/reports');
  const query = await searchParams;
  const cursor = typeof query.cursor === 'string' ? query.cursor : undefined;
  const page = await (await api()).reports.mine({ limit: 20, ...(cursor ? { cursor } : {}) });
  return (
    <>
      <h1>My reports</h1>
      <p className="lead">
        What you reported and what the moderators decided:{' '}
        {Object.values(outcomeLabels).join(', ').toLowerCase()}.
      </p>
      {query.notice === 'filed' ? (
        <Notice kind="success">Thank you: your report is with the moderators.</Notice>
      ) : null}
      {page.items.length === 0 ? (
        <EmptyState title="You have not reported anything" />
      ) : (
        <ReportList reports={page.items} timezone={user.timezone} />
      )}
      {page.nextCursor ? (
        <p>
          <Link href={`/reports?cursor=${page.nextCursor}`}>Older reports</Link>
        </p>
      ) : null}
    </>
  );
}
