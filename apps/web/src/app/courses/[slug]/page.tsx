import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { Avatar } from '@/components/image/Avatar';
import { ResponsiveImage } from '@/components/image/ResponsiveImage';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { enroll } from '@/features/learning/actions';
import { enrollmentIn } from '@/features/learning/data';
import { ProgressBar } from '@/features/learning/ProgressBar';
import { publicApi } from '@/lib/api/server';
import { formatMinutes, formatMoney } from '@/lib/format';
import { ReportForm } from '@/features/moderation/ReportForm';
import { currentUser } from '@/lib/session';

/** The course, or null when there is none by that slug; one API call per request however often it is asked. */
const publicCourse = cache(async (slug: string) => {
  try {
    return await publicApi().courses.get(slug);
  } catch (error) {
    if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'VALIDATION_FAILED')) return null;
    throw error;
  }
});

async function loadCourse(slug: string) {
  return (await publicCourse(slug)) ?? notFound();
}

export async function generateMetadata({ params }: PageProps<'/courses/[slug]'>): Promise<Metadata> {
  // Not found is the page's to answer (a complete 404 document); metadata only describes what exists.
  const course = await publicCourse((await params).slug);
  if (!course) return { title: 'Course not found' };
  return { title: course.title, description: course.summary || course.title };
}

export default async function CoursePage({ params, searchParams }: PageProps<'/courses/[slug]'>) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const course = await loadCourse(slug);
  const user = await currentUser();
  const enrollment = user ? await enrollmentIn(course.id) : null;
  const firstLesson = course.lessons[0];

  return (
    <article className="course">
      <header className="course-head">
        <div>
          <p className="tag">{course.level}</p>
          <h1>{course.title}</h1>
          <p className="lead">{course.summary}</p>
          <p className="instructor">
            <Avatar user={course.instructor} size={40} />
            <span>Taught by {course.instructor.name}</span>
          </p>
          <p>
            {course.lessonsCount} lessons · {formatMinutes(course.durationMinutes)} ·{' '}
            {course.enrollmentsCount} learners ·{' '}
            <strong>
              {course.price.amountCents === 0
                ? 'Free'
                : formatMoney(course.price.amountCents, course.price.currency)}
            </strong>
          </p>
          <ActionNotices query={query} noticeFallback="" />
          {enrollment ? (
            <>
              <ProgressBar progress={enrollment.progress} label="Your progress in this course" />
              {firstLesson ? (
                <Link className="button" href={`/courses/${course.slug}/lessons/${firstLesson.id}`}>
                  Continue learning
                </Link>
              ) : null}
            </>
          ) : (
            <form action={enroll}>
              <input type="hidden" name="courseId" value={course.id} />
              <input type="hidden" name="slug" value={course.slug} />
              <button type="submit" className="button">
                {user ? 'Enroll in this course' : 'Sign in to enroll'}
              </button>
            </form>
          )}
          {user && user.id !== course.instructor.id ? (
            <ReportForm kind="course" itemId={course.id} what="this course" />
          ) : null}
        </div>
        {course.coverUrl ? (
          <ResponsiveImage
            src={course.coverUrl}
            image={course.cover}
            alt=""
            aspectRatio={16 / 9}
            sizes="(max-width: 800px) 100vw, 480px"
            preload
          />
        ) : null}
      </header>
      {course.description ? (
        <section aria-labelledby="description-heading">
          <h2 id="description-heading">About this course</h2>
          {course.description.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>{paragraph}</p>
          ))}
        </section>
      ) : null}
      <section aria-labelledby="syllabus-heading">
        <h2 id="syllabus-heading">Syllabus</h2>
        <ol className="syllabus">
          {course.lessons.map((lesson) => (
            <li key={lesson.id}>
              {enrollment || lesson.isPreview ? (
                <Link href={`/courses/${course.slug}/lessons/${lesson.id}`}>{lesson.title}</Link>
              ) : (
                <span>{lesson.title}</span>
              )}
              <span className="muted">
                {' '}
                · {formatMinutes(lesson.durationMinutes)}
                {lesson.isPreview && !enrollment ? ' · free preview' : ''}
              </span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
