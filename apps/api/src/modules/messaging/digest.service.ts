import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { suspensionAt } from '../../infra/auth/suspension';
import { insertMessages, type NewOutboxMessage } from '../outbox/outbox.repository';
import { isOptedOut } from '../preferences/preferences.service';
import * as digests from './digest.repository';

export const MESSAGE_DIGEST_KIND = 'messages.digest';

/** Member rows one run takes at most; a larger backlog is worked off by the runs that follow. */
export const DIGEST_BATCH_ROWS = 500;

/** What a digest row carries: per conversation, the messages after `afterId` up to `upToId` it is about. */
export const digestPayloadSchema = z.strictObject({
  conversations: z
    .array(
      z.strictObject({
        conversationId: z.number().int(),
        afterId: z.string().regex(/^\d+$/),
        upToId: z.string().regex(/^\d+$/),
      }),
    )
    .min(1),
});

export type DigestPayload = z.infer<typeof digestPayloadSchema>;

/**
 * Whether a digest may mention this conversation to this member: never to a suspended account, to one who
 * switched digest mail off, or about a conversation blocked either way. Decided when a digest is written and again
 * when it is delivered.
 */
export function digestAllowed(row: digests.DigestRecipientRow, now: number): boolean {
  return (
    !row.blocked && !suspensionAt(row.suspended_until, now) && !isOptedOut(row.opted_out, 'messages', 'email')
  );
}

/**
 * A full batch may end in the middle of one user's rows: they are left (still locked, unchanged) for the next run,
 * so one user's conversations never split over two mails, unless that user alone fills the batch.
 */
function wholeUsers(rows: digests.DueMemberRow[], limit: number): digests.DueMemberRow[] {
  const last = rows.at(-1);
  if (rows.length < limit || !last) return rows;
  const whole = rows.filter((row) => row.user_id !== last.user_id);
  return whole.length > 0 ? whole : rows;
}

/**
 * One digest run at `now`, in one transaction of a fixed number of statements whatever the number of users: the
 * members whose oldest waiting message arrived more than `delayMinutes` ago get one outbox mail each, listing every
 * conversation where messages wait, and their digest positions move past those messages in the same transaction,
 * so a crash loses nothing and no message is in two digests. Waiting messages a member may not be mailed about
 * (blocked, suspended, digest off) are passed over for good. Answers how many mails were written.
 */
export async function sendMessageDigests(
  db: Kysely<Database>,
  now: number,
  delayMinutes: number,
  batchRows = DIGEST_BATCH_ROWS,
): Promise<number> {
  const cutoff = new Date(now - delayMinutes * 60_000);
  return db.transaction().execute(async (trx) => {
    const { rows } = await digests.dueMembersQuery(cutoff, batchRows).execute(trx);
    const settled: digests.SettledMember[] = [];
    const mails = new Map<number, DigestPayload['conversations']>();
    for (const row of wholeUsers(rows, batchRows)) {
      const dueUpTo = row.oldest_at !== null && row.oldest_at < cutoff ? row.newest_id : null;
      const upToId = dueUpTo ?? row.digested_message_id;
      settled.push({ conversationId: row.conversation_id, userId: row.user_id, upToId });
      if (dueUpTo === null || !digestAllowed(row, now)) continue;
      const entry = { conversationId: row.conversation_id, afterId: row.digested_message_id, upToId };
      mails.set(row.user_id, [...(mails.get(row.user_id) ?? []), entry]);
    }
    await digests.settleMembers(trx, settled);
    await insertMessages(
      trx,
      [...mails].map(([userId, conversations]): NewOutboxMessage => ({
        channel: 'email',
        // The positions name the digest: a run that read the same rows (it cannot, they are locked) writes it once.
        idempotencyKey: [
          MESSAGE_DIGEST_KIND,
          userId,
          ...conversations.map((entry) => `${String(entry.conversationId)}.${entry.upToId}`),
        ].join(':'),
        recipientId: userId,
        kind: MESSAGE_DIGEST_KIND,
        payload: { conversations } satisfies DigestPayload,
      })),
    );
    return mails.size;
  });
}
