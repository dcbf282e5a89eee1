import Link from 'next/link';
import type { ReactNode } from 'react';

/**
 * One page of search results: the cards, then links to the first page (when not on it) and the next page (when
 * there is one). Pages are keyset cursors in the URL, so every page is a plain, linkable GET.
 */
export function ResultsGrid({
  children,
  firstPageHref,
  nextPageHref,
  withPager,
}: {
  children: ReactNode;
  firstPageHref: string | null;
  nextPageHref: string | null;
  /** Shown with the pager (what warms the next page's images). */
  withPager?: ReactNode;
}) {
  return (
    <section aria-labelledby="results-heading">
      <h2 id="results-heading" className="visually-hidden">
        Results
      </h2>
      <div className="grid">{children}</div>
      <nav className="pager" aria-label="Result pages">
        {firstPageHref ? <Link href={firstPageHref}>First page</Link> : <span />}
        {nextPageHref ? (
          <Link href={nextPageHref} rel="next">
            Next page
          </Link>
        ) : null}
        {withPager}
      </nav>
    </section>
  );
}
