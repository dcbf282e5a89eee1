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
export type CursorValueKind = 'integer' | 'bigint' | 'decimal' | 'instant';

const cursorValueSchemas: Record<CursorValueKind, z.ZodType> = {
  // Prices and counts: integer columns.
  integer: wholeNumberSchema(0, INT4_MAX),
  // bigint ids (messages), as far as JavaScript numbers are exact.
  bigint: wholeNumberSchema(0, Number.MAX_SAFE_INTEGER),
  // A numeric column as PostgreSQL writes it, e.g. an average rating "4.50".
  decimal: decimalParamSchema(0, INT4_MAX),
  // A timestamp as toISOString() writes it.
  instant: instantSchema,
};

/** How a list's cursor is made and read: the kind of its sort key, and a row's sort key (its value and id). */
export interface CursorCodec<Row> {
  kind: CursorValueKind;
  keyOf: (row: Row) => CursorKey;
}

/**
 * One public sort order of a list, defined once: the column it orders by and which way (the id breaks ties the
 * same way), which drive ORDER BY and the keyset comparison, and the cursor codec of its key.
 */
export interface SortOrder<Row, Column extends string = string> extends CursorCodec<Row> {
  column: Column;
  direction: 'asc' | 'desc';
}

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
 * One page of a keyset-paginated list in the sort order named `sort`: decodes the cursor with the order's codec,
 * fetches `limit + 1` rows after it and returns the page with the cursor of the next one.
 */
export async function keysetPage<Row, Item>(
  request: { sort: string; cursor?: string | undefined; limit: number },
  codec: CursorCodec<Row>,
  fetchRows: (after: CursorKey | undefined) => Promise<Row[]>,
  toItem: (row: Row) => Item,
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const { sort, cursor, limit } = request;
  const after = cursor ? decodeCursor(cursor, sort, codec.kind) : undefined;
  const rows = await fetchRows(after);
  return toPage(rows, limit, toItem, (row) => encodeCursor(sort, codec.keyOf(row)));
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
