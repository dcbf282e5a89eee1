import type { Page, Review, ReviewCreateBody, ReviewListQuery } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { SessionPrincipal } from '../../infra/auth/session';
import type { ServiceContext } from '../../infra/context';
import { AppError, notFound } from '../../infra/errors/app-error';
import { keysetPage } from '../../infra/pagination/cursor';
import { MENTOR_LISTS_TAG, mentorTag } from '../mentors/mentors.cache';
import { withLiveEvents, type LiveEvents } from '../live/live-events';
import { notify } from '../notifications/notifications.service';
import { toUserSummary } from '../users/users.service';
import { reviewsTag } from './reviews.cache';
import * as reviews from './reviews.repository';

function toReview(row: reviews.ReviewRow): Review {
  return {
    id: row.id,
    bookingId: row.booking_id,
    rating: row.rating,
    body: row.body,
    author: toUserSummary({
      id: row.author_id,
      name: row.author_name,
      avatar_media_id: row.author_avatar_media_id,
    }),
    createdAt: row.created_at.toISOString(),
  };
}

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
  return toReview(row);
}

export async function listReviews(
  db: Kysely<Database>,
  mentorId: number,
  query: ReviewListQuery,
): Promise<Page<Review>> {
  const page = await keysetPage(
    { sort: 'newest', cursor: query.cursor, limit: query.limit },
    { kind: 'instant', keyOf: (row) => [row.created_at.toISOString(), row.id] },
    (after) => reviews.pageQuery(db, mentorId, after, query.limit).execute(),
    toReview,
  );
  // An empty first page costs one more statement to tell "no reviews yet" from "no such mentor".
  if (page.items.length === 0 && !query.cursor && !(await reviews.mentorExists(db, mentorId)))
    throw notFound('Mentor');
  return page;
}
