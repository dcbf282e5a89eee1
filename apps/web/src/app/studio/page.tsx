import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm, type FieldSpec } from '@/components/ui/ActionForm';
import { ListSection } from '@/components/ui/ListSection';
import { EmptyState, Notice } from '@/components/ui/States';
import { BookingList } from '@/features/bookings/BookingList';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import {
  applyAsMentor,
  createCourse,
  saveAvailability,
  saveMeetingRoom,
  updateMentorProfile,
} from '@/features/studio/actions';
import { LazyAvailabilityEditor } from '@/features/studio/LazyAvailabilityEditor';
import { LiveUpdates } from '@/features/live/LiveUpdates';
import { optional } from '@/lib/api/optional';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Mentor studio', robots: { index: false } };

function mentorFieldSpecs(defaults: Record<string, string>): FieldSpec[] {
  return [
    { name: 'headline', label: 'Headline', required: true, defaultValue: defaults.headline, maxLength: 160 },
    { name: 'bio', label: 'Bio', type: 'textarea', rows: 6, defaultValue: defaults.bio, maxLength: 8000 },
    {
      name: 'hourlyRate',
      label: 'Hourly rate (USD)',
      type: 'number',
      min: 0,
      step: 1,
      defaultValue: defaults.hourlyRate,
    },
    {
      name: 'languages',
      label: 'Languages',
      defaultValue: defaults.languages,
      hint: 'ISO codes, comma-separated, e.g. en, de',
    },
    {
      name: 'expertise',
      label: 'Expertise',
      defaultValue: defaults.expertise,
      hint: 'Up to 5, comma-separated, e.g. react, system-design',
    },
    {
      name: 'timezone',
      label: 'Timezone',
      defaultValue: defaults.timezone,
      hint: 'IANA name, e.g. Europe/Berlin',
    },
    {
      name: 'sessionMinutes',
      label: 'Session length',
      type: 'select',
      defaultValue: defaults.sessionMinutes ?? '60',
      options: ['30', '45', '60', '90'].map((m) => ({ value: m, label: `${m} minutes` })),
    },
  ];
}

const courseFieldSpecs: FieldSpec[] = [
  { name: 'title', label: 'Title', required: true, maxLength: 160 },
  { name: 'summary', label: 'Summary', type: 'textarea', rows: 2, maxLength: 500 },
  {
    name: 'level',
    label: 'Level',
    type: 'select',
    defaultValue: 'beginner',
    options: [
      { value: 'beginner', label: 'Beginner' },
      { value: 'intermediate', label: 'Intermediate' },
      { value: 'advanced', label: 'Advanced' },
    ],
  },
  { name: 'price', label: 'Price (USD, 0 for free)', type: 'number', min: 0, step: 1, defaultValue: '0' },
];

export default async function StudioPage({ searchParams }: PageProps<'/studio'>) {
  const user = await requireUser('/studio');
  const query = await searchParams;

  if (user.mentorId === null) {
    return (
      <>
        <h1>Become a mentor</h1>
        <p className="lead">Tell mentees what you can help with. An admin reviews every application.</p>
        <ActionForm
          action={applyAsMentor}
          submitLabel="Apply"
          fields={mentorFieldSpecs({ timezone: user.timezone, languages: 'en', sessionMinutes: '60' })}
        />
      </>
    );
  }

  const client = await api();
  const mentorId = user.mentorId;
  const [requests, mentor, availability, courses, meetingRoom] = await Promise.all([
    optional(client.bookings.mine({ as: 'mentor', limit: 50 })),
    optional(client.mentors.get(mentorId)),
    optional(client.mentors.availabilitySettings(mentorId)),
    optional(client.courses.mine({ limit: 50 })),
    optional(client.mentors.meetingRoom(mentorId)),
  ]);
  const defaults: Record<string, string> = mentor
    ? {
        headline: mentor.headline,
        bio: mentor.bio,
        hourlyRate: String(mentor.hourlyRate.amountCents / 100),
        languages: mentor.languages.join(', '),
        expertise: mentor.expertise.map((tag) => tag.slug).join(', '),
        timezone: mentor.timezone,
        sessionMinutes: String(mentor.sessionMinutes),
      }
    : { timezone: user.timezone };

  return (
    <>
      <h1>Mentor studio</h1>
      <ActionNotices query={query} />
      <LiveUpdates timezone={user.timezone} />
      {mentor ? (
        <p>
          <Link href={`/mentors/${mentorId}`}>View your public profile</Link>
        </p>
      ) : (
        <Notice kind="success">
          Your application is waiting for approval; your profile is listed once approved.
        </Notice>
      )}
      <div className="studio">
        <ListSection
          id="requests"
          title="Sessions with you"
          items={requests?.items ?? null}
          unavailable="Sessions are not available right now."
          empty={<EmptyState title="No booking requests yet" />}
        >
          {(items) => (
            <BookingList bookings={items} as="mentor" timezone={user.timezone} returnTo="/studio" />
          )}
        </ListSection>
        <ListSection
          id="courses"
          title="Your courses"
          items={courses?.items ?? null}
          unavailable="Courses are not available right now."
          empty={<p className="muted">No courses yet.</p>}
          footer={
            <details>
              <summary>Create a course</summary>
              <ActionForm action={createCourse} submitLabel="Create draft" fields={courseFieldSpecs} />
            </details>
          }
        >
          {(items) => (
            <ul className="enrollments">
              {items.map((course) => (
                <li key={course.id} className="card">
                  <Link href={`/studio/courses/${course.id}`}>{course.title}</Link>{' '}
                  <span className="tag">{course.status}</span>{' '}
                  <span className="muted small">{course.lessonsCount} lessons</span>
                </li>
              ))}
            </ul>
          )}
        </ListSection>
        <section aria-labelledby="profile-heading">
          <h2 id="profile-heading">Profile</h2>
          <ActionForm
            action={updateMentorProfile}
            submitLabel="Save profile"
            fields={mentorFieldSpecs(defaults)}
          />
        </section>
        <section aria-labelledby="meeting-room-heading">
          <h2 id="meeting-room-heading">Meeting room</h2>
          <ActionForm
            action={saveMeetingRoom}
            submitLabel="Save meeting room"
            fields={[
              {
                name: 'meetingUrl',
                label: 'Your video room (https)',
                type: 'url',
                defaultValue: meetingRoom?.meetingUrl ?? '',
                maxLength: 500,
                hint: 'Leave empty and MentorHub creates a private room for each session. Only your mentees see it.',
              },
            ]}
          />
        </section>
        <section aria-labelledby="availability-heading">
          <h2 id="availability-heading">Availability</h2>
          {availability ? (
            <LazyAvailabilityEditor initial={availability} action={saveAvailability} />
          ) : (
            <p className="muted">Availability settings are not available right now.</p>
          )}
        </section>
      </div>
    </>
  );
}
