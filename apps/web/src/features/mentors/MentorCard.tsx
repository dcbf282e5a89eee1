import type { MentorSummary } from '@mentorhub/contracts';
import Link from 'next/link';
import { Avatar } from '@/components/image/Avatar';
import { formatMoney } from '@/lib/format';
import { AVATAR_SIZE } from './avatar-size';
import { Rating } from './Rating';
import { describeResponsiveness } from './responsiveness';

export function MentorCard({ mentor, preload = false }: { mentor: MentorSummary; preload?: boolean }) {
  return (
    <article className="card mentor-card">
      <div className="card-head">
        <Avatar user={mentor.user} size={AVATAR_SIZE} preload={preload} />
        <div>
          <h3 className="card-title">
            <Link href={`/mentors/${mentor.id}`} className="card-link">
              {mentor.user.name}
            </Link>
          </h3>
          <p className="muted">{mentor.headline}</p>
        </div>
      </div>
      <ul className="tags" aria-label="Expertise">
        {mentor.expertise.map((tag) => (
          <li key={tag.slug} className="tag">
            {tag.name}
          </li>
        ))}
      </ul>
      {describeResponsiveness(mentor.responsiveness) ? (
        <p className="muted">{describeResponsiveness(mentor.responsiveness)}</p>
      ) : null}
      <p className="card-foot">
        <Rating average={mentor.rating.average} count={mentor.rating.count} />
        <span>
          <strong>{formatMoney(mentor.hourlyRate.amountCents, mentor.hourlyRate.currency)}</strong> / hour
        </span>
      </p>
    </article>
  );
}
