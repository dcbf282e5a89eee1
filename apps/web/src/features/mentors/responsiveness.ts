import type { MentorSummary } from '@mentorhub/contracts';

/** "Usually answers within 3 hours · 95% response rate"; empty before the mentor has requests to measure. */
export function describeResponsiveness({ rate, medianMinutes }: MentorSummary['responsiveness']): string {
  const within =
    medianMinutes === null
      ? null
      : medianMinutes < 60
        ? 'Usually answers within an hour'
        : `Usually answers within ${String(Math.ceil(medianMinutes / 60))} hours`;
  return [within, rate === null ? null : `${String(rate)}% response rate`].filter(Boolean).join(' · ');
}

/** Whether reliability strikes still keep the mentor from being booked (a cached profile may outlive the pause). */
export function stillPaused(pausedUntil: string | null): pausedUntil is string {
  return pausedUntil !== null && Date.parse(pausedUntil) > Date.now();
}
