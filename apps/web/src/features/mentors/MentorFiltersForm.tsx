import type { ExpertiseList } from '@mentorhub/contracts';
import { languageName } from '@/lib/format';
import type { MentorFilters } from './filters';

const sortLabels = {
  rating: 'Best rated',
  price: 'Price: low to high',
  price_desc: 'Price: high to low',
  newest: 'Newest',
};

/** A plain GET form: the URL is the state, it works without JavaScript, and every result page is linkable. */
export function MentorFiltersForm({
  filters,
  expertise,
  languages,
}: {
  filters: MentorFilters;
  expertise: ExpertiseList['items'];
  languages: readonly string[];
}) {
  return (
    <form method="get" action="/mentors" className="filters" role="search" aria-label="Filter mentors">
      <div className="field field-wide">
        <label htmlFor="f-q">Search</label>
        <input
          id="f-q"
          name="q"
          type="search"
          defaultValue={filters.q}
          placeholder="Name, skill or topic"
          maxLength={100}
        />
      </div>
      <div className="field">
        <label htmlFor="f-expertise">Expertise</label>
        <select id="f-expertise" name="expertise" defaultValue={filters.expertise}>
          <option value="">Any</option>
          {expertise.map((tag) => (
            <option key={tag.slug} value={tag.slug}>
              {tag.name} ({tag.mentorCount})
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-language">Language</label>
        <select id="f-language" name="language" defaultValue={filters.language}>
          <option value="">Any</option>
          {languages.map((code) => (
            <option key={code} value={code}>
              {languageName(code)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-rating">Minimum rating</label>
        <select id="f-rating" name="minRating" defaultValue={filters.minRating}>
          <option value="">Any</option>
          <option value="4.5">4.5 and up</option>
          <option value="4">4 and up</option>
          <option value="3">3 and up</option>
        </select>
      </div>
      <PriceField id="f-min" name="minPrice" label="Min price per hour" value={filters.minPrice} />
      <PriceField id="f-max" name="maxPrice" label="Max price per hour" value={filters.maxPrice} />
      <div className="field">
        <label htmlFor="f-sort">Sort by</label>
        <select id="f-sort" name="sort" defaultValue={filters.sort}>
          {Object.entries(sortLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="filters-actions">
        <button type="submit" className="button">
          Show mentors
        </button>
        <a href="/mentors">Clear filters</a>
      </div>
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
