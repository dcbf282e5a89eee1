/**
 * A cache key from a validated query: keys sorted, absent values dropped, lists sorted, so equivalent
 * requests (`?a=1&b=2` and `?b=2&a=1`) share one entry.
 */
export function queryKey(prefix: string, query: Record<string, unknown>): string {
  const parts = Object.keys(query)
    .sort()
    .filter((name) => query[name] !== undefined)
    .map((name) => {
      const value = query[name];
      return `${name}=${Array.isArray(value) ? [...(value as unknown[])].map(String).sort().join(',') : String(value)}`;
    });
  return `${prefix}?${parts.join('&')}`;
}
