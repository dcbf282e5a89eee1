import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/ui/ActionForm';
import { Notice } from '@/components/ui/States';
import { messageFor, noticeMessages } from '@/features/bookings/messages';
import { addLesson, setPublished, updateCourse, updateLesson } from '@/features/studio/actions';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Edit course', robots: { index: false } };

export default async function StudioCoursePage({ params, searchParams }: PageProps<'/studio/courses/[id]'>) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!/^\d{1,10}$/.test(id)) notFound();
  await requireUser(`/studio/courses/${id}`);
  const client = await api();
  const course = await client.courses.studio(Number(id)).catch((error: unknown) => {
    if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'FORBIDDEN')) notFound();
    throw error;
  });
  const { status } = course;
  const lessons = await Promise.all(
    course.lessons.map((outline) => client.learning.lesson(outline.id).catch(() => null)),
  );
  const notice = messageFor(
    noticeMessages,
    typeof query.notice === 'string' ? query.notice : undefined,
    'Done.',
  );
  const error = typeof query.error === 'string' ? query.error : null;

  return (
    <>
      <p>
        <Link href="/studio">Back to the studio</Link>
      </p>
      <h1>{course.title}</h1>
      {notice ? <Notice kind="success">{notice}</Notice> : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p>
        Status: <span className="tag">{status}</span>{' '}
        {status === 'published' ? <Link href={`/courses/${course.slug}`}>View the course page</Link> : null}
      </p>
      <form action={setPublished}>
        <input type="hidden" name="courseId" value={course.id} />
        <input type="hidden" name="publish" value={status === 'published' ? 'false' : 'true'} />
        <button type="submit" className="button button-small">
          {status === 'published' ? 'Unpublish' : 'Publish'}
        </button>
      </form>
      <div className="studio">
        <section aria-labelledby="lessons-heading">
          <h2 id="lessons-heading">Lessons</h2>
          {course.lessons.map((outline, i) => {
            const lesson = lessons[i];
            return (
              <details key={outline.id} className="card">
                <summary>
                  {outline.position}. {outline.title}
                </summary>
                <ActionForm
                  action={updateLesson}
                  submitLabel="Save lesson"
                  hidden={{ lessonId: String(outline.id), courseId: String(course.id) }}
                  fields={[
                    {
                      name: 'title',
                      label: 'Title',
                      required: true,
                      defaultValue: outline.title,
                      maxLength: 160,
                    },
                    // Without the current content (it did not load) the field is left out, so saving keeps it.
                    ...(lesson
                      ? [
                          {
                            name: 'content',
                            label: 'Content',
                            type: 'textarea' as const,
                            rows: 8,
                            defaultValue: lesson.content,
                          },
                        ]
                      : []),
                    {
                      name: 'durationMinutes',
                      label: 'Duration (minutes)',
                      type: 'number',
                      min: 0,
                      defaultValue: String(outline.durationMinutes),
                    },
                    {
                      name: 'isPreview',
                      label: 'Free preview',
                      type: 'checkbox',
                      checked: outline.isPreview,
                    },
                  ]}
                />
              </details>
            );
          })}
          <h3>Add a lesson</h3>
          <ActionForm
            action={addLesson}
            submitLabel="Add lesson"
            hidden={{ courseId: String(course.id) }}
            fields={[
              { name: 'title', label: 'Lesson title', required: true, maxLength: 160 },
              { name: 'content', label: 'Lesson content', type: 'textarea', rows: 6 },
              {
                name: 'durationMinutes',
                label: 'Lesson duration (minutes)',
                type: 'number',
                min: 0,
                defaultValue: '10',
              },
              { name: 'isPreview', label: 'Free preview lesson', type: 'checkbox' },
            ]}
          />
        </section>
        <section aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <ActionForm
            action={updateCourse}
            submitLabel="Save course"
            hidden={{ courseId: String(course.id) }}
            fields={[
              { name: 'title', label: 'Title', required: true, defaultValue: course.title, maxLength: 160 },
              {
                name: 'summary',
                label: 'Summary',
                type: 'textarea',
                rows: 2,
                defaultValue: course.summary,
                maxLength: 500,
              },
              {
                name: 'description',
                label: 'Description',
                type: 'textarea',
                rows: 8,
                defaultValue: course.description,
              },
              {
                name: 'level',
                label: 'Level',
                type: 'select',
                defaultValue: course.level,
                options: [
                  { value: 'beginner', label: 'Beginner' },
                  { value: 'intermediate', label: 'Intermediate' },
                  { value: 'advanced', label: 'Advanced' },
                ],
              },
              {
                name: 'price',
                label: 'Price (USD)',
                type: 'number',
                min: 0,
                step: 1,
                defaultValue: String(course.price.amountCents / 100),
              },
            ]}
          />
        </section>
      </div>
    </>
  );
}
