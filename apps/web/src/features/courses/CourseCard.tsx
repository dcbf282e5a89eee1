import type { CourseSummary } from '@mentorhub/contracts';
import Link from 'next/link';
import { ResponsiveImage } from '@/components/image/ResponsiveImage';
import { formatMinutes, formatMoney } from '@/lib/format';

export function CourseCard({ course, preload = false }: { course: CourseSummary; preload?: boolean }) {
  return (
    <article className="card course-card">
      {course.coverUrl ? (
        <ResponsiveImage
          src={course.coverUrl}
          image={course.cover}
          alt=""
          aspectRatio={16 / 9}
          sizes="(max-width: 640px) 100vw, (max-width: 1024px) 50vw, 360px"
          preload={preload}
        />
      ) : null}
      <h3 className="card-title">
        <Link href={`/courses/${course.slug}`} className="card-link">
          {course.title}
        </Link>
      </h3>
      <p className="muted">{course.summary}</p>
      <p className="card-foot">
        <span className="tag">{course.level}</span>
        <span>
          {course.lessonsCount} lessons · {formatMinutes(course.durationMinutes)}
        </span>
        <strong>
          {course.price.amountCents === 0
            ? 'Free'
            : formatMoney(course.price.amountCents, course.price.currency)}
        </strong>
      </p>
      <p className="muted small">by {course.instructor.name}</p>
    </article>
  );
}
