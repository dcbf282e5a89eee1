/**
 * Wall-clock ↔ instant conversion for IANA timezones with nothing but Intl: enough for availability, where a
 * mentor's hours are local times and a booking is an instant.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** The wall clock in `timezone` at `instant`, as milliseconds of a UTC date with the same fields. */
function wallClockMs(instant: number, timezone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instant)))
    fields[part.type] = Number(part.value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Minutes to add to UTC to read the wall clock in `timezone` at `instant` (e.g. +120 in Berlin in summer). */
export function offsetMinutes(instant: number, timezone: string): number {
  return Math.round((wallClockMs(instant, timezone) - Math.floor(instant / 1000) * 1000) / MINUTE_MS);
}

/**
 * The instant a wall-clock time on `date` (`YYYY-MM-DD`, `minuteOfDay` 0–1440) happens in `timezone`.
 * At an autumn change the repeated hour happens twice: the first occurrence is taken. At a spring change the
 * skipped hour never happens: it is read with the offset from before the change, so 02:30 becomes 03:30.
 */
export function zonedInstant(date: string, minuteOfDay: number, timezone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * MINUTE_MS;
  // Real zones change their offset at most once within a day, so the offsets a day apart are the only candidates.
  const before = offsetMinutes(wall - DAY_MS, timezone);
  const after = offsetMinutes(wall + DAY_MS, timezone);
  const candidates = [before, after]
    .map((offset) => ({ offset, instant: wall - offset * MINUTE_MS }))
    .filter(({ offset, instant }) => offsetMinutes(instant, timezone) === offset)
    .map(({ instant }) => instant);
  return candidates.length > 0 ? Math.min(...candidates) : wall - before * MINUTE_MS;
}

/** The local date (`YYYY-MM-DD`) and minute of the day of `instant` in `timezone`. */
export function zonedDateTime(instant: number, timezone: string): { date: string; minuteOfDay: number } {
  const wall = wallClockMs(instant, timezone);
  const iso = new Date(wall).toISOString();
  return { date: iso.slice(0, 10), minuteOfDay: Math.floor((wall % DAY_MS) / MINUTE_MS) };
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as in the availability rules. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
