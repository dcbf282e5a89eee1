import type { Metadata, Viewport } from 'next';
import { Suspense, type ReactNode } from 'react';
import { SiteHeader, SiteHeaderPlaceholder } from '@/components/layout/SiteHeader';
import { ReportTimezone } from '@/features/timezone/ReportTimezone';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'MentorHub — mentoring and courses', template: '%s · MentorHub' },
  description:
    'Find a mentor, book a 1:1 session in your timezone, and learn from courses taught by working engineers.',
  applicationName: 'MentorHub',
};

export const viewport: Viewport = { themeColor: '#1d4ed8', width: 'device-width', initialScale: 1 };

// Every page shows who is signed in (the header reads the session cookie): none is prerendered at build time.
export const dynamic = 'force-dynamic';

// The layout waits for no API answer, so a page with a loading state sends it in the first bytes; the header asks
// who is signed in behind its own boundary.
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <noscript>
          {/* Without JavaScript, streamed parts stay where React parks them, hidden after the page: show them
              there, and drop the placeholders they would have replaced. The header's unread count would land
              far from its link, so it stays hidden (the inbox shows it). */}
          <style>
            {
              "[hidden][id^='S:']{display:block}[hidden][id^='S:']:has(>.unread-count){display:none}.loading-fallback,.skeleton,.header-placeholder{display:none}"
            }
          </style>
        </noscript>
      </head>
      <body>
        <ReportTimezone />
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {/* A boundary of its own: a first tap in the page's content hydrates that content without first hydrating
            the header (React hydrates what an input needs first, boundary by boundary). Its content may stream in
            after the page's, so the placeholder holds the bar's height. */}
        <Suspense fallback={<SiteHeaderPlaceholder />}>
          <SiteHeader />
        </Suspense>
        <main id="main" className="container" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            <p>MentorHub — learn from people who have done it.</p>
          </div>
        </footer>
      </body>
    </html>
  );
}
