import { sql, type SelectQueryBuilder } from 'kysely';
import type { CursorKey } from '../pagination/cursor';

/** The order of a keyset-paginated list: one column and its direction; the list's id breaks ties the same way. */
export interface KeysetOrder {
  column: string;
  direction: 'asc' | 'desc';
}

/** Newest first by the timestamp `column`: the order of every history (reviews, reports, notifications, …). */
export const newestFirst = (column: string): KeysetOrder => ({ column, direction: 'desc' });

/**
 * The rows of one page of `query` in `order`, `idColumn` breaking ties (so an index on the two is walked in one
 * direction): those after the cursor's key when there is one, `limit + 1` of them (the extra row tells
 * `keysetPage` that a next page exists). The key's value is compared as the column's type, which PostgreSQL
 * infers from the row comparison.
 */
export function keysetPageQuery<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  order: KeysetOrder,
  idColumn: string,
  after: CursorKey | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  const column = sql.ref(order.column);
  const id = sql.ref(idColumn);
  const comparison = sql.raw(order.direction === 'desc' ? '<' : '>');
  const keyed = after
    ? query.where(sql<boolean>`(${column}, ${id}) ${comparison} (${after[0]}, ${after[1]})`)
    : query;
  return keyed
    .orderBy(column, order.direction)
    .orderBy(id, order.direction)
    .limit(limit + 1);
}

/**
 * A cursor's key as two top-level arguments of a statement compiled once (`compiledOnce` takes arguments by name),
 * and back (a type, not an interface: inputs of `compiledOnce` are records).
 */
export type CursorArguments = {
  afterValue: CursorKey[0] | undefined;
  afterId: number | undefined;
};

export function cursorArguments(after: CursorKey | undefined): CursorArguments {
  return { afterValue: after?.[0], afterId: after?.[1] };
}

export function cursorKeyOf({ afterValue, afterId }: CursorArguments): CursorKey | undefined {
  return afterValue === undefined || afterId === undefined ? undefined : [afterValue, afterId];
}
