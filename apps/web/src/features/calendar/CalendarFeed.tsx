'use client';

import { useActionState, useId, useState } from 'react';
import { issueCalendarFeed, type FeedState } from './actions';

/**
 * Creates or rotates the personal calendar feed. Its URL is shown once, right after it is issued, with a button
 * to copy it; the page itself never knows it afterwards (only its SHA-256 is stored).
 */
export function CalendarFeed({ exists }: { exists: boolean }) {
  const [state, action, pending] = useActionState<FeedState, FormData>(issueCalendarFeed, {});
  const [copied, setCopied] = useState(false);
  const id = useId();
  const issued = state.url !== undefined || exists;
  return (
    <form
      action={action}
      className="form"
      onSubmit={() => {
        setCopied(false);
      }}
    >
      {state.message ? (
        <p role="alert" className="notice notice-error">
          {state.message}
        </p>
      ) : null}
      {state.url ? (
        <div className="field">
          <label htmlFor={`${id}-url`}>Your calendar feed URL</label>
          <input
            id={`${id}-url`}
            type="text"
            readOnly
            value={state.url}
            onFocus={(e) => {
              e.target.select();
            }}
          />
          <p className="hint">
            Subscribe to it in your calendar app. It is shown only now; anyone with it can see your sessions.
          </p>
          <button
            type="button"
            className="button button-small button-secondary"
            onClick={() => {
              void navigator.clipboard.writeText(state.url ?? '').then(() => {
                setCopied(true);
              });
            }}
          >
            {copied ? 'Copied' : 'Copy URL'}
          </button>
        </div>
      ) : (
        <p className="muted">
          {exists
            ? 'You have a calendar feed. Rotate it to get a new URL; the old one stops working at once.'
            : 'Subscribe to your sessions from Google Calendar, Outlook or Apple Calendar with a private URL.'}
        </p>
      )}
      <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
        {pending ? 'Working…' : issued ? 'Rotate feed URL' : 'Create feed URL'}
      </button>
    </form>
  );
}
