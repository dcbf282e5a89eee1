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
function formattedWallClockMs(instant: number, timezone: string): number {
  const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(instant)))
    fields[part.type] = Number(part.value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The offset as Intl reports it: exact, and the costly step a day's offsets are memoized to avoid. */
function formattedOffsetMinutes(instant: number, timezone: string): number {
  return Math.round(
    (formattedWallClockMs(instant, timezone) - Math.floor(instant / 1000) * 1000) / MINUTE_MS,
  );
}

/** A zone's offsets over one UTC day: `before` until `changeAt`, `after` from then (Infinity: no change). */
interface DayOffsets {
  before: number;
  after: number;
  changeAt: number;
}

/**
 * Offsets of every (zone, UTC day) asked for so far. A day's offsets never change within a process, so a range of
 * slots costs a few Intl calls per day instead of several per slot; bounded so no request can grow it without end.
 */
const dayOffsetsByZone = new Map<string, Map<number, DayOffsets>>();
const MAX_MEMOIZED_DAYS = 100_000;
let memoizedDays = 0;

/**
 * Like the rest of this module, assumes a zone changes its offset at most once within a day: the offsets at the
 * day's two ends differ exactly when it changes, and the change is found to the minute by bisection.
 */
function measureDay(day: number, timezone: string): DayOffsets {
  const start = day * DAY_MS;
  const before = formattedOffsetMinutes(start, timezone);
  const after = formattedOffsetMinutes(start + DAY_MS, timezone);
  if (before === after) return { before, after, changeAt: Infinity };
  let unchanged = start;
  let changed = start + DAY_MS;
  while (changed - unchanged > MINUTE_MS) {
    const middle = unchanged + Math.floor((changed - unchanged) / MINUTE_MS / 2) * MINUTE_MS;
    if (formattedOffsetMinutes(middle, timezone) === before) unchanged = middle;
    else changed = middle;
  }
  return { before, after, changeAt: changed };
}

function dayOffsets(day: number, timezone: string): DayOffsets {
  let days = dayOffsetsByZone.get(timezone);
  if (!days) {
    days = new Map();
    dayOffsetsByZone.set(timezone, days);
  }
  let offsets = days.get(day);
  if (!offsets) {
    if (memoizedDays >= MAX_MEMOIZED_DAYS) {
      for (const zone of dayOffsetsByZone.values()) zone.clear();
      memoizedDays = 0;
    }
    offsets = measureDay(day, timezone);
    days.set(day, offsets);
    memoizedDays += 1;
  }
  return offsets;
}

/** Minutes to add to UTC to read the wall clock in `timezone` at `instant` (e.g. +120 in Berlin in summer). */
export function offsetMinutes(instant: number, timezone: string): number {
  const offsets = dayOffsets(Math.floor(instant / DAY_MS), timezone);
  return instant < offsets.changeAt ? offsets.before : offsets.after;
}

/** The wall clock in `timezone` at `instant` (to the second), as milliseconds of a UTC date with the same fields. */
function wallClockMs(instant: number, timezone: string): number {
  return Math.floor(instant / 1000) * 1000 + offsetMinutes(instant, timezone) * MINUTE_MS;
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

/**
 * `YYYY-MM-DD` of a UTC day (days since 1970-01-01). Remembered like the offsets (bounded): `toISOString` is
 * costly next to the rest of a slot's work, and a range's slots share a few dozen days.
 */
const isoDates = new Map<number, string>();

function isoDateOfDay(day: number): string {
  let date = isoDates.get(day);
  if (date === undefined) {
    if (isoDates.size >= MAX_MEMOIZED_DAYS) isoDates.clear();
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoDates.set(day, date);
  }
  return date;
}

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

/** What `new Date(instant).toISOString()` writes, with the date part read once per day. */
export function toIsoString(instant: number): string {
  const day = Math.floor(instant / DAY_MS);
  const ms = instant - day * DAY_MS;
  const hours = twoDigits(Math.floor(ms / 3_600_000));
  const minutes = twoDigits(Math.floor(ms / MINUTE_MS) % 60);
  const seconds = twoDigits(Math.floor(ms / 1000) % 60);
  return `${isoDateOfDay(day)}T${hours}:${minutes}:${seconds}.${String(ms % 1000).padStart(3, '0')}Z`;
}

/** The local date (`YYYY-MM-DD`) and minute of the day of `instant` in `timezone`. */
export function zonedDateTime(instant: number, timezone: string): { date: string; minuteOfDay: number } {
  const wall = wallClockMs(instant, timezone);
  const day = Math.floor(wall / DAY_MS);
  return { date: isoDateOfDay(day), minuteOfDay: Math.floor((wall - day * DAY_MS) / MINUTE_MS) };
}

export function addDays(date: string, days: number): string {
  return isoDateOfDay(Date.parse(`${date}T00:00:00Z`) / DAY_MS + days);
}

/** 0 = Sunday … 6 = Saturday, as in the availability rules. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
