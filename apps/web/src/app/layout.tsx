import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { signOut } from '@/features/auth/actions';
import { ReportTimezone } from '@/features/timezone/ReportTimezone';
import { hasSessionCookie } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'MentorHub — mentoring and courses', template: '%s · MentorHub' },
  description:
    'Find a mentor, book a 1:1 session in your timezone, and learn from courses taught by working engineers.',
  applicationName: 'MentorHub',
};

export const viewport: Viewport = { themeColor: '#1d4ed8', width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const signedIn = await hasSessionCookie();
  return (
    <html lang="en">
      <body>
        <ReportTimezone />
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav className="container nav" aria-label="Main">
            <Link href="/" className="brand">
              MentorHub
            </Link>
            <ul className="nav-links">
              <li>
                <Link href="/mentors">Mentors</Link>
              </li>
              <li>
                <Link href="/courses">Courses</Link>
              </li>
              {signedIn ? (
                <>
                  <li>
                    <Link href="/dashboard">Dashboard</Link>
                  </li>
                  <li>
                    <Link href="/studio">Studio</Link>
                  </li>
                  <li>
                    <Link href="/settings">Settings</Link>
                  </li>
                  <li>
                    <form action={signOut}>
                      <button type="submit" className="link-button">
                        Sign out
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <Link href="/sign-in">Sign in</Link>
                  </li>
                  <li>
                    <Link href="/sign-up" className="button button-small">
                      Sign up
                    </Link>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
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
