import { mentorSorts, type MentorSort } from '@mentorhub/contracts';

/** The directory's filters as they appear in the page URL (prices in whole currency units, not cents). */
export interface MentorFilters {
  q: string;
  expertise: string;
  language: string;
  minRating: string;
  minResponseRate: string;
  minPrice: string;
  maxPrice: string;
  sort: MentorSort;
  cursor: string;
}

type SearchParams = Record<string, string | string[] | undefined>;

function one(params: SearchParams, name: string): string {
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export function readMentorFilters(params: SearchParams): MentorFilters {
  const sort = one(params, 'sort');
  return {
    q: one(params, 'q'),
    expertise: one(params, 'expertise'),
    language: one(params, 'language'),
    minRating: one(params, 'minRating'),
    minResponseRate: one(params, 'minResponseRate'),
    minPrice: one(params, 'minPrice'),
    maxPrice: one(params, 'maxPrice'),
    sort: (mentorSorts as readonly string[]).includes(sort) ? (sort as MentorSort) : 'rating',
    cursor: one(params, 'cursor'),
  };
}

/** How many of the panel's filters are set (search and page aside): the panel opens, and says so, when any is. */
export function activeFilterCount(filters: MentorFilters): number {
  const { expertise, language, minRating, minResponseRate, minPrice, maxPrice, sort } = filters;
  return [
    expertise,
    language,
    minRating,
    minResponseRate,
    minPrice,
    maxPrice,
    sort === 'rating' ? '' : sort,
  ].filter(Boolean).length;
}

const toCents = (units: string) =>
  /^\d+(\.\d{1,2})?$/.test(units) ? Math.round(Number(units) * 100) : undefined;

/** The API query for the filters; malformed numbers are dropped rather than sent to fail. */
export function mentorApiQuery(filters: MentorFilters, limit: number) {
  return {
    q: filters.q || undefined,
    expertise: filters.expertise || undefined,
    language: filters.language || undefined,
    minRating: /^[0-5](\.\d)?$/.test(filters.minRating) ? Number(filters.minRating) : undefined,
    minResponseRate: /^(100|\d{1,2})$/.test(filters.minResponseRate)
      ? Number(filters.minResponseRate)
      : undefined,
    minPriceCents: toCents(filters.minPrice),
    maxPriceCents: toCents(filters.maxPrice),
    sort: filters.sort,
    cursor: filters.cursor || undefined,
    limit,
  };
}

/** The directory URL for filters, without empty values (and the default sort), so links stay short. */
export function mentorsHref(filters: Partial<MentorFilters>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (!value || (key === 'sort' && value === 'rating')) continue;
    params.set(key, value);
  }
  const search = params.toString();
  return search ? `/mentors?${search}` : '/mentors';
}

/** The API's address of a mentor list query, for the browser (same origin). */
export function mentorsApiHref(query: ReturnType<typeof mentorApiQuery>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return `/api/mentors?${params.toString()}`;
}
