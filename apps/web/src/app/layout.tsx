import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { signOut } from '@/features/auth/actions';
import { hasSessionCookie } from '@/lib/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'MentorHub — mentoring and courses', template: '%s · MentorHub' },
  description:
    'Find a mentor, book a 1:1 session in your timezone, and learn from courses taught by working engineers.',
  applicationName: 'MentorHub',
};

export const viewport: Viewport = { themeColor: '#1d4ed8', width: 'device-width', initialScale: 1 };

// Tells the server the browser's timezone for the next request, so availability shows in local time. It runs on
// the first interaction, which comes before any navigation the visitor starts: the first use of Intl loads the
// browser's timezone data, tens of milliseconds that would otherwise delay the first paint.
const reportTimezone = `try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&document.cookie.indexOf('tz='+encodeURIComponent(z))<0)document.cookie='tz='+encodeURIComponent(z)+';path=/;max-age=31536000;samesite=lax'}catch(e){}`;

// The production server (server.mjs) makes the page's framework scripts inert so nothing runs while the page
// loads; they are fetched and started by the first interaction (at once on pages with a
// client-only part marked data-hydrate="eager"). Pages work as plain HTML until then (links, GET and POST forms).
const startOnInteraction = `(function(){var e=['pointerdown','keydown','touchstart','focusin','wheel','scroll'],s=0;function r(){var l=document.querySelectorAll('script[type="text/mentorhub-deferred"]'),c=[];l.forEach(function(o){var n=document.createElement('script');if(o.hasAttribute('data-src')){n.src=o.getAttribute('data-src');n.async=true;c.push([o,n])}else{n.text=o.text;o.replaceWith(n)}});c.forEach(function(p){p[0].replaceWith(p[1])})}function g(){if(s)return;s=1;${reportTimezone}e.forEach(function(t){removeEventListener(t,g,true)});document.readyState==='loading'?document.addEventListener('DOMContentLoaded',r):r()}e.forEach(function(t){addEventListener(t,g,{capture:true,passive:true})});document.addEventListener('DOMContentLoaded',function(){if(document.querySelector('[data-hydrate=eager]'))g()})})();`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  const signedIn = await hasSessionCookie();
  return (
    <html lang="en">
      <body>
        <script dangerouslySetInnerHTML={{ __html: startOnInteraction }} />
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
