import {
  decimalParamSchema,
  idSchema,
  instantSchema,
  INT4_MAX,
  wholeNumberSchema,
} from '@mentorhub/contracts';
import type { z } from 'zod';
import { invalidField } from '../errors/app-error';

/**
 * Keyset cursors: the sort they belong to plus the last row's sort key and id, as base64url JSON.
 * Opaque to clients; a cursor from another sort, or one that was tampered with, is a 400, never a wrong page.
 */
export type CursorKey = readonly [value: string | number, id: number];

/**
 * What a sort's key is. A cursor is checked against it before its values reach SQL: an altered one (an id past
 * the integer column, a date that is not one) would otherwise fail in the database with a 500.
 */
export type CursorValueKind = 'integer' | 'decimal' | 'instant';

const cursorValueSchemas: Record<CursorValueKind, z.ZodType> = {
  // Prices and counts: integer columns.
  integer: wholeNumberSchema(0, INT4_MAX),
  // A numeric column as PostgreSQL writes it, e.g. an average rating "4.50".
  decimal: decimalParamSchema(0, INT4_MAX),
  // A timestamp as toISOString() writes it.
  instant: instantSchema,
};

export function encodeCursor(sort: string, key: CursorKey): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

export function decodeCursor(cursor: string, sort: string, valueKind: CursorValueKind): CursorKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidField('query.cursor', 'is not a cursor returned by this API');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) {
    throw invalidField('query.cursor', 'is not a cursor returned by this API');
  }
  const [cursorSort, value, id] = decoded as unknown[];
  if (cursorSort !== sort) throw invalidField('query.cursor', `belongs to another sort order than "${sort}"`);
  if (!cursorValueSchemas[valueKind].safeParse(value).success || !idSchema.safeParse(id).success) {
    throw invalidField('query.cursor', 'is not a cursor returned by this API');
  }
  // Handed on as written: the decimal "4.50" compares exactly in SQL.
  return [value as string | number, id as number];
}

/** The answer to a list request that can match nothing (e.g. a search with no letters or digits). */
export const emptyPage: { items: never[]; nextCursor: null } = { items: [], nextCursor: null };

/**
 * One page of a keyset-paginated list: decodes the cursor for the requested sort, fetches `limit + 1` rows after
 * it and returns the page with the cursor of the next one.
 */
export async function keysetPage<Sort extends string, Row, Item>(
  request: { sort: Sort; cursor?: string | undefined; limit: number },
  cursorValueKinds: Record<Sort, CursorValueKind>,
  fetchRows: (after: CursorKey | undefined) => Promise<Row[]>,
  toItem: (row: Row) => Item,
  sortKeyOf: (row: Row, sort: Sort) => CursorKey,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const { sort, cursor, limit } = request;
  const after = cursor ? decodeCursor(cursor, sort, cursorValueKinds[sort]) : undefined;
  const rows = await fetchRows(after);
  return toPage(rows, limit, toItem, (row) => encodeCursor(sort, sortKeyOf(row, sort)));
}

/** Splits the `limit + 1` rows a list query fetched into the page and the cursor of the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => string,
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(toItem), nextCursor: hasMore && last !== undefined ? cursorOf(last) : null };
}
