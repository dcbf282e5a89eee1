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
