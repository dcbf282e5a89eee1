import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor, toPage } from './cursor';

describe('keyset cursors', () => {
  it('round-trips the sort key and id', () => {
    expect(decodeCursor(encodeCursor('rating', ['4.50', 17]), 'rating', 'decimal')).toEqual(['4.50', 17]);
    expect(decodeCursor(encodeCursor('price', [2500, 3]), 'price', 'integer')).toEqual([2500, 3]);
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['wrong arity', Buffer.from('["rating",1]').toString('base64url')],
    ['wrong value type', Buffer.from('["rating",1,2]').toString('base64url')],
    ['bad id', Buffer.from('["rating","4.5",-2]').toString('base64url')],
    ['other sort', encodeCursor('price', [1, 1])],
    ['id past the integer column', encodeCursor('rating', ['4.50', 2_147_483_648])],
    ['value that is not a decimal', encodeCursor('rating', ['abc', 1])],
  ])('rejects a cursor with %s as a 400 on query.cursor', (_, cursor) => {
    try {
      decodeCursor(cursor, 'rating', 'decimal');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ statusCode: 400, details: [{ path: 'query.cursor' }] });
    }
  });

  it.each([
    ['integer', 1e300],
    ['integer', 1.5],
    ['integer', '5'],
    ['instant', 'garbage'],
    ['instant', '99999-01-01'],
    ['decimal', '1e3'],
  ] as const)('rejects a %s sort value %j', (kind, value) => {
    expect(() => decodeCursor(encodeCursor('newest', [value, 1]), 'newest', kind)).toThrow(AppError);
  });

  it('pages limit+1 rows into items and the next cursor', () => {
    const rows = [1, 2, 3];
    expect(toPage(rows, 2, (n) => n * 10, String)).toEqual({ items: [10, 20], nextCursor: '2' });
    expect(toPage(rows, 3, (n) => n, String)).toEqual({ items: [1, 2, 3], nextCursor: null });
  });
});
