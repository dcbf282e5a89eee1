import type { Review } from '@mentorhub/contracts';
import { Avatar } from '@/components/image/Avatar';

export function ReviewList({ reviews }: { reviews: readonly Review[] }) {
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
        </li>
      ))}
    </ul>
  );
}
