import { sql, type RawBuilder } from 'kysely';
import { keysetPage, type CursorCodec, type CursorKey } from '../pagination/cursor';

/**
 * Answers PostgreSQL serializes itself (`json_build_object`), sent and cached as the text it returns: Node neither
 * parses the rows into objects nor serializes them again. Each such answer names its columns one by one, and a
 * test validates it against its response schema and compares it with the same answer built in Node.
 */

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
