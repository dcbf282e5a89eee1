import { courseLevels, courseSorts } from '@mentorhub/contracts';
import type { Metadata } from 'next';
import Link from 'next/link';
import { EmptyState } from '@/components/ui/States';
import { CourseCard } from '@/features/courses/CourseCard';
import { publicApi } from '@/lib/api/server';

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

export default async function CoursesPage({ searchParams }: PageProps<'/courses'>) {
  const params = await searchParams;
  const q = typeof params.q === 'string' ? params.q.trim() : '';
  const level = courseLevels.find((value) => value === params.level);
  const sort = courseSorts.find((value) => value === params.sort) ?? 'newest';
  const cursor = typeof params.cursor === 'string' ? params.cursor : undefined;
  const page = await publicApi().courses.list({ q: q || undefined, level, sort, cursor, limit: 12 });
  const href = (extra: Record<string, string>) => {
    const search = new URLSearchParams({ ...(q ? { q } : {}), ...(level ? { level } : {}), sort, ...extra });
    return `/courses?${search.toString()}`;
  };

  return (
    <>
      <h1>Courses</h1>
      <form method="get" action="/courses" className="filters" role="search" aria-label="Filter courses">
        <div className="field field-wide">
          <label htmlFor="c-q">Search</label>
          <input id="c-q" name="q" type="search" defaultValue={q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="c-level">Level</label>
          <select id="c-level" name="level" defaultValue={level ?? ''}>
            <option value="">Any</option>
            {courseLevels.map((value) => (
              <option key={value} value={value}>
                {value[0]?.toUpperCase()}
                {value.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-sort">Sort by</label>
          <select id="c-sort" name="sort" defaultValue={sort}>
            {courseSorts.map((value) => (
              <option key={value} value={value}>
                {sortLabels[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="filters-actions">
          <button type="submit" className="button">
            Show courses
          </button>
        </div>
      </form>
      {page.items.length === 0 ? (
        <EmptyState title="No courses match">
          <p>
            <Link href="/courses">See every course</Link>
          </p>
        </EmptyState>
      ) : (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading" className="visually-hidden">
            Results
          </h2>
          <div className="grid">
            {page.items.map((course, i) => (
              <CourseCard key={course.id} course={course} preload={i === 0 && !cursor} />
            ))}
          </div>
          <nav className="pager" aria-label="Result pages">
            {cursor ? <Link href={href({})}>First page</Link> : <span />}
            {page.nextCursor ? (
              <Link href={href({ cursor: page.nextCursor })} rel="next">
                Next page
              </Link>
            ) : null}
          </nav>
        </section>
      )}
    </>
  );
}
