import { optional } from '@/lib/api/optional';
import { visitorApi } from '@/lib/api/server';
import { ReviewList } from './ReviewList';

/** The mentor's latest reviews, streamed in after the profile (inside a Suspense boundary). */
export async function MentorReviews({ mentorId, viewerId }: { mentorId: number; viewerId: number | null }) {
  const reviews = await optional((await visitorApi()).mentors.reviews(mentorId, { limit: 10 }));
  return reviews ? (
    <ReviewList reviews={reviews.items} viewerId={viewerId} />
  ) : (
    <p className="muted">Reviews are not available right now.</p>
  );
}
