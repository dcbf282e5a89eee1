import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache, Suspense } from 'react';
import { Avatar } from '@/components/image/Avatar';
import { LoadingFallback } from '@/components/loading/LoadingFallback';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { openConversation } from '@/features/messaging/actions';
import { MentorAvailability } from '@/features/mentors/MentorAvailability';
import { requestedDay } from '@/features/mentors/picker-days';
import { MentorReviews } from '@/features/mentors/MentorReviews';
import { ReportForm } from '@/features/moderation/ReportForm';
import { Rating } from '@/features/mentors/Rating';
import { describeResponsiveness, stillPaused } from '@/features/mentors/responsiveness';
import { RatingBars } from '@/features/mentors/RatingBars';
import { publicApi } from '@/lib/api/server';
import { formatDateTime, formatMoney, languageName, todayIn } from '@/lib/format';
import { currentUser, knownTimezone, viewerTimezone } from '@/lib/session';

/** The mentor, or null when there is none by that id; one API call per request however often it is asked. */
const publicMentor = cache(async (rawId: string) => {
  if (!/^\d{1,10}$/.test(rawId)) return null;
  try {
    return await publicApi().mentors.get(Number(rawId));
  } catch (error) {
    if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'VALIDATION_FAILED')) return null;
    throw error;
  }
});

async function loadMentor(rawId: string) {
  return (await publicMentor(rawId)) ?? notFound();
}

export async function generateMetadata({ params }: PageProps<'/mentors/[id]'>): Promise<Metadata> {
  // Not found is the page's to answer (a complete 404 document); metadata only describes what exists.
  const mentor = await publicMentor((await params).id);
  if (!mentor) return { title: 'Mentor not found' };
  return {
    title: `${mentor.user.name} — ${mentor.headline}`,
    description: mentor.bio.slice(0, 160) || mentor.headline,
  };
}

export default async function MentorPage({ params, searchParams }: PageProps<'/mentors/[id]'>) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const [mentor, user] = await Promise.all([loadMentor(id), currentUser()]);
  const requestedTz = knownTimezone(query.tz);
  const tz = requestedTz ?? (await viewerTimezone(user));
  const today = todayIn(tz);
  const requestedFrom =
    typeof query.from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(query.from) ? query.from : today;
  const from = requestedFrom < today ? today : requestedFrom;
  return (
    <article className="profile">
      <header className="profile-head">
        <Avatar user={mentor.user} size={128} preload />
        <div>
          <h1>{mentor.user.name}</h1>
          <p className="lead">{mentor.headline}</p>
          <p>
            <Rating average={mentor.rating.average} count={mentor.rating.count} /> ·{' '}
            <strong>{formatMoney(mentor.hourlyRate.amountCents, mentor.hourlyRate.currency)}</strong> per hour
            · {mentor.yearsExperience} years of experience · {mentor.sessionsCompleted}{' '}
            {mentor.sessionsCompleted === 1 ? 'session' : 'sessions'}
          </p>
          {describeResponsiveness(mentor.responsiveness) ? (
            <p className="muted">{describeResponsiveness(mentor.responsiveness)}</p>
          ) : null}
          {stillPaused(mentor.pausedUntil) ? (
            <p className="notice" role="status">
              Not bookable until {formatDateTime(mentor.pausedUntil, mentor.timezone)}.
            </p>
          ) : null}
          <p className="muted">
            Speaks {mentor.languages.map(languageName).join(', ')} · based in {mentor.timezone}
          </p>
          {user && user.id !== mentor.user.id ? (
            <>
              <ReportForm kind="mentor" itemId={mentor.id} what="this profile" />
              <ReportForm kind="user" itemId={mentor.user.id} what={mentor.user.name} />
            </>
          ) : null}
        </div>
      </header>
      <div className="profile-body">
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <ul className="tags" aria-label="Expertise">
            {mentor.expertise.map((tag) => (
              <li key={tag.slug} className="tag">
                {tag.name}
              </li>
            ))}
          </ul>
          {mentor.bio.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>{paragraph}</p>
          ))}
        </section>
        <section id="message" aria-labelledby="message-heading">
          <h2 id="message-heading">Questions before booking?</h2>
          <form action={openConversation}>
            <input type="hidden" name="mentorId" value={mentor.id} />
            <button type="submit" className="button button-secondary">
              {`Message ${mentor.user.name}`}
            </button>
          </form>
        </section>
        <section id="book" aria-labelledby="book-heading" className="panel">
          <h2 id="book-heading">Book a session</h2>
          <ActionNotices
            query={query}
            noticeFallback={null}
            errorFallback="The booking did not go through."
          />
          <Suspense fallback={<LoadingFallback label="Loading available times…" />}>
            <MentorAvailability
              mentorId={mentor.id}
              mentorName={mentor.user.name}
              hourlyRate={mentor.hourlyRate}
              from={from}
              today={today}
              tz={tz}
              tzInUrl={requestedTz !== undefined}
              signedIn={user !== null}
              day={requestedDay(query.day)}
            />
          </Suspense>
        </section>
        <section aria-labelledby="reviews-heading">
          <h2 id="reviews-heading">Reviews</h2>
          <RatingBars distribution={mentor.rating.distribution} count={mentor.rating.count} />
          <Suspense fallback={<LoadingFallback label="Loading reviews…" />}>
            <MentorReviews mentorId={mentor.id} viewerId={user?.id ?? null} />
          </Suspense>
        </section>
      </div>
    </article>
  );
}
