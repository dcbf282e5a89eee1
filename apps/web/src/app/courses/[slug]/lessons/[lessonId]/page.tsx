import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { completeLesson } from '@/features/learning/actions';
import { enrollmentIn } from '@/features/learning/data';
import { ProgressBar } from '@/features/learning/ProgressBar';
import { api, publicApi } from '@/lib/api/server';
import { formatMinutes } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Lesson', robots: { index: false } };

export default async function LessonPage({
  params,
  searchParams,
}: PageProps<'/courses/[slug]/lessons/[lessonId]'>) {
  const [{ slug, lessonId }, query] = await Promise.all([params, searchParams]);
  if (!/^\d{1,10}$/.test(lessonId)) notFound();
  await requireUser(`/courses/${slug}/lessons/${lessonId}`);
  const client = await api();
  const [course, lesson] = await Promise.all([
    publicApi()
      .courses.get(slug)
      .catch((error: unknown) => {
        if (isApiError(error, 'NOT_FOUND')) notFound();
        throw error;
      }),
    client.learning.lesson(Number(lessonId)).catch((error: unknown) => {
      if (isApiError(error, 'NOT_FOUND')) notFound();
      if (isApiError(error, 'NOT_ENROLLED') || isApiError(error, 'FORBIDDEN'))
        redirect(`/courses/${slug}?error=NOT_ENROLLED`);
      throw error;
    }),
  ]);
  const enrollment = await enrollmentIn(course.id);
  const index = course.lessons.findIndex((outline) => outline.id === lesson.id);
  const previous = index > 0 ? course.lessons[index - 1] : undefined;
  const next = course.lessons[index + 1];

  return (
    <div className="lesson-layout">
      <nav aria-label="Lessons" className="lesson-nav">
        <p>
          <Link href={`/courses/${course.slug}`}>{course.title}</Link>
        </p>
        {enrollment ? <ProgressBar progress={enrollment.progress} label="Course progress" /> : null}
        <ol className="syllabus">
          {course.lessons.map((outline) => (
            <li key={outline.id}>
              <Link
                href={`/courses/${course.slug}/lessons/${outline.id}`}
                aria-current={outline.id === lesson.id ? 'page' : undefined}
              >
                {outline.title}
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      <article className="lesson">
        <p className="muted">
          Lesson {lesson.position} · {formatMinutes(lesson.durationMinutes)}
        </p>
        <h1>{lesson.title}</h1>
        <ActionNotices query={query} noticeFallback={null} />
        {lesson.content.split(/\n{2,}/).map((paragraph, i) => (
          <p key={i}>{paragraph}</p>
        ))}
        <div className="lesson-actions">
          {lesson.completed ? (
            <p className="notice notice-success" role="status">
              You completed this lesson.
            </p>
          ) : (
            <form action={completeLesson}>
              <input type="hidden" name="lessonId" value={lesson.id} />
              <input type="hidden" name="slug" value={course.slug} />
              <input
                type="hidden"
                name="nextHref"
                value={next ? `/courses/${course.slug}/lessons/${next.id}` : ''}
              />
              <button type="submit" className="button">
                Mark as complete{next ? ' and continue' : ''}
              </button>
            </form>
          )}
          <p className="pager">
            {previous ? (
              <Link href={`/courses/${course.slug}/lessons/${previous.id}`}>Previous lesson</Link>
            ) : (
              <span />
            )}
            {next ? <Link href={`/courses/${course.slug}/lessons/${next.id}`}>Next lesson</Link> : null}
          </p>
        </div>
      </article>
    </div>
  );
}
