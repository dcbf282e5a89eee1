import { sql, type RawBuilder } from 'kysely';
import { keysetPage, type CursorCodec, type CursorKey } from '../pagination/cursor';

/**
 * Answers PostgreSQL serializes itself, sent and cached as the text it returns: Node neither parses the rows into
 * objects nor serializes them again. Each such answer names its fields one by one (`jsonObject`), and a test
 * validates it against its response schema, compares it with the same answer built in Node, and checks that it is
 * as compact as `JSON.stringify` writes it.
 */

/** The fields of a JSON object in their order: a column (`'m.id'`) or an SQL expression. */
export type JsonFields = Record<string, string | RawBuilder<unknown>>;

/**
 * A JSON object of `fields`, in their order, over the rows of `from` when given (one row: the statement's own
 * otherwise). Printed as PostgreSQL prints a row, `{"a":1,"b":2}`: `json_build_object` would write
 * `{"a" : 1, "b" : 2}`, spaces every answer pays for. A json value is embedded as it is stored; a jsonb one would
 * be printed again with spaces (which is why `mentors.expertise` is stored as json).
 */
export function jsonObject(fields: JsonFields, from?: RawBuilder<unknown>): RawBuilder<unknown> {
  const columns = Object.entries(fields).map(
    ([key, value]) => sql`${typeof value === 'string' ? sql.ref(value) : value} AS ${sql.id(key)}`,
  );
  return sql`(SELECT row_to_json(o) FROM (SELECT ${sql.join(columns)}${from ? sql` FROM ${from}` : sql``}) o)`;
}

/**
 * An aggregate: the JSON array of `element` (json) over the aggregated rows, ordered by `orderBy`, compact; `[]`
 * for no rows (`json_agg` writes `, ` and a line break between objects).
 */
export function jsonArrayAgg(
  element: RawBuilder<unknown>,
  orderBy: RawBuilder<unknown>,
): RawBuilder<unknown> {
  return sql`('[' || coalesce(string_agg((${element})::text, ',' ORDER BY ${orderBy}), '') || ']')::json`;
}

/** A JSON answer as the text PostgreSQL sends: `jsonObject` of `fields`, for a column of the statement. */
export function jsonText(fields: JsonFields): RawBuilder<string> {
  return sql<string>`${jsonObject(fields)}::text`;
}

/** A timestamp as `Date.prototype.toISOString()` writes it: UTC, milliseconds, `Z`. */
export function isoInstant(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** JSON text of a value serialized in SQL, with the tags of the data it embeds (see `CachedRead.loadSerialized`). */
export interface SerializedValue {
  body: string;
  tags: string[];
}

/**
 * A keyset page whose items PostgreSQL serialized: their JSON texts joined into the page Node would have written,
 * `{"items":[…],"nextCursor":…}`.
 */
function serializedPage(items: readonly string[], nextCursor: string | null): string {
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

/** The serialized answer to a list request that can match nothing, tagged with its list. */
export function serializedEmptyPage(listTag: string): SerializedValue {
  return { body: serializedPage([], null), tags: [listTag] };
}

/**
 * One page of a keyset-paginated list (`keysetPage`) whose rows carry their item as PostgreSQL serialized it, in
 * `card`: the page's text, tagged with its list and with what each row embeds (`tagsOf`).
 */
export async function serializedKeysetPage<Row extends { card: string }>(
  request: { sort: string; cursor?: string | undefined; limit: number },
  codec: CursorCodec<Row>,
  fetchRows: (after: CursorKey | undefined) => Promise<Row[]>,
  listTag: string,
  tagsOf: (row: Row) => string[],
): Promise<SerializedValue> {
  const { items, nextCursor } = await keysetPage(request, codec, fetchRows, (row) => row);
  return {
    body: serializedPage(
      items.map((row) => row.card),
      nextCursor,
    ),
    tags: [listTag, ...items.flatMap(tagsOf)],
  };
}
