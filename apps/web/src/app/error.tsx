'use client';

export default function RouteError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="error-state" role="alert">
      <h1>Something went wrong</h1>
      <p>We could not load this page. It may be a temporary problem.</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
