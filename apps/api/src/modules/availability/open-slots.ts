import { minuteToClockTime, type Availability } from '@mentorhub/contracts';
import { addDays, MINUTE_MS, toIsoString, weekdayOf, zonedDateTime, zonedInstant } from './zoned-time';

/** Everything open slots are computed from, as stored: minutes are wall-clock minutes in the mentor's timezone. */
export interface SlotInputs {
  timezone: string;
  sessionMinutes: number;
  minNoticeMinutes: number;
  bufferMinutes: number;
  rules: { weekday: number; start_minute: number; end_minute: number }[];
  overrides: {
    date: string;
    start_minute: number | null;
    end_minute: number | null;
    is_available: boolean;
  }[];
  /** Live (requested or confirmed) bookings around the range. */
  busy: { startsAt: number; endsAt: number }[];
}

type Window = readonly [start: number, end: number];

function union(windows: Window[]): Window[] {
  const merged: [number, number][] = [];
  for (const [start, end] of [...windows].sort((a, b) => a[0] - b[0])) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function subtract(windows: Window[], [cutStart, cutEnd]: Window): Window[] {
  return windows.flatMap(([start, end]): Window[] => {
    if (cutEnd <= start || cutStart >= end) return [[start, end]];
    return [
      ...(start < cutStart ? [[start, cutStart] as const] : []),
      ...(cutEnd < end ? [[cutEnd, end] as const] : []),
    ];
  });
}

/** Open wall-clock windows of one local date: its weekday's rules, then the date's overrides. */
function openWindows(date: string, inputs: SlotInputs): Window[] {
  const overrides = inputs.overrides.filter((o) => o.date === date);
  if (overrides.some((o) => !o.is_available && o.start_minute === null)) return [];
  const timed = overrides.flatMap((o) =>
    o.start_minute === null || o.end_minute === null
      ? []
      : [{ ...o, window: [o.start_minute, o.end_minute] as const }],
  );
  const weekday = weekdayOf(date);
  let windows = union([
    ...inputs.rules.filter((r) => r.weekday === weekday).map((r) => [r.start_minute, r.end_minute] as const),
    ...timed.filter((o) => o.is_available).map((o) => o.window),
  ]);
  for (const block of timed.filter((o) => !o.is_available)) windows = subtract(windows, block.window);
  return windows;
}

/**
 * Session starts offered in [rangeStart, rangeEnd). Each open window is turned into instants first and then cut
 * into sessions of real minutes, so a window that spans a daylight-saving change yields exactly as many sessions
 * as fit in the time that really passes (one fewer on the spring day, one more in autumn).
 */
export function openSlotStarts(
  inputs: SlotInputs,
  rangeStart: number,
  rangeEnd: number,
  now: number,
): number[] {
  const session = inputs.sessionMinutes * MINUTE_MS;
  const buffer = inputs.bufferMinutes * MINUTE_MS;
  const earliest = Math.max(rangeStart, now + inputs.minNoticeMinutes * MINUTE_MS);
  const lastDate = zonedDateTime(rangeEnd, inputs.timezone).date;
  const starts: number[] = [];
  for (
    let date = zonedDateTime(rangeStart, inputs.timezone).date;
    date <= lastDate;
    date = addDays(date, 1)
  ) {
    for (const [startMinute, endMinute] of openWindows(date, inputs)) {
      const windowEnd = zonedInstant(date, endMinute, inputs.timezone);
      for (
        let start = zonedInstant(date, startMinute, inputs.timezone);
        start + session <= windowEnd;
        start += session + buffer
      ) {
        const end = start + session;
        const clashes = inputs.busy.some((b) => start < b.endsAt + buffer && end > b.startsAt - buffer);
        if (start >= earliest && start < rangeEnd && !clashes) starts.push(start);
      }
    }
  }
  return starts;
}

/** The slots of the local dates `from`…`to` in `timezone`, grouped by day (every day listed, empty or not). */
export function availabilityDays(
  inputs: SlotInputs,
  range: { from: string; to: string; timezone: string },
  now: number,
): Availability['days'] {
  const rangeStart = zonedInstant(range.from, 0, range.timezone);
  const rangeEnd = zonedInstant(addDays(range.to, 1), 0, range.timezone);
  const days = new Map<string, Availability['days'][number]>();
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) days.set(date, { date, slots: [] });
  for (const start of openSlotStarts(inputs, rangeStart, rangeEnd, now)) {
    const local = zonedDateTime(start, range.timezone);
    days.get(local.date)?.slots.push({
      startsAt: toIsoString(start),
      endsAt: toIsoString(start + inputs.sessionMinutes * MINUTE_MS),
      time: minuteToClockTime(local.minuteOfDay),
    });
  }
  return [...days.values()];
}
