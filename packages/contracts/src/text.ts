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

const timezones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

export const timezoneSchema = z
  .string()
  .max(64)
  .refine((zone) => timezones.has(zone), { error: 'must be an IANA timezone such as "Europe/Berlin"' });
