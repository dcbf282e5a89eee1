import { z } from 'zod';

/**
 * The scalars on the wire, parsed by one rule each. None of them can throw on any input: a value is either
 * accepted and within the bounds of the column it lands in, or refused with a field message.
 *
 * JSON bodies are typed: a number field takes a JSON number, never a string, boolean or array.
 * The query string and the path carry only text, so their integers follow one documented rule: decimal digits
 * only (no sign, spaces, exponent, hex or empty value), then the bounds.
 */

/** The largest PostgreSQL `integer`: every id column, and the ceiling of every count the API accepts. */
export const INT4_MAX = 2_147_483_647;

/** Dates and instants are accepted from 1900-01-01 to 2999-12-31 (UTC): inside what PostgreSQL and every client
 * calendar handle, and wide enough for any booking, availability or history the product has. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2999-12-31';
const dateRangeMessage = `must be between ${EARLIEST_DATE} and ${LATEST_DATE}`;

/** More digits than this exceed every bound (the largest, INT4_MAX, has ten). */
const MAX_DIGITS = 10;
const integerText = new RegExp(`^\\d{1,${MAX_DIGITS}}$`);
const decimalText = new RegExp(`^\\d{1,${MAX_DIGITS}}(\\.\\d{1,${MAX_DIGITS}})?$`);

/** Text that must match `format` as a whole, read as a number and bounded; the format makes `Number` exact. */
function numberFromText(format: RegExp, formatError: string, min: number, max: number) {
  return z
    .string({ error: formatError })
    .regex(format, { error: formatError })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );
}

/** An integer in the query string or the path, read by the rule above. */
export const integerParamSchema = (min: number, max: number) =>
  numberFromText(integerText, 'must be a whole number written in decimal digits', min, max);

/** A decimal in the query string: digits, optionally a point and more digits. */
export const decimalParamSchema = (min: number, max: number) =>
  numberFromText(decimalText, 'must be a number written in decimal digits, such as 4.5', min, max);

/** A whole JSON number within bounds (a count, an amount, an id in a body). */
export function wholeNumberSchema(min: number, max: number) {
  return z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });
}

/** A database id in a JSON body: a whole JSON number within the `integer` column. */
export const idSchema = wholeNumberSchema(1, INT4_MAX);

/** A database id in the path or the query string: digits only, so "1e3" or "0x10" never alias another row. */
export const idParamSchema = integerParamSchema(1, INT4_MAX);

/** Whether text is an id in the form `idParamSchema` accepts; for keys that are an id or something else. */
export const isIdParam = (text: string): boolean => idParamSchema.safeParse(text).success;

/** Range checks read only values the format accepted, so a malformed value gets one message, not two. */
const whenWellFormed = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };

/** A calendar date, `YYYY-MM-DD`, that exists (no February 30th), within the accepted range. */
export const calendarDateSchema = z.iso
  .date({ error: 'must be a calendar date like 2026-03-29' })
  .refine((date) => date >= EARLIEST_DATE && date <= LATEST_DATE, {
    error: dateRangeMessage,
    ...whenWellFormed,
  });

const earliestInstant = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const latestInstant = Date.parse(`${LATEST_DATE}T23:59:59.999Z`);

/** An instant: an ISO 8601 date-time with `Z` or an offset, within the accepted range. */
export const instantSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).refine(
  (instant) => {
    const time = Date.parse(instant);
    return time >= earliestInstant && time <= latestInstant;
  },
  { error: dateRangeMessage, ...whenWellFormed },
);

/**
 * An https:// URL someone pastes (a video room): at most 500 characters, no spaces or control characters (the URL
 * parser would silently drop some of them, so what is stored could differ from what it checked), a host name.
 */
export const httpsUrlSchema = z
  .string()
  .max(500, { error: 'must be at most 500 characters' })
  .regex(/^https:\/\/[^\s\p{Cc}]+$/u, { error: 'must be an https:// URL without spaces' })
  .refine((url) => URL.canParse(url) && new URL(url).hostname.includes('.'), {
    error: 'must be an https:// URL such as https://meet.example.com/room',
    ...whenWellFormed,
  });
