import { sql, type RawBuilder } from 'kysely';

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
export function serializedPage(items: readonly string[], nextCursor: string | null): string {
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
