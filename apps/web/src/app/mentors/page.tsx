import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { ResultsGrid } from '@/components/ui/ResultsGrid';
import { EmptyState, ErrorState } from '@/components/ui/States';
import { mentorFacets } from '@/features/mentors/data';
import { mentorApiQuery, mentorsApiHref, mentorsHref, readMentorFilters } from '@/features/mentors/filters';
import { MentorCard } from '@/features/mentors/MentorCard';
import { MentorFiltersForm } from '@/features/mentors/MentorFiltersForm';
import { PreloadNextAvatars } from '@/features/mentors/PreloadNextAvatars';
import { visitorApi } from '@/lib/api/server';

export const metadata: Metadata = {
  title: 'Find a mentor',
  description: 'Search mentors by skill, language, price and rating, and book a 1:1 session.',
};

const PAGE_SIZE = 12;

/** Keyset pages have no total: the count is this page's, and says when more follow. */
function resultCount(shown: number, more: boolean): string {
  return `${shown} ${shown === 1 ? 'mentor' : 'mentors'}${more ? ' on this page, more on the next' : ''}`;
}

export default async function MentorsPage({ searchParams }: PageProps<'/mentors'>) {
  const filters = readMentorFilters(await searchParams);
  const [result, facets] = await Promise.all([
    (await visitorApi()).mentors
      .list(mentorApiQuery(filters, PAGE_SIZE))
      .then((page) => ({ page }))
      .catch((error: unknown) => {
        if (isApiError(error) && error.status === 400) return { invalid: error.message };
        throw error;
      }),
    mentorFacets(),
  ]);

  return (
    <>
      <h1>Find a mentor</h1>
      {/* Hydrates on its own: a first tap in the search box does not wait for the rest of the page. */}
      <Suspense>
        <MentorFiltersForm filters={filters} expertise={facets.expertise} languages={facets.languages} />
      </Suspense>
      {'invalid' in result ? (
        <ErrorState title="These filters don’t work together" message={result.invalid} />
      ) : result.page.items.length === 0 ? (
        <EmptyState title="No mentors match these filters">
          <p>
            Try fewer filters, or <Link href="/mentors">see every mentor</Link>.
          </p>
        </EmptyState>
      ) : (
        // The cards hydrate on their own, so typing in the search box first does not wait for them.
        <Suspense>
          <p className="result-count" role="status">
            {resultCount(result.page.items.length, result.page.nextCursor !== null)}
          </p>
          <ResultsGrid
            firstPageHref={filters.cursor ? mentorsHref({ ...filters, cursor: '' }) : null}
            nextPageHref={
              result.page.nextCursor ? mentorsHref({ ...filters, cursor: result.page.nextCursor }) : null
            }
            withPager={
              result.page.nextCursor ? (
                <PreloadNextAvatars
                  apiHref={mentorsApiHref(
                    mentorApiQuery({ ...filters, cursor: result.page.nextCursor }, PAGE_SIZE),
                  )}
                />
              ) : null
            }
          >
            {result.page.items.map((mentor, i) => (
              <MentorCard key={mentor.id} mentor={mentor} preload={i < 2 && !filters.cursor} />
            ))}
          </ResultsGrid>
        </Suspense>
      )}
    </>
  );
}
