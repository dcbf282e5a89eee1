/** The smallest loading state, for inline parts (a button's result, a lazily loaded widget). */
export function MinimalLoadingFallback({ label = 'Loading…' }: { label?: string }) {
  return (
    <span className="minimal-loading" role="status">
      <span className="dot" aria-hidden="true" />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
