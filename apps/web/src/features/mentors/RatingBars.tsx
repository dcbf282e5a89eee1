/** The distribution of stars as a labelled list of bars (a chart that is also a table for screen readers). */
export function RatingBars({
  distribution,
  count,
}: {
  distribution: Record<1 | 2 | 3 | 4 | 5, number>;
  count: number;
}) {
  if (count === 0) return null;
  return (
    <dl className="rating-bars">
      {([5, 4, 3, 2, 1] as const).map((stars) => {
        const n = distribution[stars];
        return (
          <div key={stars} className="rating-bar">
            <dt>{stars === 1 ? '1 star' : `${stars} stars`}</dt>
            <dd>
              <span className="bar" aria-hidden="true">
                <span style={{ width: `${Math.round((100 * n) / count)}%` }} />
              </span>
              {n}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
