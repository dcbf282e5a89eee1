import { describe, expect, it } from 'vitest';
import { timezoneSchema } from './text';

const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);

describe('timezoneSchema', () => {
  it("takes a zone under IANA's current name, its older one or in any letter case, as the one name the zone list uses", () => {
    for (const [current, older] of [
      ['Asia/Kolkata', 'Asia/Calcutta'],
      ['Europe/Kyiv', 'Europe/Kiev'],
      ['Asia/Ho_Chi_Minh', 'Asia/Saigon'],
      ['America/New_York', 'US/Eastern'],
    ] as const) {
      const stored = timezoneSchema.parse(current);
      expect(zones.has(stored)).toBe(true);
      expect(timezoneSchema.parse(older)).toBe(stored);
      expect(timezoneSchema.parse(current.toLowerCase())).toBe(stored);
    }
    expect(timezoneSchema.parse('Europe/Berlin')).toBe('Europe/Berlin');
    expect(timezoneSchema.parse('Etc/UTC')).toBe('UTC');
  });

  it('refuses what names no zone of the list', () => {
    for (const zone of ['Mars/Olympus_Mons', '+05:30', 'Europe/', '', 'Europe/Berlin '])
      expect(timezoneSchema.safeParse(zone).success, zone).toBe(false);
  });
});
