/** Where the server reaches the API. The browser never sees this: it calls `/api/*` on the web origin. */
export function apiBaseUrl(): string {
  return (process.env.API_URL ?? 'http://localhost:4000').replace(/\/+$/, '');
}
