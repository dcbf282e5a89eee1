import type { Database, OutboxChannel } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { keysetPageQuery, newestFirst, type KeysetOrder } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';

export interface NewOutboxMessage {
  channel: OutboxChannel;
  /** The same message written twice (a replayed change) is stored once. */
  idempotencyKey: string;
  recipientId: number;
  kind: string;
  payload: unknown;
  /** When the message becomes due (a reminder before its session); absent: at once. */
  availableAt?: Date;
}

/** One INSERT; pass the transaction of the change the message reports so both commit or neither does. */
export async function insertMessage(
  db: Kysely<Database> | Transaction<Database>,
  message: NewOutboxMessage,
): Promise<void> {
  await insertMessages(db, [message]);
}

/** insertMessage for many messages, still one INSERT; messages already stored (by idempotency key) are skipped. */
export async function insertMessages(
  db: Kysely<Database> | Transaction<Database>,
  messages: readonly NewOutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      messages.map((message) => ({
        channel: message.channel,
        idempotency_key: message.idempotencyKey,
        recipient_id: message.recipientId,
        kind: message.kind,
        payload: JSON.stringify(message.payload),
        available_at: message.availableAt,
      })),
    )
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}

/**
 * Claims up to `limit` due messages for one worker: each is reserved until `leaseEnd` (another worker skips the
 * locked rows instead of waiting, and takes a row over only once its lease has ended) and counts one attempt.
 */
export function claimDue(db: Kysely<Database>, now: Date, leaseEnd: Date, claimToken: string, limit: number) {
  return db
    .updateTable('outbox')
    .set({
      available_at: leaseEnd,
      claim_token: claimToken,
      attempts: sql<number>`attempts + 1`,
      last_attempt_at: now,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('available_at', '<=', now)
        .orderBy('available_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'channel', 'idempotency_key', 'recipient_id', 'kind', 'payload', 'attempts'])
    .execute();
}

export type ClaimedMessage = Awaited<ReturnType<typeof claimDue>>[number];

/** Settles a claimed message at `at`; a worker whose lease was taken over settles nothing (false). */
export async function settle(
  db: Kysely<Database>,
  id: number,
  claimToken: string,
  at: Date,
  outcome:
    | { status: 'sent' }
    | { status: 'pending'; retryAt: Date; error: string }
    | { status: 'dead'; error: string }
    | { status: 'dropped'; reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set(
      outcome.status === 'sent'
        ? { status: 'sent', sent_at: at, settled_at: at, claim_token: null, last_error: null }
        : outcome.status === 'pending'
          ? { available_at: outcome.retryAt, claim_token: null, last_error: outcome.error }
          : outcome.status === 'dead'
            ? { status: 'dead', settled_at: at, claim_token: null, last_error: outcome.error }
            : { status: 'dropped', settled_at: at, claim_token: null, last_error: outcome.reason },
    )
    .where('id', '=', id)
    .where('claim_token', '=', claimToken)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * What the outbox gauges show, in one statement on indexes only: pending and dead rows (each counted up to
 * `countCap`) and the due time of the most overdue pending row (outbox_due_idx gives it as its first entry).
 */
export async function gaugeReading(db: Kysely<Database>, now: Date, countCap: number) {
  const { rows } = await sql<{ pending: number; dead: number; oldest_due: Date | null }>`
    SELECT
      (SELECT count(*)::int FROM (SELECT 1 FROM outbox WHERE status = 'pending' LIMIT ${countCap}) p) AS pending,
      (SELECT count(*)::int FROM (SELECT 1 FROM outbox WHERE status = 'dead' LIMIT ${countCap}) d) AS dead,
      (SELECT min(available_at) FROM outbox WHERE status = 'pending' AND available_at <= ${now}) AS oldest_due
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error('the outbox gauge query returned no row');
  return { pending: row.pending, dead: row.dead, oldestDue: row.oldest_due };
}

/**
 * Deletes up to `limit` rows of the given settled statuses that settled before `cutoff`, oldest first, in one short
 * statement (outbox_settled_idx); rows another statement holds are skipped, never waited for.
 */
export async function deleteSettledBefore(
  db: Kysely<Database>,
  statuses: readonly ('sent' | 'dropped' | 'dead')[],
  cutoff: Date,
  limit: number,
): Promise<number> {
  const result = await db
    .deleteFrom('outbox')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('outbox')
        .select('id')
        .where('status', 'in', statuses)
        .where('settled_at', '<', cutoff)
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Who a message goes to, read at delivery so a changed address, timezone or opt-out is honoured. */
export function findRecipient(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('notification_preferences as p', 'p.user_id', 'u.id')
    .select(['u.id', 'u.email', 'u.name', 'u.timezone', 'p.opted_out'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
}

export type ListedStatus = 'pending' | 'dead' | 'dropped';

/** Outbox rows with their recipient, as admins see them: every column but the payload. */
function listed(db: Kysely<Database>) {
  return db
    .selectFrom('outbox')
    .innerJoin('users', 'users.id', 'outbox.recipient_id')
    .select([
      'outbox.id',
      'outbox.channel',
      'outbox.kind',
      'outbox.status',
      'outbox.attempts',
      'outbox.last_error',
      'outbox.created_at',
      'outbox.available_at',
      'outbox.last_attempt_at',
      'outbox.settled_at',
      'users.id as recipient_id',
      'users.email as recipient_email',
      'users.name as recipient_name',
    ]);
}

export type ListedMessage = Awaited<ReturnType<ReturnType<typeof listed>['executeTakeFirstOrThrow']>>;

/**
 * One page of messages in a status: pending rows next due first (outbox_due_idx), dead and dropped rows most
 * recently settled first (outbox_settled_idx).
 */
export function pageQuery(
  db: Kysely<Database>,
  status: ListedStatus,
  after: CursorKey | undefined,
  limit: number,
) {
  const order: KeysetOrder =
    status === 'pending'
      ? { column: 'outbox.available_at', direction: 'asc' }
      : newestFirst('outbox.settled_at');
  return keysetPageQuery(listed(db).where('outbox.status', '=', status), order, 'outbox.id', after, limit);
}

export function findListed(db: Kysely<Database>, id: number) {
  return listed(db).where('outbox.id', '=', id).executeTakeFirst();
}

/** Puts dead letters back in the queue, due at `now` with a fresh set of attempts; returns how many moved. */
export async function requeueDead(
  db: Kysely<Database>,
  target: { id: number } | { kind: string },
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, available_at: now, settled_at: null, claim_token: null })
    .where('status', '=', 'dead')
    .where((eb) => ('id' in target ? eb('id', '=', target.id) : eb('kind', '=', target.kind)))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
