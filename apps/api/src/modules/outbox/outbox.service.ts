import type {
  OutboxBulkRetryResponse,
  OutboxListQuery,
  OutboxMessage,
  OutboxPage,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { AppError, notFound } from '../../infra/errors/app-error';
import type { SessionPrincipal } from '../../infra/auth/session';
import { OUTBOX_GAUGE_COUNT_CAP, type OutboxGaugeReading } from '../../infra/metrics/metrics';
import { keysetPage } from '../../infra/pagination/cursor';
import * as outbox from './outbox.repository';

function requireAdmin(principal: SessionPrincipal): void {
  if (principal.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins see the outbox');
}

/** Everything about delivery, nothing of the payload: a neighbour's payload may hold a one-time link. */
function toOutboxMessage(row: outbox.ListedMessage): OutboxMessage {
  return {
    id: row.id,
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    recipient: { id: row.recipient_id, name: row.recipient_name, email: row.recipient_email },
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    dueAt: row.status === 'pending' ? row.available_at.toISOString() : null,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    settledAt: row.settled_at?.toISOString() ?? null,
  };
}

/** Messages in one status for an admin: pending next due first, dead and dropped most recently settled first. */
export async function listOutbox(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  query: OutboxListQuery,
): Promise<OutboxPage> {
  requireAdmin(principal);
  const { status, cursor, limit } = query;
  return keysetPage(
    { sort: status, cursor, limit },
    {
      kind: 'instant',
      keyOf: (row) => [
        (status === 'pending' ? row.available_at : (row.settled_at ?? row.created_at)).toISOString(),
        row.id,
      ],
    },
    (after) => outbox.pageQuery(db, status, after, limit).execute(),
    toOutboxMessage,
  );
}

/**
 * Puts one dead letter back in the queue, due now with a fresh set of attempts. Only a dead letter moves: a second
 * retry of the same message finds it pending and is refused (409), so it is queued once however often it is sent.
 */
export async function retryDeadLetter(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  id: number,
  now: Date,
): Promise<OutboxMessage> {
  requireAdmin(principal);
  const moved = await outbox.requeueDead(db, { id }, now);
  const row = await outbox.findListed(db, id);
  if (!row) throw notFound('Outbox message');
  if (moved === 0)
    throw new AppError('CONFLICT', `Outbox message ${String(id)} is ${row.status}, not a dead letter`);
  return toOutboxMessage(row);
}

/** Puts every dead letter of one kind back in the queue (after what made them fail is fixed). */
export async function retryDeadLettersOfKind(
  db: Kysely<Database>,
  principal: SessionPrincipal,
  kind: string,
  now: Date,
): Promise<OutboxBulkRetryResponse> {
  requireAdmin(principal);
  return { retried: await outbox.requeueDead(db, { kind }, now) };
}

/** The outbox as the gauges show it at `now`. */
export async function readOutboxGauges(db: Kysely<Database>, now: Date): Promise<OutboxGaugeReading> {
  const reading = await outbox.gaugeReading(db, now, OUTBOX_GAUGE_COUNT_CAP);
  return {
    pending: reading.pending,
    dead: reading.dead,
    oldestDueAgeSeconds: reading.oldestDue
      ? Math.max(0, (now.getTime() - reading.oldestDue.getTime()) / 1000)
      : 0,
  };
}
