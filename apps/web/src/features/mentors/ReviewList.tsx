import type { Review } from '@mentorhub/contracts';
import { Avatar } from '@/components/image/Avatar';
import { ReportForm } from '@/features/moderation/ReportForm';

/** Reviews; a signed-in viewer (`viewerId`) can report any review but their own. */
export function ReviewList({ reviews, viewerId }: { reviews: readonly Review[]; viewerId: number | null }) {
  if (reviews.length === 0) return <p className="muted">No reviews yet.</p>;
  return (
    <ul className="reviews">
      {reviews.map((review) => (
        <li key={review.id} className="review">
          <div className="review-head">
            <Avatar user={review.author} size={32} />
            <strong>{review.author.name}</strong>
            <span className="rating">
              <span aria-hidden="true">{'★'.repeat(review.rating)}</span>
              <span className="visually-hidden">{review.rating} out of 5</span>
            </span>
            <time dateTime={review.createdAt} className="muted">
              {new Date(review.createdAt).toLocaleDateString('en-GB', {
                year: 'numeric',
                month: 'short',
                day: 'numeric',
              })}
            </time>
          </div>
          {review.body ? <p>{review.body}</p> : null}
          {viewerId !== null && viewerId !== review.author.id ? (
            <ReportForm kind="review" itemId={review.id} what={`the review by ${review.author.name}`} />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
