import Link from 'next/link';
import type { ReactNode } from 'react';
import { EmptyState } from './States';

/** A titled grid of cards with a link to the full list, or an empty state when there are none. */
export function CardSection<T>({
  id,
  title,
  more,
  emptyTitle,
  items,
  children,
}: {
  /** Prefix of the heading id the section is labelled by. */
  id: string;
  title: string;
  more: { href: string; label: string };
  emptyTitle: string;
  items: readonly T[];
  children: (item: T) => ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <div className="section-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        <Link href={more.href}>{more.label}</Link>
      </div>
      {items.length === 0 ? (
        <EmptyState title={emptyTitle} />
      ) : (
        <div className="grid">{items.map(children)}</div>
      )}
    </section>
  );
}
