import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './cache-entry';

/** What a parsed body is counted at, per character of its text: its objects weigh more than the UTF-16 text. */
const PARSED_BYTES_PER_CHAR = 3;

/**
 * Bytes an entry holds: its UTF-16 body, its parsed body once it has one, and bookkeeping, so the byte bound is
 * honest for large pages.
 */
const entrySize = (entry: CacheEntry): number =>
  entry.body.length * (2 + ('parsed' in entry ? PARSED_BYTES_PER_CHAR : 0)) + 256;

/** L1: an in-process LRU bounded by entries and bytes, with a tag index for invalidation. */
export class MemoryStore {
  private readonly lru: LRUCache<string, CacheEntry>;
  private readonly keysByTag = new Map<string, Set<string>>();

  constructor(options: { maxEntries: number; maxBytes: number }) {
    this.lru = new LRUCache<string, CacheEntry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: entrySize,
      dispose: (entry, key) => {
        this.unindex(key, entry);
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  get(key: string): CacheEntry | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: CacheEntry): void {
    const ttl = entry.staleUntil - Date.now();
    if (ttl <= 0 || entrySize(entry) > this.lru.maxSize) return;
    this.lru.set(key, entry, { ttl });
    for (const tag of entry.tags) {
      let keys = this.keysByTag.get(tag);
      if (!keys) this.keysByTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
  }

  /**
   * Counts a stored entry's parsed body against the byte bound: the LRU measures an entry only when it is set, so
   * the entry is stored again, or dropped if it no longer fits.
   */
  remeasure(key: string, entry: CacheEntry): void {
    if (this.lru.peek(key) !== entry) return;
    this.lru.delete(key);
    this.set(key, entry);
  }

  /** Drops every entry carrying any of the tags; returns how many were dropped. */
  deleteTags(tags: readonly string[]): number {
    let dropped = 0;
    for (const tag of tags) {
      for (const key of [...(this.keysByTag.get(tag) ?? [])]) {
        if (this.lru.delete(key)) dropped += 1;
      }
    }
    return dropped;
  }

  clear(): void {
    this.lru.clear();
    this.keysByTag.clear();
  }

  private unindex(key: string, entry: CacheEntry): void {
    for (const tag of entry.tags) {
      const keys = this.keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) this.keysByTag.delete(tag);
    }
  }
}
