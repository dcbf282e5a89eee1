import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState, ErrorState } from '@/components/ui/States';
import { mentorFacets } from '@/features/mentors/data';
import { mentorApiQuery, mentorsHref, readMentorFilters } from '@/features/mentors/filters';
import { MentorCard } from '@/features/mentors/MentorCard';
import { MentorFiltersForm } from '@/features/mentors/MentorFiltersForm';
import { publicApi } from '@/lib/api/server';

export const metadata: Metadata = {
  title: 'Find a mentor',
  description: 'Search mentors by skill, language, price and rating, and book a 1:1 session.',
};

const PAGE_SIZE = 12;

export default async function MentorsPage({ searchParams }: PageProps<'/mentors'>) {
  const filters = readMentorFilters(await searchParams);
  const [result, facets] = await Promise.all([
    publicApi()
      .mentors.list(mentorApiQuery(filters, PAGE_SIZE))
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
      <MentorFiltersForm filters={filters} expertise={facets.expertise} languages={facets.languages} />
      {'invalid' in result ? (
        <ErrorState title="These filters don’t work together" message={result.invalid} />
      ) : result.page.items.length === 0 ? (
        <EmptyState title="No mentors match these filters">
          <p>
            Try fewer filters, or <Link href="/mentors">see every mentor</Link>.
          </p>
        </EmptyState>
      ) : (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" className="visually-hidden">
            Results
          </h2>
          <div className="grid">
            {result.page.items.map((mentor, i) => (
              <MentorCard key={mentor.id} mentor={mentor} preload={i < 2 && !filters.cursor} />
            ))}
          </div>
          <nav className="pager" aria-label="Result pages">
            {filters.cursor ? (
              <Link href={mentorsHref({ ...filters, cursor: '' })}>First page</Link>
            ) : (
              <span />
            )}
            {result.page.nextCursor ? (
              <Link href={mentorsHref({ ...filters, cursor: result.page.nextCursor })} rel="next">
                Next page
              </Link>
            ) : null}
          </nav>
        </section>
      )}
    </>
  );
}
