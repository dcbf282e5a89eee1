import type { Dispute } from '@mentorhub/contracts';
import { ActionForm } from '@/components/ui/ActionForm';
import { formatDateTime } from '@/lib/format';
import { decideDispute } from './actions';

const decisions = [
  { value: 'uphold', label: 'Uphold: the strike stands' },
  { value: 'void', label: 'Void the strike (lifts a pause it no longer justifies)' },
] as const;

/** Open no-show disputes, each with its session in context and a decision form; part of the moderation queue. */
export function DisputeQueue({ disputes, timezone }: { disputes: readonly Dispute[]; timezone: string }) {
  return (
    <ul className="moderation-queue">
      {disputes.map((d) => (
        <li key={d.id} className="panel" data-dispute-id={d.id}>
          <article aria-labelledby={`dispute-${d.id}`}>
            <h3 id={`dispute-${d.id}`}>
              {d.mentee.name} with {d.mentor.name} (mentor),{' '}
              <time dateTime={d.startsAt}>{formatDateTime(d.startsAt, timezone)}</time>
            </h3>
            <p className="muted small">
              booking #{d.bookingId} · {d.struck.name} was reported absent · disputed by {d.filedBy.name} on{' '}
              <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, timezone)}</time>
            </p>
            <blockquote>{d.reason}</blockquote>
            <details className="decision-form">
              <summary>Decide the dispute of booking #{d.bookingId}</summary>
              <ActionForm
                action={decideDispute}
                submitLabel="Record decision"
                hidden={{ disputeId: String(d.id) }}
                fields={[
                  {
                    name: 'decision',
                    label: 'Decision',
                    type: 'select',
                    defaultValue: 'uphold',
                    options: decisions,
                  },
                  {
                    name: 'reason',
                    label: 'Why (kept in the audit log)',
                    type: 'textarea',
                    rows: 2,
                    maxLength: 2000,
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
