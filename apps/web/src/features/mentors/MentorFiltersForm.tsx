import type { ExpertiseList } from '@mentorhub/contracts';
import { Suspense } from 'react';
import { choicesOf, FilterActions, SearchField, SelectField } from '@/components/ui/FilterFields';
import { languageName } from '@/lib/format';
import { activeFilterCount, type MentorFilters } from './filters';

const sortChoices = choicesOf({
  rating: 'Best rated',
  price: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest',
  responsive: 'Most responsive',
});

const ratingChoices = ['4.5', '4', '3'].map((value) => ({ value, label: `${value} and up` }));

const responseRateChoices = ['90', '75', '50'].map((value) => ({ value, label: `${value}% and up` }));

/**
 * A plain GET form: the URL is the state, it works without JavaScript, and every result page is linkable. The
 * search box comes first; the other filters wait in a panel that opens without JavaScript (a `<details>`), open
 * when any of them is set.
 */
export function MentorFiltersForm({
  filters,
  expertise,
  languages,
}: {
  filters: MentorFilters;
  expertise: ExpertiseList['items'];
  languages: readonly string[];
}) {
  const active = activeFilterCount(filters);
  return (
    <form
      method="get"
      action="/mentors"
      className="directory-search"
      role="search"
      aria-label="Filter mentors"
    >
      <div className="search-row">
        <SearchField id="f-q" value={filters.q} placeholder="Name, skill or topic" />
        <button type="submit" className="button">
          Search
        </button>
      </div>
      {/* Hydrates on its own: a first tap in the search box hydrates the search row, not every filter's options. */}
      <Suspense>
        <details className="filters-panel" open={active > 0}>
          <summary>{active > 0 ? `Filters (${active} set)` : 'Filters'}</summary>
          <div className="filters">
            <SelectField
              id="f-expertise"
              name="expertise"
              label="Expertise"
              value={filters.expertise}
              anyLabel="Any"
              choices={expertise.map((tag) => ({
                value: tag.slug,
                label: `${tag.name} (${tag.mentorCount})`,
              }))}
            />
            <SelectField
              id="f-language"
              name="language"
              label="Language"
              value={filters.language}
              anyLabel="Any"
              choices={languages.map((code) => ({ value: code, label: languageName(code) }))}
            />
            <SelectField
              id="f-rating"
              name="minRating"
              label="Minimum rating"
              value={filters.minRating}
              anyLabel="Any"
              choices={ratingChoices}
            />
            <SelectField
              id="f-response"
              name="minResponseRate"
              label="Minimum response rate"
              value={filters.minResponseRate}
              anyLabel="Any"
              choices={responseRateChoices}
            />
            <PriceField id="f-min" name="minPrice" label="Min price per hour" value={filters.minPrice} />
            <PriceField id="f-max" name="maxPrice" label="Max price per hour" value={filters.maxPrice} />
            <SelectField id="f-sort" name="sort" label="Sort by" value={filters.sort} choices={sortChoices} />
            <FilterActions submitLabel="Show mentors" clearHref="/mentors" />
          </div>
        </details>
      </Suspense>
    </form>
  );
}

/** A whole-dollar price bound of the filter form. */
function PriceField({ id, name, label, value }: { id: string; name: string; label: string; value: string }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="number" min={0} step={1} inputMode="numeric" defaultValue={value} />
    </div>
  );
}
