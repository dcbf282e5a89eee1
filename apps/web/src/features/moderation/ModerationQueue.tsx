import type { ModerationCase } from '@mentorhub/contracts';
import Link from 'next/link';
import { ActionForm } from '@/components/ui/ActionForm';
import { formatDateTime } from '@/lib/format';
import { decideCase } from './actions';
import { reasonLabels } from './ReportForm';

const decisions = [
  { value: 'dismiss', label: 'Dismiss: nothing wrong' },
  { value: 'hide', label: 'Hide the item' },
  { value: 'warn', label: 'Warn the owner' },
  { value: 'suspend', label: 'Suspend the owner' },
] as const;

/** Open cases, each reported item in context with its reports and a decision form. */
export function ModerationQueue({ cases, timezone }: { cases: readonly ModerationCase[]; timezone: string }) {
  return (
    <ul className="moderation-queue">
      {cases.map((c) => (
        <li key={c.id} className="panel" data-case-id={c.id}>
          <article aria-labelledby={`case-${c.id}`}>
            <h2 id={`case-${c.id}`}>
              {c.item?.path ? (
                <Link href={c.item.path}>{c.item.title}</Link>
              ) : (
                (c.item?.title ?? 'Deleted item')
              )}
            </h2>
            <p className="muted small">
              {c.item?.kind} #{c.item?.id} · by {c.owner.name} ({c.owner.role})
              {c.owner.suspension ? ' · suspended' : ''} · first reported{' '}
              <time dateTime={c.openedAt}>{formatDateTime(c.openedAt, timezone)}</time>
            </p>
            {c.item?.excerpt ? <blockquote>{c.item.excerpt}</blockquote> : null}
            <p>
              <strong>
                {c.reportCount} {c.reportCount === 1 ? 'report' : 'reports'}
              </strong>
              : {c.reasons.map((r) => `${reasonLabels[r.reason]} × ${r.count}`).join(', ')}
            </p>
            {c.details.length > 0 ? (
              <ul className="muted">
                {c.details.map((words, i) => (
                  <li key={i}>{words}</li>
                ))}
              </ul>
            ) : null}
            <details className="decision-form">
              <summary>Decide on {c.item?.title ?? `case ${c.id}`}</summary>
              <ActionForm
                action={decideCase}
                submitLabel="Record decision"
                hidden={{ caseId: String(c.id) }}
                fields={[
                  {
                    name: 'action',
                    label: 'Decision',
                    type: 'select',
                    defaultValue: 'dismiss',
                    options: decisions,
                  },
                  {
                    name: 'reason',
                    label: 'Why (kept in the audit log)',
                    type: 'textarea',
                    rows: 2,
                    maxLength: 1000,
                  },
                  {
                    name: 'days',
                    label: 'Suspension length in days',
                    type: 'number',
                    min: 1,
                    hint: 'Suspensions only; leave empty to suspend for good.',
                  },
                ]}
              />
            </details>
          </article>
        </li>
      ))}
    </ul>
  );
}
