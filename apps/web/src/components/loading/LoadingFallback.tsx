/** A route or section that is loading: a spinner and a polite status message for screen readers. */
export function LoadingFallback({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading-fallback" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}
