import { courseLevels, courseSorts } from '@mentorhub/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { FilterActions, SearchField, SelectField } from '@/components/ui/FilterFields';
import { ResultsGrid } from '@/components/ui/ResultsGrid';
import { EmptyState } from '@/components/ui/States';
import { CourseCard } from '@/features/courses/CourseCard';
import { visitorApi } from '@/lib/api/server';

export const metadata: Metadata = {
  title: 'Courses',
  description: 'Self-paced courses by MentorHub mentors: lessons you can follow at your own speed.',
};

const sortLabels: Record<(typeof courseSorts)[number], string> = {
  newest: 'Newest',
  popular: 'Most popular',
  price: 'Price: low to high',
  price_desc: 'Price: high to low',
};
const sortChoices = courseSorts.map((value) => ({ value, label: sortLabels[value] }));

const capitalized = (word: string) => `${word[0]?.toUpperCase() ?? ''}${word.slice(1)}`;

export default async function CoursesPage({ searchParams }: PageProps<'/courses'>) {
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q.trim() : '';
  const level = courseLevels.find((value) => value === params.level);
  const sort = courseSorts.find((value) => value === params.sort) ?? 'newest';
  const cursor = typeof params.cursor === 'string' ? params.cursor : undefined;
  const page = await (await visitorApi()).courses.list({ q: q || undefined, level, sort, cursor, limit: 12 });
  const href = (extra: Record<string, string>) => {
    const search = new URLSearchParams({ ...(q ? { q } : {}), ...(level ? { level } : {}), sort, ...extra });
    return `/courses?${search.toString()}`;
  };

  return (
    <>
      <h1>Courses</h1>
      <form method="get" action="/courses" className="filters" role="search" aria-label="Filter courses">
        <SearchField id="c-q" value={q} />
        <SelectField
          id="c-level"
          name="level"
          label="Level"
          value={level ?? ''}
          anyLabel="Any"
          choices={courseLevels.map((value) => ({ value, label: capitalized(value) }))}
        />
        <SelectField id="c-sort" name="sort" label="Sort by" value={sort} choices={sortChoices} />
        <FilterActions submitLabel="Show courses" />
      </form>
      {page.items.length === 0 ? (
        <EmptyState title="No courses match">
          <p>
            <Link href="/courses">See every course</Link>
          </p>
        </EmptyState>
      ) : (
        <ResultsGrid
          firstPageHref={cursor ? href({}) : null}
          nextPageHref={page.nextCursor ? href({ cursor: page.nextCursor }) : null}
        >
          {page.items.map((course, i) => (
            <CourseCard key={course.id} course={course} preload={i === 0 && !cursor} />
          ))}
        </ResultsGrid>
      )}
    </>
  );
}
