'use client';

import { useEffect } from 'react';

/**
 * Tells the server the browser's timezone for the next request (a `tz` cookie), so times show in local time
 * before the visitor has a profile. After hydration: the first use of Intl loads the browser's timezone data,
 * which need not delay the first paint.
 */
export function ReportTimezone() {
  useEffect(() => {
    try {
      const zone = encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone);
      if (zone && !document.cookie.split('; ').includes(`tz=${zone}`))
        document.cookie = `tz=${zone};path=/;max-age=31536000;samesite=lax`;
    } catch {
      // No timezone support: times stay in UTC, labelled as such.
    }
  }, []);
  return null;
}
