import type { ReactNode } from 'react';

/**
 * A titled section of a personal page over one list: it says so when the list could not be loaded (`null`: the
 * rest of the page still works), shows `empty` when there is nothing, and otherwise renders the items.
 */
export function ListSection<T>({
  id,
  title,
  items,
  unavailable,
  empty,
  children,
  footer,
}: {
  /** Prefix of the heading id the section is labelled by. */
  id: string;
  title: string;
  items: readonly T[] | null;
  unavailable: string;
  empty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
  /** Shown after the list in every case, e.g. a form to add to it. */
  footer?: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {items === null ? <p className="muted">{unavailable}</p> : items.length === 0 ? empty : children(items)}
      {footer}
    </section>
  );
}
