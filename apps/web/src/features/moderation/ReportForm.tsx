import { reportReasons, type ReportableKind } from '@mentorhub/contracts';
import { ActionForm } from '@/components/ui/ActionForm';
import { reportItem } from './actions';

export const reasonLabels: Record<(typeof reportReasons)[number], string> = {
  spam: 'Spam or advertising',
  harassment: 'Harassment or hate',
  inappropriate: 'Inappropriate content',
  misleading: 'Misleading or fake',
  other: 'Something else',
};

/** A "Report" disclosure with its form: a plain form post, so it works before (or without) JavaScript. */
export function ReportForm({ kind, itemId, what }: { kind: ReportableKind; itemId: number; what: string }) {
  return (
    <details className="report-form">
      <summary>Report {what}</summary>
      <ActionForm
        action={reportItem}
        submitLabel="Send report"
        hidden={{ kind, itemId: String(itemId) }}
        fields={[
          {
            name: 'reason',
            label: 'Reason',
            type: 'select',
            defaultValue: 'spam',
            options: reportReasons.map((reason) => ({ value: reason, label: reasonLabels[reason] })),
          },
          { name: 'details', label: 'What is wrong (optional)', type: 'textarea', maxLength: 1000, rows: 3 },
        ]}
      />
    </details>
  );
}
