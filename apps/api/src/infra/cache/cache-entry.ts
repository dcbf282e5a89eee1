import { createHash } from 'node:crypto';

/** How long a response may be served: fresh until `ttlSeconds`, then served stale while one refresh runs. */
export interface CachePolicy {
  ttlSeconds: number;
  staleSeconds: number;
}

/** A cached response: the serialized body (a hit costs no serialization), its strong ETag and its tags. */
export interface CacheEntry {
  body: string;
  etag: string;
  tags: readonly string[];
  freshUntil: number;
  staleUntil: number;
  /** Compressed bodies, made on first demand and kept with the entry in the process. */
  encoded?: Partial<Record<'br' | 'gzip', Buffer>>;
  /** The body parsed, made on first demand (by answers that embed it) and kept: frozen, as every hit shares it. */
  parsed?: unknown;
}

/** JSON parsed and frozen all the way down, so a value many readers share cannot be changed by one of them. */
export function parseFrozen(json: string): unknown {
  return deepFreeze(JSON.parse(json));
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function strongEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

export function createEntry(
  body: string,
  tags: readonly string[],
  policy: CachePolicy,
  now = Date.now(),
): CacheEntry {
  const freshUntil = now + policy.ttlSeconds * 1000;
  return {
    body,
    etag: strongEtag(body),
    tags,
    freshUntil,
    staleUntil: freshUntil + policy.staleSeconds * 1000,
  };
}

/** Redis form: four header lines, then the body as stored — no JSON round trip for the body itself. */
export function serializeEntry(entry: CacheEntry): string {
  return `${entry.freshUntil}\n${entry.staleUntil}\n${entry.etag}\n${entry.tags.join(' ')}\n${entry.body}`;
}

export function parseEntry(text: string): CacheEntry | undefined {
  const lines: string[] = [];
  let offset = 0;
  for (let i = 0; i < 4; i++) {
    const end = text.indexOf('\n', offset);
    if (end === -1) return undefined;
    lines.push(text.slice(offset, end));
    offset = end + 1;
  }
  const [freshUntil, staleUntil, etag, tags] = lines as [string, string, string, string];
  if (!Number.isFinite(Number(freshUntil)) || !etag.startsWith('"')) return undefined;
  return {
    body: text.slice(offset),
    etag,
    tags: tags === '' ? [] : tags.split(' '),
    freshUntil: Number(freshUntil),
    staleUntil: Number(staleUntil),
  };
}
