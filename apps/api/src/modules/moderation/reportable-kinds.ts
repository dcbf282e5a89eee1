import type { ReportableKind } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { COURSE_LISTS_TAG, courseTag } from '../courses/courses.cache';
import { MENTOR_LISTS_TAG, mentorTag } from '../mentors/mentors.cache';
import { findMessageSender, setMessageHidden } from '../messaging/messaging.repository';
import { reviewsTag } from '../reviews/reviews.cache';
import { lockMentorRating, refreshMentorRating } from '../reviews/reviews.repository';

/** The columns every kind's context expression yields, as JSON: what the queue shows of an item. */
export interface ItemContextColumns {
  title: string;
  excerpt: string;
  hidden: boolean;
  path: string | null;
}

/**
 * One kind of thing users can report. Adding a kind is one entry here (and its name in the contracts' list).
 */
export interface ReportableKindHandler {
  /** How the queue and the reporter's list name the kind. */
  label: string;
  /**
   * The owner of an item the reporter may see (public, or a message of their own conversation), or undefined when
   * there is no such item.
   */
  findOwner(db: Kysely<Database>, itemId: number, reporterId: number): Promise<number | undefined>;
  /**
   * The item in context, as one SQL expression over the case's item id (a JSON object of `ItemContextColumns`,
   * null once the item was deleted), so the whole queue page is one statement whatever kinds it holds.
   */
  context(itemId: RawBuilder<number>): RawBuilder<ItemContextColumns | null>;
  /**
   * Hides or shows the item again, inside the decision's transaction (`at`: the decision's time), and returns the
   * cache tags to invalidate (undefined: the item no longer exists). Kinds without it cannot be hidden (their owner
   * can be suspended).
   */
  setHidden?(
    trx: Transaction<Database>,
    itemId: number,
    hidden: boolean,
    at: Date,
  ): Promise<string[] | undefined>;
}

/** The start of a long text column, enough to judge it in the queue. */
const excerpt = (column: string) => sql<string>`left(${sql.ref(column)}, 300)`;

export const reportableKinds: Record<ReportableKind, ReportableKindHandler> = {
  review: {
    label: 'review',
    async findOwner(db, itemId) {
      const row = await db
        .selectFrom('reviews')
        .select('author_id')
        .where('id', '=', itemId)
        .where('status', '=', sql.lit('published'))
        .executeTakeFirst();
      return row?.author_id;
    },
    context: (itemId) => sql`(
      SELECT json_build_object('title', 'Review of ' || mu.name || ' (' || r.rating || '/5)',
        'excerpt', ${excerpt('r.body')}, 'hidden', r.status = 'hidden', 'path', '/mentors/' || r.mentor_id)
      FROM reviews r JOIN mentors m ON m.id = r.mentor_id JOIN users mu ON mu.id = m.user_id
      WHERE r.id = ${itemId})`,
    // The rating average follows in the same transaction: a hidden review never counts, not even for a moment.
    async setHidden(trx, itemId, hidden) {
      const review = await trx
        .selectFrom('reviews')
        .select('mentor_id')
        .where('id', '=', itemId)
        .executeTakeFirst();
      if (!review) return undefined;
      await lockMentorRating(trx, review.mentor_id);
      await trx
        .updateTable('reviews')
        .set({ status: hidden ? 'hidden' : 'published' })
        .where('id', '=', itemId)
        .execute();
      await refreshMentorRating(trx, review.mentor_id);
      return [reviewsTag(review.mentor_id), mentorTag(review.mentor_id), MENTOR_LISTS_TAG];
    },
  },
  mentor: {
    label: 'mentor profile',
    async findOwner(db, itemId) {
      const row = await db
        .selectFrom('mentors')
        .select('user_id')
        .where('id', '=', itemId)
        .where('status', '=', sql.lit('approved'))
        .where('is_active', '=', sql.lit(true))
        .executeTakeFirst();
      return row?.user_id;
    },
    context: (itemId) => sql`(
      SELECT json_build_object('title', mu.name || ': ' || m.headline, 'excerpt', ${excerpt('m.bio')},
        'hidden', NOT m.is_active, 'path', '/mentors/' || m.id)
      FROM mentors m JOIN users mu ON mu.id = m.user_id WHERE m.id = ${itemId})`,
    async setHidden(trx, itemId, hidden) {
      const updated = await trx
        .updateTable('mentors')
        .set({ is_active: !hidden, updated_at: new Date() })
        .where('id', '=', itemId)
        .executeTakeFirst();
      return updated.numUpdatedRows === 0n ? undefined : [mentorTag(itemId), MENTOR_LISTS_TAG];
    },
  },
  course: {
    label: 'course',
    async findOwner(db, itemId) {
      const row = await db
        .selectFrom('courses')
        .select('instructor_id')
        .where('id', '=', itemId)
        .where('status', '=', sql.lit('published'))
        .where('is_active', '=', sql.lit(true))
        .executeTakeFirst();
      return row?.instructor_id;
    },
    context: (itemId) => sql`(
      SELECT json_build_object('title', c.title, 'excerpt', ${excerpt('c.summary')}, 'hidden', NOT c.is_active,
        'path', '/courses/' || c.slug)
      FROM courses c WHERE c.id = ${itemId})`,
    async setHidden(trx, itemId, hidden) {
      const updated = await trx
        .updateTable('courses')
        .set({ is_active: !hidden, updated_at: new Date() })
        .where('id', '=', itemId)
        .executeTakeFirst();
      return updated.numUpdatedRows === 0n ? undefined : [courseTag(itemId), COURSE_LISTS_TAG];
    },
  },
  user: {
    label: 'user',
    async findOwner(db, itemId) {
      const row = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', itemId)
        .where('is_active', '=', sql.lit(true))
        .where('email_verified_at', 'is not', null)
        .executeTakeFirst();
      return row?.id;
    },
    context: (itemId) => sql`(
      SELECT json_build_object('title', u.name, 'excerpt', ${excerpt('u.bio')}, 'hidden', false,
        'path', (SELECT '/mentors/' || m.id FROM mentors m WHERE m.user_id = u.id AND m.status = 'approved'))
      FROM users u WHERE u.id = ${itemId})`,
  },
  message: {
    label: 'message',
    // Only the conversation's two participants know the message: anyone else is told it does not exist.
    findOwner: (db, itemId, reporterId) => findMessageSender(db, itemId, reporterId),
    context: (itemId) => sql`(
      SELECT json_build_object('title', 'Message from ' || s.name || ' to ' || r.name,
        'excerpt', ${excerpt('msg.body')}, 'hidden', msg.hidden_at IS NOT NULL, 'path', NULL)
      FROM messages msg JOIN conversations c ON c.id = msg.conversation_id JOIN mentors m ON m.id = c.mentor_id
      JOIN users s ON s.id = msg.sender_id
      JOIN users r ON r.id = CASE WHEN msg.sender_id = c.mentee_id THEN m.user_id ELSE c.mentee_id END
      WHERE msg.id = ${itemId})`,
    // Threads are read uncached, so there is no tag to invalidate.
    async setHidden(trx, itemId, hidden, at) {
      return (await setMessageHidden(trx, itemId, hidden ? at : null)) ? [] : undefined;
    },
  },
};
