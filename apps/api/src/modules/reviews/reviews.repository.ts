import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isoInstant, jsonText, type JsonFields } from '../../infra/db/json';
import { compiledOnce } from '../../infra/db/compiled-once';
import { keysetPageQuery, newestFirst } from '../../infra/db/keyset';
import type { CursorKey } from '../../infra/pagination/cursor';
import { userSummaryJson } from '../users/users.repository';

/** The booking a review is about, with who may review it. */
export function reviewedBooking(trx: Transaction<Database>, bookingId: number) {
  return trx
    .selectFrom('bookings as b')
    .innerJoin('mentors as m', 'm.id', 'b.mentor_id')
    .select(['b.id', 'b.status', 'b.mentee_id', 'b.mentor_id', 'm.user_id as mentor_user_id'])
    .where('b.id', '=', bookingId)
    .executeTakeFirst();
}

/** Taken before the insert so concurrent reviews of one mentor recompute the average one after the other. */
export function lockMentorRating(trx: Transaction<Database>, mentorId: number) {
  return trx.selectFrom('mentors').select('id').where('id', '=', mentorId).forUpdate().execute();
}

/** Inserts the review unless the booking already has one (the unique key decides, also under concurrency). */
export function insertReview(
  trx: Transaction<Database>,
  review: { bookingId: number; mentorId: number; authorId: number; rating: number; body: string },
) {
  return trx
    .insertInto('reviews')
    .values({
      booking_id: review.bookingId,
      mentor_id: review.mentorId,
      author_id: review.authorId,
      rating: review.rating,
      body: review.body,
    })
    .onConflict((oc) => oc.column('booking_id').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** Recomputed from the published reviews (index reviews_mentor_id_idx), so the average never drifts. */
export function refreshMentorRating(trx: Transaction<Database>, mentorId: number) {
  return sql`
    UPDATE mentors m SET rating_avg = r.avg, rating_count = r.n, updated_at = now()
    FROM (SELECT coalesce(round(avg(rating), 2), 0) AS avg, count(*)::int AS n
          FROM reviews WHERE mentor_id = ${mentorId} AND status = 'published') r
    WHERE m.id = ${mentorId}`.execute(trx);
}

/** The fields of `Review` in its order. */
const reviewFields: JsonFields = {
  id: 'r.id',
  bookingId: 'r.booking_id',
  rating: 'r.rating',
  body: 'r.body',
  author: userSummaryJson('u'),
  createdAt: isoInstant('r.created_at'),
};

/**
 * Published reviews, each serialized by PostgreSQL (`Review`, its author's name and avatar only), with what a
 * cursor and the cache tags need.
 */
function publishedReviews(db: Kysely<Database>) {
  return db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.id', 'r.created_at', 'u.id as author_id', jsonText(reviewFields).as('card')])
    .where('r.status', '=', sql.lit('published'));
}

export type ReviewRow = Awaited<ReturnType<ReturnType<typeof publishedReviews>['execute']>>[number];

export function findReview(db: Kysely<Database>, id: number) {
  return publishedReviews(db).where('r.id', '=', id).executeTakeFirst();
}

/** A page of a mentor's reviews, newest first: one statement (index reviews_mentor_id_idx). */
export function pageQuery(
  db: Kysely<Database>,
  mentorId: number,
  after: CursorKey | undefined,
  limit: number,
) {
  const query = publishedReviews(db).where('r.mentor_id', '=', mentorId);
  return keysetPageQuery(query, newestFirst('r.created_at'), 'r.id', after, limit);
}

/** `pageQuery` built once per page size and first or later page; the mentor and the cursor's key are parameters. */
export const mentorPage = compiledOnce(
  ['mentorId', 'after'],
  (db, input: { mentorId: number; after: CursorKey | undefined; limit: number }) =>
    pageQuery(db, input.mentorId, input.after, input.limit),
);

export function mentorExists(db: Kysely<Database>, mentorId: number) {
  return db
    .selectFrom('mentors')
    .select('id')
    .where('id', '=', mentorId)
    .where('status', '=', sql.lit('approved'))
    .executeTakeFirst();
}
