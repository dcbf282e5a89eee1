import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import type { HotQuery } from '../../infra/profiler/explain';
import { DIGEST_BATCH_ROWS } from './digest.service';
import { dueMembersQuery } from './digest.repository';
import * as messaging from './messaging.repository';

/** The participant with the most conversations: the longest inbox. */
async function busiestParticipant(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ user_id: number }>`SELECT user_id FROM conversation_members
    GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no conversation: seed the database first');
  return rows[0].user_id;
}

/** The conversation with the most messages, and an id from the middle of its thread (a page further back). */
async function longestThread(db: Kysely<Database>) {
  const { rows } = await sql<{ conversation_id: number; middle_id: string }>`
    SELECT conversation_id, percentile_disc(0.5) WITHIN GROUP (ORDER BY id) AS middle_id FROM messages
    GROUP BY conversation_id ORDER BY count(*) DESC, conversation_id LIMIT 1`.execute(db);
  if (!rows[0]) throw new Error('no message: seed the database first');
  return { conversationId: rows[0].conversation_id, middleId: Number(rows[0].middle_id) };
}

export const messagingHotQueries: HotQuery<Database>[] = [
  {
    // Every minute in every API process: it must walk only the members whose digest wait has begun.
    name: 'Unread-message digest job (every minute)',
    build: (db) => {
      const query = dueMembersQuery(new Date(), DIGEST_BATCH_ROWS);
      return { compile: () => query.compile(db) };
    },
  },
  {
    name: 'GET /api/me/conversations (inbox page)',
    build: async (db) => messaging.inboxQuery(db, await busiestParticipant(db), undefined, 20),
  },
  {
    name: 'GET /api/me/conversations (unread total)',
    build: async (db) => messaging.unreadCountQuery(db, await busiestParticipant(db)),
  },
  {
    name: 'GET /api/conversations/:id/messages (latest page)',
    build: async (db) => messaging.messagesQuery(db, (await longestThread(db)).conversationId, undefined, 20),
  },
  {
    name: 'GET /api/conversations/:id/messages (cursor page)',
    build: async (db) => {
      const { conversationId, middleId } = await longestThread(db);
      return messaging.messagesQuery(db, conversationId, middleId, 20);
    },
  },
];
