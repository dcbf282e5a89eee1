import type { AuditEntry } from '@mentorhub/contracts';
import { ActionForm } from '@/components/ui/ActionForm';
import { formatDateTime } from '@/lib/format';
import { decideCase } from './actions';

/** What a reinstatement can undo: the case a hide or a suspension closed. */
const reinstatable = new Set(['moderation.hide', 'moderation.suspend']);

export function AuditLogTable({ entries, timezone }: { entries: readonly AuditEntry[]; timezone: string }) {
  return (
    <div className="table-scroll">
      <table className="audit-table">
        <caption>Decisions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Decision</th>
            <th scope="col">About</th>
            <th scope="col">Why</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const caseId = entry.details.caseId;
            return (
              <tr key={entry.id} data-audit-id={entry.id}>
                <td>
                  <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt, timezone)}</time>
                </td>
                <td>{entry.actor.name ?? `#${entry.actor.id}`}</td>
                <th scope="row">
                  <code>{entry.action}</code>
                </th>
                <td>
                  {entry.subject.kind} #{entry.subject.id}
                </td>
                <td>{entry.reason}</td>
                <td>
                  {reinstatable.has(entry.action) && typeof caseId === 'number' ? (
                    <details>
                      <summary>
                        Reinstate {entry.subject.kind} #{entry.subject.id}
                      </summary>
                      <ActionForm
                        action={decideCase}
                        submitLabel="Reinstate"
                        hidden={{ caseId: String(caseId), action: 'reinstate' }}
                        fields={[
                          { name: 'reason', label: 'Why', type: 'textarea', rows: 2, maxLength: 1000 },
                        ]}
                      />
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
