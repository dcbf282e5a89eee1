import { z } from 'zod';

/** Single-line text a person typed: trimmed, no control characters (a NUL byte would reach PostgreSQL as an error). */
export function singleLine(max: number) {
  return z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { error: 'must not contain control characters' });
}

/** Multi-line text: newlines and tabs allowed, other control characters refused. */
export function multiLine(max: number) {
  return z
    .string()
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^(?:[^\p{Cc}]|[\n\r\t])*$/u, { error: 'must not contain control characters' });
}

/** The zones offered and stored: the runtime's list, each zone under one name. */
const timezones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

/**
 * The runtime's name for a zone, whatever name it was given: browsers report IANA's current names ("Asia/Kolkata",
 * "Europe/Kyiv") or the older ones ("Asia/Calcutta"), in any letter case, and both mean one zone. A name already in
 * the list is its own: only other names pay for building a formatter.
 */
function canonicalZone(zone: string): string {
  if (timezones.has(zone)) return zone;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return zone;
  }
}

/** An IANA timezone under any of its names, given on as the one name the zone list uses. */
export const timezoneSchema = z
  .string()
  .max(64)
  .overwrite(canonicalZone)
  .refine((zone) => timezones.has(zone), { error: 'must be an IANA timezone such as "Europe/Berlin"' });
