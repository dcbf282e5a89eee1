import type { SessionUser } from '@mentorhub/contracts';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { signOut } from '@/features/auth/actions';
import { UnreadMessagesCount } from '@/features/messaging/UnreadMessagesCount';
import { optional } from '@/lib/api/optional';
import { currentUser } from '@/lib/session';

interface NavLink {
  href: string;
  label: string;
  primary?: boolean;
  /** Streamed after the label, so the header never waits for it. */
  suffix?: ReactNode;
}

/** The header's links: only what this visitor can use (the studio for mentors, the outbox for admins), with unread messages counted. */
function linksFor(user: SessionUser | null): NavLink[] {
  const browse = [
    { href: '/mentors', label: 'Mentors' },
    { href: '/courses', label: 'Courses' },
  ];
  if (!user)
    return [
      ...browse,
      { href: '/sign-in', label: 'Sign in' },
      { href: '/sign-up', label: 'Sign up', primary: true },
    ];
  return [
    ...browse,
    { href: '/dashboard', label: 'Dashboard' },
    {
      href: '/messages',
      label: 'Messages',
      suffix: (
        <Suspense fallback={null}>
          <UnreadMessagesCount />
        </Suspense>
      ),
    },
    user.mentorId !== null
      ? { href: '/studio', label: 'Studio' }
      : { href: '/studio', label: 'Become a mentor' },
    ...(user.role === 'admin'
      ? [
          { href: '/admin/moderation', label: 'Moderation' },
          { href: '/admin/outbox', label: 'Outbox' },
        ]
      : []),
    { href: '/settings', label: 'Settings' },
  ];
}

function NavList({ links, signedIn }: { links: readonly NavLink[]; signedIn: boolean }) {
  return (
    <ul className="nav-links">
      {links.map((link) => (
        <li key={link.label}>
          <Link href={link.href} className={link.primary ? 'button button-small' : undefined}>
            {link.label}
            {link.suffix}
          </Link>
        </li>
      ))}
      {signedIn ? (
        <li>
          <form action={signOut}>
            <button type="submit" className="link-button">
              Sign out
            </button>
          </form>
        </li>
      ) : null}
    </ul>
  );
}

/**
 * The site's header. Wide screens show the links in a row; phones get the same list behind a Menu button (a
 * `<details>`, so it opens without JavaScript). CSS shows one of the two.
 */
export async function SiteHeader() {
  // When the API cannot say who is signed in, the header offers signing in rather than failing the page.
  const user = await optional(currentUser());
  const links = linksFor(user);
  return (
    <header className="site-header">
      <nav className="container nav" aria-label="Main">
        <Link href="/" className="brand">
          MentorHub
        </Link>
        <div className="nav-wide">
          <NavList links={links} signedIn={user !== null} />
        </div>
        <details className="nav-menu">
          <summary>Menu</summary>
          <NavList links={links} signedIn={user !== null} />
        </details>
      </nav>
    </header>
  );
}

/**
 * The header's bar before the header itself streams in: as tall as the bar, so the page below it does not jump
 * down when the header arrives (a layout shift).
 */
export function SiteHeaderPlaceholder() {
  return (
    <div className="site-header header-placeholder" aria-hidden="true">
      <div className="container nav" />
    </div>
  );
}
