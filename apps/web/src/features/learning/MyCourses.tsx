import Link from 'next/link';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';
import { ProgressBar } from './ProgressBar';

/** The courses the signed-in person is enrolled in, with their progress; streamed in (inside a Suspense boundary). */
export async function MyCourses() {
  const page = await optional((await api()).learning.enrollments({ limit: 50 }));
  if (!page) return <p className="muted">Courses are not available right now.</p>;
  if (page.items.length === 0)
    return (
      <p className="muted">
        No courses yet: <Link href="/courses">browse courses</Link> and enroll in one to track your progress
        here.
      </p>
    );
  return (
    <ul className="enrollments">
      {page.items.map((enrollment) => (
        <li key={enrollment.id} className="card">
          <Link href={`/courses/${enrollment.course.slug}`}>{enrollment.course.title}</Link>
          <ProgressBar progress={enrollment.progress} label={`Progress in ${enrollment.course.title}`} />
        </li>
      ))}
    </ul>
  );
}
