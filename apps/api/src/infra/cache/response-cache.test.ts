import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store';
import { ResponseCache, type CacheObserver } from './response-cache';

const POLICY = { ttlSeconds: 60, staleSeconds: 30 };
const ignored: CacheObserver = {
  hit: () => undefined,
  miss: () => undefined,
  coalesced: () => undefined,
  error: () => undefined,
  invalidated: () => undefined,
};

/** A cache with L1 only, and a loader per key that counts its runs. */
function l1Cache(maxBytes: number) {
  const cache = new ResponseCache(
    new MemoryStore({ maxEntries: 100, maxBytes }),
    undefined,
    ignored,
    pino({ level: 'silent' }),
  );
  const loads = new Map<string, number>();
  const parsedValue = async (key: string) => {
    const { entry } = await cache.getOrSet(key, POLICY, () => {
      loads.set(key, (loads.get(key) ?? 0) + 1);
      // A body of about a thousand characters.
      return Promise.resolve({
        body: JSON.stringify({ key, items: [{ name: 'x'.repeat(1000) }] }),
        tags: [],
      });
    });
    return cache.parsedBody(key, entry);
  };
  return { parsedValue, loads };
}

describe('a cached entry parsed for answers that embed it', () => {
  it('is parsed once: every hit shares one value, frozen all the way down', async () => {
    const { parsedValue } = l1Cache(1024 * 1024);
    const first = (await parsedValue('a')) as { items: { name: string }[] };
    expect(await parsedValue('a')).toBe(first);
    expect(Object.isFrozen(first.items[0])).toBe(true);
    expect(() => {
      (first.items[0] as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('counts its parsed value against L1’s byte bound', async () => {
    // Room for two entries kept as text, not for a parsed one beside another.
    const { parsedValue, loads } = l1Cache(6000);
    await parsedValue('old');
    await parsedValue('new'); // evicts the least recently used, 'old', to make room
    await parsedValue('new');
    await parsedValue('old');
    expect(loads).toEqual(
      new Map([
        ['old', 2],
        ['new', 1],
      ]),
    );
  });
});
