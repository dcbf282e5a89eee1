import { isApiError } from '@mentorhub/api-client';
import { timezoneSchema, type SessionUser } from '@mentorhub/contracts';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { api, SESSION_COOKIES } from './api/server';

/** Whether the request carries a session cookie at all: without one, nobody is signed in (no API call). */
async function hasSessionCookie(): Promise<boolean> {
  const store = await cookies();
  return SESSION_COOKIES.some((name) => store.has(name));
}

/** The signed-in user, or null; asked once per request however many components want it. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  if (!(await hasSessionCookie())) return null;
  try {
    return (await (await api()).auth.me()).user;
  } catch (error) {
    if (isApiError(error, 'UNAUTHENTICATED')) return null;
    throw error;
  }
});

/** The signed-in user; anyone else is sent to sign in and brought back here afterwards. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  return user;
}

/** The viewer's timezone: their profile's when signed in, else what their browser reported, else UTC. */
export async function viewerTimezone(user: SessionUser | null): Promise<string> {
  if (user) return user.timezone;
  return knownTimezone((await cookies()).get('tz')?.value) ?? 'UTC';
}

/** A zone as the API stores it (one name per zone, whichever the browser used); undefined for anything else. */
export function knownTimezone(zone: unknown): string | undefined {
  const parsed = timezoneSchema.safeParse(zone);
  return parsed.success ? parsed.data : undefined;
}
