import type { ReactNode } from 'react';
import { CourseCard } from '@/features/courses/CourseCard';
import { MentorCard } from '@/features/mentors/MentorCard';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';

interface Pick {
  key: number;
  reason: string;
  card: ReactNode;
}

function Picks({ label, picks }: { label: string; picks: Pick[] }) {
  if (picks.length === 0) return null;
  return (
    <ul className="grid recommendations" aria-label={label}>
      {picks.map(({ key, reason, card }) => (
        <li key={key}>
          <p className="reason muted small">{reason}</p>
          {card}
        </li>
      ))}
    </ul>
  );
}

/** Mentors, and courses, recommended: one row of cards each. */
const RECOMMENDATIONS = 3;

/**
 * The dashboard's picks: the usual mentor and course cards, each under the reason it was picked. A bonus: when
 * they fail to load, the dashboard simply goes without them.
 */
export async function RecommendedForYou() {
  const recommendations = await optional((await api()).discovery.recommendations({ limit: RECOMMENDATIONS }));
  if (!recommendations) return null;
  const { mentors, courses } = recommendations;
  if (mentors.length === 0 && courses.length === 0) return null;
  return (
    <section aria-labelledby="recommended-heading">
      <h2 id="recommended-heading">Recommended for you</h2>
      <Picks
        label="Recommended mentors"
        picks={mentors.map(({ mentor, reason }) => ({
          key: mentor.id,
          reason,
          card: <MentorCard mentor={mentor} />,
        }))}
      />
      <Picks
        label="Recommended courses"
        picks={courses.map(({ course, reason }) => ({
          key: course.id,
          reason,
          card: <CourseCard course={course} />,
        }))}
      />
    </section>
  );
}
