import type { Review, ReviewCreateBody, ReviewListQuery } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, notFound } from '../../infra/errors/app-error';
import { serializedKeysetPage, type SerializedValue } from '../../infra/db/json';
import { MENTOR_LISTS_TAG, mentorTag } from '../mentors/mentors.cache';
import { withLiveEvents, type LiveEvents } from '../live/live-events';
import { notify } from '../notifications/notifications.service';
import { userTag } from '../users/users.cache';
import { reviewsTag } from './reviews.cache';
import * as reviews from './reviews.repository';

/**
 * The mentee of a completed booking reviews it, once. The review, the mentor's rating average and count, and the
 * mentor's notification commit together.
 */
export async function reviewBooking(
  ctx: ServiceContext & { live: LiveEvents },
  principal: SessionPrincipal,
  bookingId: number,
  body: ReviewCreateBody,
): Promise<Review> {
  const review = await withLiveEvents(ctx.db, ctx.live, async (trx, outbox) => {
    const booking = await reviews.reviewedBooking(trx, bookingId);
    if (!booking || (booking.mentee_id !== principal.userId && booking.mentor_user_id !== principal.userId))
      throw notFound('Booking');
    if (booking.mentee_id !== principal.userId)
      throw new AppError('REVIEW_NOT_ALLOWED', 'Only the mentee of a session can review it');
    if (booking.status !== 'completed')
      throw new AppError('REVIEW_NOT_ALLOWED', 'Only a completed session can be reviewed');
    await reviews.lockMentorRating(trx, booking.mentor_id);
    const inserted = await reviews.insertReview(trx, {
      bookingId,
      mentorId: booking.mentor_id,
      authorId: principal.userId,
      rating: body.rating,
      body: body.body,
    });
    if (!inserted) throw new AppError('ALREADY_REVIEWED', 'This session has already been reviewed');
    await reviews.refreshMentorRating(trx, booking.mentor_id);
    await notify(trx, outbox, {
      userId: booking.mentor_user_id,
      type: 'review.created',
      payload: { bookingId, reviewId: inserted.id, rating: body.rating },
    });
    return { id: inserted.id, mentorId: booking.mentor_id };
  });
  // The rating shows on the mentor's page and cards and decides the order of the rating sort.
  await ctx.cache.invalidateTags([reviewsTag(review.mentorId), mentorTag(review.mentorId), MENTOR_LISTS_TAG]);
  const row = await reviews.findReview(ctx.db, review.id);
  if (!row) throw new Error(`review ${review.id} was not found after it was written`);
  return JSON.parse(row.card) as Review;
}

/**
 * A page of a mentor's published reviews (`Page<Review>`) as PostgreSQL serialized them, tagged with the mentor's
 * reviews and each author.
 */
export function listReviews(
  db: Kysely<Database>,
  mentorId: number,
  query: ReviewListQuery,
): Promise<SerializedValue> {
  return serializedKeysetPage(
    { sort: 'newest', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row: reviews.ReviewRow) => [row.created_at.toISOString(), row.id] },
    async (after) => {
      const rows = await reviews.mentorPage.execute(db, { mentorId, after, limit: query.limit });
      // An empty first page costs one more statement to tell "no reviews yet" from "no such mentor".
      if (rows.length === 0 && !after && !(await reviews.mentorExists(db, mentorId)))
        throw notFound('Mentor');
      return rows;
    },
    reviewsTag(mentorId),
    (row) => [userTag(row.author_id)],
  );
}
