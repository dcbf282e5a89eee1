import { parseSetCookie } from './set-cookie';

interface CookieWriter {
  set(name: string, value: string, options: Record<string, unknown>): unknown;
}

/** Passes the API's session cookie on to the browser, on the web origin (the browser's one origin). */
export async function applySetCookies(store: CookieWriter, setCookies: readonly string[]): Promise<void> {
  for (const header of setCookies) {
    const cookie = parseSetCookie(header);
    if (!cookie) continue;
    store.set(cookie.name, cookie.value, {
      path: cookie.path ?? '/',
      httpOnly: cookie.httpOnly,
      secure: cookie.secure,
      sameSite: cookie.sameSite ?? 'lax',
      ...(cookie.maxAge !== undefined ? { maxAge: cookie.maxAge } : {}),
      ...(cookie.expires ? { expires: cookie.expires } : {}),
    });
  }
  return Promise.resolve();
}
