import { createApiClient, type ApiClient } from '@mentorhub/api-client';
import { cookies, headers } from 'next/headers';
import { apiBaseUrl } from './config';

/**
 * The one server-side client to the API, acting as the visitor: it forwards their session cookie, their
 * address (server.mjs appends it to X-Forwarded-For) for the API's per-client limits and, for writes, the page
 * origin the API checks against CSRF.
 */
export async function api(): Promise<ApiClient> {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  const session = sessionCookieHeader(cookieStore.getAll());
  const origin = headerStore.get('origin') ?? originFromHost(headerStore);
  const forwardedFor = headerStore.get('x-forwarded-for') ?? undefined;
  return createApiClient({ baseUrl: apiBaseUrl(), cookie: session, origin, forwardedFor });
}

/** A client that sends no cookie: public, cacheable reads. */
export function publicApi(): ApiClient {
  return createApiClient({ baseUrl: apiBaseUrl() });
}

/**
 * A client that sends no cookie but the visitor's address: for public reads a cache rarely answers (free-text
 * searches, availability), which the API limits per client, so one busy visitor never spends everyone's budget.
 */
export async function visitorApi(): Promise<ApiClient> {
  const forwardedFor = (await headers()).get('x-forwarded-for') ?? undefined;
  return createApiClient({ baseUrl: apiBaseUrl(), forwardedFor });
}

export const SESSION_COOKIES = ['mh_session', '__Host-mh_session'] as const;

function sessionCookieHeader(all: { name: string; value: string }[]): string | undefined {
  const pairs = all
    .filter((cookie) => (SESSION_COOKIES as readonly string[]).includes(cookie.name))
    .map((cookie) => `${cookie.name}=${cookie.value}`);
  return pairs.length > 0 ? pairs.join('; ') : undefined;
}

function originFromHost(headerStore: Headers): string | undefined {
  const host = headerStore.get('x-forwarded-host') ?? headerStore.get('host');
  if (!host) return undefined;
  const proto = headerStore.get('x-forwarded-proto') ?? 'http';
  return `${proto}://${host}`;
}
