'use client';

import { useEffect } from 'react';

/** The part of the Temporal API used here (browsers that ship it; TypeScript's DOM types do not have it yet). */
type WithTemporal = typeof globalThis & { Temporal?: { Now: { timeZoneId(): string } } };

const temporal = () => (globalThis as WithTemporal).Temporal;

/** Sets the `tz` cookie to the browser's timezone, unless it already says so. */
function reportTimezone(): void {
  try {
    const zone = encodeURIComponent(
      temporal()?.Now.timeZoneId() ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    );
    if (zone && !document.cookie.split('; ').includes(`tz=${zone}`))
      document.cookie = `tz=${zone};path=/;max-age=31536000;samesite=lax`;
  } catch {
    // No timezone support: times stay in UTC, labelled as such.
  }
}

/**
 * Tells the server the browser's timezone for the next request (a `tz` cookie), so times show in local time
 * before the visitor has a profile. Temporal names the zone at no cost. Without it, the zone comes from a date
 * formatter, whose first use loads the browser's locale data: a long task, left for when the browser is idle so
 * that it never holds up hydration or a first tap.
 */
export function ReportTimezone() {
  useEffect(() => {
    if (temporal()) {
      reportTimezone();
      return;
    }
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(reportTimezone, { timeout: 5000 });
      return () => {
        cancelIdleCallback(idle);
      };
    }
    const later = setTimeout(reportTimezone, 1000);
    return () => {
      clearTimeout(later);
    };
  }, []);
  return null;
}
