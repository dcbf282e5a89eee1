'use client';

import type { LiveEvent } from '@mentorhub/contracts';
import { liveCloseCodes } from '@mentorhub/contracts/live-close-codes';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { describeNotification } from '@/features/notifications/describe';

/** Waits before reconnecting: growing, with jitter so a restarted server is not hit by every tab at once. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Keeps a socket to `/api/ws` open while the dashboard or a messages page is shown: each event re-renders the
 * page's server data (router.refresh) and a notification is read out in a polite live region. Reconnects with backoff after a drop
 * and refreshes then too, since events may have been missed meanwhile; stops once the session has ended.
 */
export function LiveUpdates({ timezone }: { timezone: string }) {
  const router = useRouter();
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let refresh: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    // A booking event and its notification arrive together: one refresh for both.
    const refreshSoon = () => {
      clearTimeout(refresh);
      refresh = setTimeout(() => {
        router.refresh();
      }, 100);
    };
    const connect = () => {
      const url = new URL('/api/ws', window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      socket = new WebSocket(url);
      socket.onopen = () => {
        if (failures > 0) refreshSoon();
        failures = 0;
      };
      socket.onmessage = (message: MessageEvent<string>) => {
        const event = JSON.parse(message.data) as LiveEvent;
        if (event.type === 'notification')
          setAnnouncement(describeNotification(event.notification, timezone));
        refreshSoon();
      };
      socket.onclose = (close: CloseEvent) => {
        if (stopped) return;
        // Signed out (in another tab, or by a password change): re-render, and the page sends the user to sign in.
        if (close.code === liveCloseCodes.sessionEnded) {
          router.refresh();
          return;
        }
        const base = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 30_000;
        failures += 1;
        retry = setTimeout(connect, base * (0.75 + Math.random() / 2));
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(refresh);
      socket?.close();
    };
  }, [router, timezone]);

  // Rendered (empty) with the page, so screen readers know the region before anything is announced.
  return (
    <p className="live-updates notice notice-success" aria-live="polite">
      {announcement}
    </p>
  );
}
