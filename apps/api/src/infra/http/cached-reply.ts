import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { Database } from '@mentorhub/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { CacheEntry, CachePolicy, CacheResult } from '../cache/index';
import type { ServiceContext } from '../context';
import type { SerializedValue } from '../db/json';
import { readContextOf } from './expensive-reads';

/**
 * One cached read, defined once in its domain module and answered by both APIs: REST sends the entry
 * (`replyCached`), GraphQL embeds its value (`cachedValue`). Either fills the cache for the other.
 */
export type CachedRead<Input, T> = CachedReadSpec<Input, T> &
  (LoadedInNode<Input, T> | SerializedInSql<Input>);

interface CachedReadSpec<Input, T> {
  key: (input: Input) => string;
  policy: CachePolicy;
  /** `private`: one user's own data (keyed by them); browsers may keep it, shared caches must not. */
  visibility?: 'public' | 'private';
  /**
   * The response schema. Values loaded in Node are serialized through it, so private fields can never be cached
   * or sent; answers serialized in SQL are held to it by a test.
   */
  schema: z.ZodType<T>;
  /** Misses of this input count against the client's budget of expensive reads (hits never do). */
  expensive?: (input: Input) => boolean;
}

interface LoadedInNode<Input, T> {
  /** Reads the value from the database, on a miss only. */
  load: (db: Kysely<Database>, input: Input) => Promise<T>;
  /** The tags of every piece of data the value embeds: a write to any of them drops the entry. */
  tags: (value: T, input: Input) => string[];
}

interface SerializedInSql<Input> {
  /** Reads the answer as PostgreSQL serialized it, with the tags of every piece of data it embeds; on a miss only. */
  loadSerialized: (db: Kysely<Database>, input: Input) => Promise<SerializedValue>;
}

/** What a cached read is answered with: the cache, the database a miss reads, and the client's read budget. */
export interface ReadContext extends ServiceContext {
  /** Charges one expensive read to the requesting client; throws 429 beyond its budget. */
  chargeExpensiveRead: () => Promise<void>;
}

/**
 * Options of every route whose answers all come from `replyCached`: entries are compressed once, in the cache, so the
 * per-request compression hooks have nothing to do there and are left off (a route that may also answer uncached
 * bodies, like a course draft, keeps them).
 */
export const answeredFromCache = { compress: false } as const;

const CACHE_CONTROL = {
  public: 'public, max-age=0, must-revalidate',
  private: 'private, max-age=0, must-revalidate',
} as const;

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

/** The cache entry of `read` for `input` (its `key`); on a miss, loaded and serialized through its schema. */
function cachedEntry<Input, T>(ctx: ReadContext, read: CachedRead<Input, T>, input: Input, key: string) {
  return ctx.cache.getOrSet(
    key,
    read.policy,
    async () => {
      if ('loadSerialized' in read) return read.loadSerialized(ctx.db, input);
      const value = read.schema.parse(await read.load(ctx.db, input));
      return { body: JSON.stringify(value), tags: read.tags(value, input) };
    },
    read.expensive?.(input) ? ctx.chargeExpensiveRead : undefined,
  );
}

/**
 * The value a cached read holds, for answers that embed it (GraphQL) rather than send it: parsed once per entry
 * and shared by every hit, so it is frozen.
 */
export async function cachedValue<Input, T>(
  ctx: ReadContext,
  read: CachedRead<Input, T>,
  input: Input,
): Promise<T> {
  const key = read.key(input);
  const { entry } = await cachedEntry(ctx, read, input, key);
  return ctx.cache.parsedBody(key, entry) as T;
}

/**
 * Answers a GET from the response cache: the body is serialized once, carries a strong ETag, revalidates to 304,
 * and is compressed once per cached entry rather than once per request. An L1 hit is answered without a promise.
 */
export function replyCached<Input, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  read: CachedRead<Input, T>,
  input: Input,
): void | Promise<void> {
  const found = cachedEntry(readContextOf(request), read, input, read.key(input));
  if (found instanceof Promise)
    return found.then((result) => {
      sendEntry(request, reply, read, result);
    });
  sendEntry(request, reply, read, found);
}

function sendEntry<Input, T>(
  request: FastifyRequest,
  reply: FastifyReply,
  read: CachedRead<Input, T>,
  { entry, status }: CacheResult,
): void {
  request.cacheStatus = status;
  reply
    .header('etag', entry.etag)
    .header('cache-control', CACHE_CONTROL[read.visibility ?? 'public'])
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
