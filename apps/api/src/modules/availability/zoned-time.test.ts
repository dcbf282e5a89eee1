import { describe, expect, it } from 'vitest';
import { addDays, MINUTE_MS, offsetMinutes, toIsoString, zonedDateTime } from './zoned-time';

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The offset straight from Intl, one formatting per instant: what the memoized day offsets must agree with. */
function intlOffsetMinutes(instant: number, timezone: string): number {
  let formatter = offsetFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

// Zones with summer time north and south, half- and quarter-hour offsets, a half-hour change, and none at all.
const zones = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'America/Santiago',
  'UTC',
];

describe('offsetMinutes', () => {
  it('agrees with Intl at instants sampled over two years, and on both sides of every change in them', () => {
    const from = Date.parse('2026-01-01T00:00:00Z');
    const to = Date.parse('2028-01-01T00:00:00Z');
    // An odd step (not a divisor of an hour or a day) lands on every hour of the day in turn.
    const step = 187 * MINUTE_MS + 13_000;
    let changes = 0;
    for (const timezone of zones) {
      const mismatches: string[] = [];
      const check = (instant: number) => {
        const expected = intlOffsetMinutes(instant, timezone);
        if (offsetMinutes(instant, timezone) !== expected)
          mismatches.push(`${new Date(instant).toISOString()}: ${String(expected)}`);
        return expected;
      };
      let previous = check(from);
      for (let instant = from + step; instant < to; instant += step) {
        const offset = check(instant);
        if (offset !== previous) {
          // Intl's own change minute, by bisection; the memoized offsets must change at that instant too.
          let unchanged = instant - step;
          let changed = instant;
          while (changed - unchanged > 1000) {
            const middle = Math.floor((unchanged + changed) / 2000) * 1000;
            if (intlOffsetMinutes(middle, timezone) === previous) unchanged = middle;
            else changed = middle;
          }
          check(changed - 1000);
          check(changed);
          changes += 1;
        }
        previous = offset;
      }
      expect(mismatches, timezone).toEqual([]);
    }
    // Two changes a year in each of the seven zones with summer time.
    expect(changes).toBe(28);
  });

  it('changes at the exact minute: the last minute before a change has the old offset, the change the new one', () => {
    const newYorkSpring = Date.parse('2026-03-08T07:00:00Z');
    expect(offsetMinutes(newYorkSpring - MINUTE_MS, 'America/New_York')).toBe(-300);
    expect(offsetMinutes(newYorkSpring - 1, 'America/New_York')).toBe(-300);
    expect(offsetMinutes(newYorkSpring, 'America/New_York')).toBe(-240);
    const lordHoweAutumn = Date.parse('2026-04-04T15:00:00Z'); // 02:00 daylight time becomes 01:30
    expect(offsetMinutes(lordHoweAutumn - 1, 'Australia/Lord_Howe')).toBe(660);
    expect(offsetMinutes(lordHoweAutumn, 'Australia/Lord_Howe')).toBe(630);
  });

  it('reads local dates and minutes with the offset in force', () => {
    expect(zonedDateTime(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York')).toEqual({
      date: '2026-11-01',
      minuteOfDay: 90,
    });
    expect(zonedDateTime(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual({
      date: '2026-11-01',
      minuteOfDay: 90,
    });
    expect(zonedDateTime(Date.parse('2026-06-10T18:14:59Z'), 'Asia/Kathmandu')).toEqual({
      date: '2026-06-10',
      minuteOfDay: 23 * 60 + 59,
    });
  });
});

describe('toIsoString and addDays', () => {
  it('write what toISOString writes, before and after 1970, at every part of a day', () => {
    const instants = [0, -1, 1, 951_868_799_999, Date.parse('2028-02-29T23:59:59.999Z'), -2_208_988_800_001];
    // An odd step (not a divisor of a second, minute or day) lands on every field's values in turn.
    for (let instant = Date.parse('1969-12-25T00:00:00Z'); instant < 86_400_000 * 40; instant += 7_777_777)
      instants.push(instant);
    for (const instant of instants) expect(toIsoString(instant)).toBe(new Date(instant).toISOString());
  });

  it('move dates across months, years and a leap day', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('1970-01-01', -1)).toBe('1969-12-31');
  });
});
