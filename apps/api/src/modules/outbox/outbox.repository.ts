import type { Database, OutboxChannel } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';

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
    .set({ available_at: leaseEnd, claim_token: claimToken, attempts: sql<number>`attempts + 1` })
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

/** Settles a claimed message; a worker whose lease was taken over settles nothing (false). */
export async function settle(
  db: Kysely<Database>,
  id: number,
  claimToken: string,
  outcome:
    | { status: 'sent'; at: Date }
    | { status: 'pending'; retryAt: Date; error: string }
    | { status: 'dead'; error: string }
    | { status: 'dropped'; reason: string },
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set(
      outcome.status === 'sent'
        ? { status: 'sent', sent_at: outcome.at, claim_token: null, last_error: null }
        : outcome.status === 'pending'
          ? { available_at: outcome.retryAt, claim_token: null, last_error: outcome.error }
          : outcome.status === 'dead'
            ? { status: 'dead', claim_token: null, last_error: outcome.error }
            : { status: 'dropped', claim_token: null, last_error: outcome.reason },
    )
    .where('id', '=', id)
    .where('claim_token', '=', claimToken)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * How many messages wait and since when (index outbox_due_idx covers the pending rows). A message scheduled for
 * later (a reminder) is not waiting until it is due: it counts from then, not from when it was written.
 */
export async function pendingStats(db: Kysely<Database>, now: Date) {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [
      eb.fn.countAll<string>().as('pending'),
      eb.fn
        .min<Date | null>(
          eb.case().when('attempts', '=', 0).then(eb.ref('available_at')).else(eb.ref('created_at')).end(),
        )
        .as('oldest'),
    ])
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('available_at', '<=', now), eb('attempts', '>', 0)]))
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldest: row.oldest };
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
