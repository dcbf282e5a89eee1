import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingFallback } from '@/components/loading/LoadingFallback';
import { SkeletonFallback } from '@/components/loading/SkeletonFallback';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { MySessions } from '@/features/bookings/MySessions';
import { MyCourses } from '@/features/learning/MyCourses';
import { LiveUpdates } from '@/features/live/LiveUpdates';
import { NotificationList } from '@/features/notifications/NotificationList';
import { RecommendedForYou } from '@/features/recommendations/RecommendedForYou';
import { StandingNotice } from '@/features/reliability/StandingNotice';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Dashboard', robots: { index: false } };

// Each part loads on its own, all at once, behind its own Suspense boundary: the page's first bytes carry the
// heading and the placeholders, and a slow part holds only itself.
export default async function DashboardPage({ searchParams }: PageProps<'/dashboard'>) {
  const [user, query] = await Promise.all([requireUser('/dashboard'), searchParams]);
  return (
    <>
      <h1>{`Hello, ${user.name.split(' ')[0]}`}</h1>
      <ActionNotices query={query} />
      <LiveUpdates timezone={user.timezone} />
      <Suspense fallback={null}>
        <StandingNotice timezone={user.timezone} />
      </Suspense>
      <div className="dashboard">
        <section aria-labelledby="bookings-heading">
          <h2 id="bookings-heading">My sessions</h2>
          <Suspense fallback={<SkeletonFallback kind="rows" count={3} label="Loading your sessions…" />}>
            <MySessions timezone={user.timezone} />
          </Suspense>
        </section>
        <section aria-labelledby="courses-heading">
          <h2 id="courses-heading">My courses</h2>
          <Suspense fallback={<LoadingFallback label="Loading your courses…" />}>
            <MyCourses />
          </Suspense>
        </section>
        <section aria-labelledby="notifications-heading">
          <h2 id="notifications-heading">Notifications</h2>
          <Suspense fallback={<LoadingFallback label="Loading notifications…" />}>
            <NotificationList timezone={user.timezone} />
          </Suspense>
        </section>
      </div>
      <Suspense fallback={null}>
        <RecommendedForYou />
      </Suspense>
    </>
  );
}
