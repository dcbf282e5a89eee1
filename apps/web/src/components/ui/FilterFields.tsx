// The fields of the GET filter forms (mentor directory, course catalog): each a labelled control whose name is
// the URL parameter it sets.

export interface Choice {
  value: string;
  label: string;
}

/** A drop-down; with `anyLabel`, a first, empty choice that leaves the filter off. */
export function SelectField({
  id,
  name,
  label,
  value,
  choices,
  anyLabel,
}: {
  id: string;
  name: string;
  label: string;
  value: string;
  choices: readonly Choice[];
  anyLabel?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value}>
        {anyLabel ? <option value="">{anyLabel}</option> : null}
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The free-text search box, the widest field of the form. */
export function SearchField({ id, value, placeholder }: { id: string; value: string; placeholder?: string }) {
  return (
    <div className="field field-wide">
      <label htmlFor={id}>Search</label>
      <input id={id} name="q" type="search" defaultValue={value} placeholder={placeholder} maxLength={100} />
    </div>
  );
}

/** The submit button, and a link back to the unfiltered list when there is one. */
export function FilterActions({ submitLabel, clearHref }: { submitLabel: string; clearHref?: string }) {
  return (
    <div className="filters-actions">
      <button type="submit" className="button">
        {submitLabel}
      </button>
      {clearHref ? <a href={clearHref}>Clear filters</a> : null}
    </div>
  );
}

/** Choices from a value → label table. */
export function choicesOf(labels: Record<string, string>): Choice[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}
