import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { CacheEntry, CachePolicy, ResponseCache } from '../cache/index';

/** What a module says about one cacheable response: its key, freshness, and the tags of the data it embeds. */
export interface CachedResponseSpec<T> {
  key: string;
  policy: CachePolicy;
  /** `private`: one user's own data (keyed by them); browsers may keep it, shared caches must not. */
  visibility?: 'public' | 'private';
  tags: (value: T) => string[];
}

const COMPRESS_FROM_BYTES = 1024;
const encodings = new Negotiator<'br' | 'gzip'>({ supportedValues: ['br', 'gzip'] });

function encode(entry: CacheEntry, encoding: 'br' | 'gzip'): Buffer {
  entry.encoded ??= {};
  return (entry.encoded[encoding] ??=
    encoding === 'br'
      ? brotliCompressSync(entry.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
      : gzipSync(entry.body, { level: 6 }));
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x". */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/** The cache entry of `spec`; on a miss, `load`ed and serialized through `schema`. */
function cachedEntry<T>(
  cache: ResponseCache,
  spec: CachedResponseSpec<T>,
  schema: z.ZodType<T>,
  load: () => Promise<T>,
) {
  return cache.getOrSet(spec.key, spec.policy, async () => {
    const value = schema.parse(await load());
    return { body: JSON.stringify(value), tags: spec.tags(value) };
  });
}

/**
 * The value a cached response holds, for answers that embed it (GraphQL) rather than send it: the same entry,
 * so either API warms the cache for the other, and the same invalidation.
 */
export async function cachedValue<T>(
  cache: ResponseCache,
  spec: CachedResponseSpec<T>,
  schema: z.ZodType<T>,
  load: () => Promise<T>,
): Promise<T> {
  const { entry } = await cachedEntry(cache, spec, schema, load);
  return JSON.parse(entry.body) as T;
}

/**
 * Answers a GET from the response cache: the body is serialized once (through the response schema, so
 * private fields can never be cached or sent), carries a strong ETag, revalidates to 304, and is compressed once
 * per cached entry rather than once per request.
 */
export async function replyCached<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  cache: ResponseCache,
  spec: CachedResponseSpec<T>,
  schema: z.ZodType<T>,
  load: () => Promise<T>,
): Promise<void> {
  const { entry, status } = await cachedEntry(cache, spec, schema, load);
  request.cacheStatus = status;
  reply
    .header('etag', entry.etag)
    .header('cache-control', `${spec.visibility ?? 'public'}, max-age=0, must-revalidate`)
    .header('vary', 'accept-encoding');
  if (matchesEtag(request.headers['if-none-match'], entry.etag)) {
    reply.code(304).send();
    return;
  }

  reply.type('application/json; charset=utf-8');
  const accepted = request.headers['accept-encoding'];
  const encoding =
    entry.body.length >= COMPRESS_FROM_BYTES && accepted ? encodings.negotiate(accepted) : null;
  if (encoding) reply.header('content-encoding', encoding).send(encode(entry, encoding));
  else reply.send(entry.body);
}
