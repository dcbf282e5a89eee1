/**
 * Grey placeholders in the shape of the content that is coming (a grid of cards or a list of rows), so nothing
 * jumps when it arrives.
 */
export function SkeletonFallback({
  kind = 'cards',
  count = 6,
  label = 'Loading…',
}: {
  kind?: 'cards' | 'rows' | 'profile';
  count?: number;
  label?: string;
}) {
  return (
    <div className={`skeleton skeleton-${kind}`} role="status" aria-live="polite">
      <span className="visually-hidden">{label}</span>
      {Array.from({ length: kind === 'profile' ? 1 : count }, (_, i) => (
        <div key={i} className="skeleton-item" aria-hidden="true">
          <div className="skeleton-block skeleton-media" />
          <div className="skeleton-block skeleton-line" />
          <div className="skeleton-block skeleton-line short" />
        </div>
      ))}
    </div>
  );
}
