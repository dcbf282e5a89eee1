import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { MinimalLoadingFallback } from '@/components/loading/MinimalLoadingFallback';
import { ListSection } from '@/components/ui/ListSection';
import { EmptyState } from '@/components/ui/States';
import { BookingList } from '@/features/bookings/BookingList';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { LiveUpdates } from '@/features/live/LiveUpdates';
import { ProgressBar } from '@/features/learning/ProgressBar';
import { NotificationList } from '@/features/notifications/NotificationList';
import { RecommendedForYou } from '@/features/recommendations/RecommendedForYou';
import { api } from '@/lib/api/server';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Dashboard', robots: { index: false } };

/** Mentors, and courses, recommended on the dashboard: one row of cards each. */
const RECOMMENDATIONS = 3;

async function settle<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    if (isApiError(error)) return null;
    throw error;
  }
}

export default async function DashboardPage({ searchParams }: PageProps<'/dashboard'>) {
  const user = await requireUser('/dashboard');
  const query = await searchParams;
  const client = await api();
  const [bookings, enrollments, recommendations] = await Promise.all([
    settle(client.bookings.mine({ as: 'mentee', limit: 50 })),
    settle(client.learning.enrollments({ limit: 50 })),
    settle(client.discovery.recommendations({ limit: RECOMMENDATIONS })),
  ]);

  return (
    <>
      <h1>Hello, {user.name.split(' ')[0]}</h1>
      <ActionNotices query={query} />
      <LiveUpdates timezone={user.timezone} />
      <div className="dashboard">
        <ListSection
          id="bookings"
          title="My sessions"
          items={bookings?.items ?? null}
          unavailable="Sessions are not available right now."
          empty={
            <EmptyState title="No sessions booked">
              <p>
                <Link href="/mentors">Find a mentor</Link> and book your first session.
              </p>
            </EmptyState>
          }
        >
          {(items) => (
            <BookingList bookings={items} as="mentee" timezone={user.timezone} returnTo="/dashboard" />
          )}
        </ListSection>
        <ListSection
          id="courses"
          title="My courses"
          items={enrollments?.items ?? null}
          unavailable="Courses are not available right now."
          empty={
            <EmptyState title="No courses yet">
              <p>
                <Link href="/courses">Browse courses</Link>
              </p>
            </EmptyState>
          }
        >
          {(items) => (
            <ul className="enrollments">
              {items.map((enrollment) => (
                <li key={enrollment.id} className="card">
                  <Link href={`/courses/${enrollment.course.slug}`}>{enrollment.course.title}</Link>
                  <ProgressBar
                    progress={enrollment.progress}
                    label={`Progress in ${enrollment.course.title}`}
                  />
                </li>
              ))}
            </ul>
          )}
        </ListSection>
        <section aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">Notifications</h2>
          <Suspense fallback={<MinimalLoadingFallback label="Loading notifications…" />}>
            <NotificationList timezone={user.timezone} />
          </Suspense>
        </section>
      </div>
      {/* Recommendations are a bonus: when they fail to load, the dashboard simply goes without them. */}
      {recommendations ? <RecommendedForYou recommendations={recommendations} /> : null}
    </>
  );
}
