/**
 * Turns free text into a prefix tsquery ("type scr" → "type:* & scr:*"), so a search box matches as the
 * user types. Only letters and digits survive, so the result can never be a malformed tsquery.
 */
export function toPrefixTsQuery(text: string): string | null {
  const words =
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu)
      ?.slice(0, 8) ?? [];
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(' & ');
}
