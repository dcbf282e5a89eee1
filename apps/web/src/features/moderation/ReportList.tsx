import type { ModerationOutcome, Report } from '@mentorhub/contracts';
import { formatDateTime } from '@/lib/format';
import { reasonLabels } from './ReportForm';

export const outcomeLabels: Record<ModerationOutcome, string> = {
  dismissed: 'Dismissed: no rule was broken',
  hidden: 'Removed from MentorHub',
  warned: 'The author was warned',
  suspended: 'The account was suspended',
  reinstated: 'Restored after review',
};

const kindLabels: Record<Report['kind'], string> = {
  review: 'A review',
  mentor: 'A mentor profile',
  course: 'A course',
  user: 'A user',
  message: 'A message',
};

export function ReportList({ reports, timezone }: { reports: readonly Report[]; timezone: string }) {
  return (
    <ul className="report-list">
      {reports.map((report) => (
        <li key={report.id} className="panel" data-report-id={report.id}>
          <p>
            <strong>{kindLabels[report.kind]}</strong> (#{report.itemId}) · {reasonLabels[report.reason]} ·{' '}
            reported <time dateTime={report.createdAt}>{formatDateTime(report.createdAt, timezone)}</time>
          </p>
          {report.details ? <p className="muted">{report.details}</p> : null}
          <p>
            Outcome:{' '}
            <strong>{report.outcome ? outcomeLabels[report.outcome] : 'Waiting for a moderator'}</strong>
          </p>
        </li>
      ))}
    </ul>
  );
}
