import { describe, expect, it } from 'vitest';
import { availabilityDays, openSlotStarts, type SlotInputs } from './open-slots';
import { zonedInstant } from './zoned-time';

const LONG_AGO = Date.parse('2020-01-01T00:00:00Z');

function mentor(timezone: string, rules: SlotInputs['rules'], extra: Partial<SlotInputs> = {}): SlotInputs {
  return {
    timezone,
    sessionMinutes: 60,
    minNoticeMinutes: 0,
    bufferMinutes: 0,
    rules,
    overrides: [],
    busy: [],
    ...extra,
  };
}

const everyDay = (start: number, end: number) =>
  [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start_minute: start, end_minute: end }));

/** Slots of one local day as "HH:MM@UTC-hour" pairs: the local label and the instant it stands for. */
function day(inputs: SlotInputs, date: string, timezone = inputs.timezone) {
  const [only] = availabilityDays(inputs, { from: date, to: date, timezone }, LONG_AGO);
  return only?.slots.map((slot) => `${slot.time}@${slot.startsAt.slice(11, 16)}Z`);
}

describe('zonedInstant', () => {
  it('reads ordinary wall-clock times with the offset of the season', () => {
    expect(new Date(zonedInstant('2026-01-15', 9 * 60, 'Europe/Berlin')).toISOString()).toBe(
      '2026-01-15T08:00:00.000Z',
    );
    expect(new Date(zonedInstant('2026-07-15', 9 * 60, 'Europe/Berlin')).toISOString()).toBe(
      '2026-07-15T07:00:00.000Z',
    );
  });

  it('takes the first of the two 01:30s of an autumn change and moves a skipped spring time forward', () => {
    expect(new Date(zonedInstant('2026-11-01', 90, 'America/New_York')).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(new Date(zonedInstant('2026-03-08', 150, 'America/New_York')).toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });
});

describe('open slots across daylight-saving changes', () => {
  it('New York, spring forward (8 March 2026): 00:00–06:00 local holds five real hours, 02:00 never happens', () => {
    expect(day(mentor('America/New_York', everyDay(0, 360)), '2026-03-08')).toEqual([
      '00:00@05:00Z',
      '01:00@06:00Z',
      '03:00@07:00Z',
      '04:00@08:00Z',
      '05:00@09:00Z',
    ]);
  });

  it('New York, fall back (1 November 2026): 01:00 happens twice and both hours can be booked', () => {
    expect(day(mentor('America/New_York', everyDay(0, 360)), '2026-11-01')).toEqual([
      '00:00@04:00Z',
      '01:00@05:00Z',
      '01:00@06:00Z',
      '02:00@07:00Z',
      '03:00@08:00Z',
      '04:00@09:00Z',
      '05:00@10:00Z',
    ]);
  });

  it('Berlin, spring and autumn (29 March, 25 October 2026): 09:00 stays 09:00 local, the UTC hour moves', () => {
    const berlin = mentor('Europe/Berlin', everyDay(9 * 60, 11 * 60));
    expect(day(berlin, '2026-03-28')).toEqual(['09:00@08:00Z', '10:00@09:00Z']);
    expect(day(berlin, '2026-03-29')).toEqual(['09:00@07:00Z', '10:00@08:00Z']);
    expect(day(berlin, '2026-10-24')).toEqual(['09:00@07:00Z', '10:00@08:00Z']);
    expect(day(berlin, '2026-10-25')).toEqual(['09:00@08:00Z', '10:00@09:00Z']);
  });

  it('Berlin, a window across the spring change (01:00–04:00) holds two sessions, not three', () => {
    expect(day(mentor('Europe/Berlin', everyDay(60, 240)), '2026-03-29')).toEqual([
      '01:00@00:00Z',
      '03:00@01:00Z',
    ]);
  });

  it('a window starting inside the skipped hour starts when the clock does', () => {
    expect(day(mentor('America/New_York', everyDay(150, 270)), '2026-03-08')).toEqual(['03:30@07:30Z']);
  });

  it('a mentee in Los Angeles sees a Berlin mentor’s 09:00 move between the two countries’ changes', () => {
    const berlin = mentor('Europe/Berlin', everyDay(9 * 60, 10 * 60));
    const inLosAngeles = (date: string) => day(berlin, date, 'America/Los_Angeles');
    expect(inLosAngeles('2026-03-05')).toEqual(['00:00@08:00Z']); // PST (−8) and CET (+1): 9 hours apart
    expect(inLosAngeles('2026-03-10')).toEqual(['01:00@08:00Z']); // PDT (−7) and CET (+1): 8 hours apart
    expect(inLosAngeles('2026-03-30')).toEqual(['00:00@07:00Z']); // PDT and CEST (+2): 9 hours apart again
    expect(inLosAngeles('2026-11-02')).toEqual(['00:00@08:00Z']); // after both autumn changes
  });

  it('groups by the viewer’s dates: a Sydney morning slot is the previous evening in New York', () => {
    const sydney = mentor('Australia/Sydney', everyDay(8 * 60, 9 * 60));
    const days = availabilityDays(
      sydney,
      { from: '2026-06-10', to: '2026-06-10', timezone: 'America/New_York' },
      LONG_AGO,
    );
    expect(days).toEqual([
      {
        date: '2026-06-10',
        slots: [{ startsAt: '2026-06-10T22:00:00.000Z', endsAt: '2026-06-10T23:00:00.000Z', time: '18:00' }],
      },
    ]);
  });
});

describe('open slots: overrides, notice, buffer and bookings', () => {
  const weekdays = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start_minute: 9 * 60, end_minute: 12 * 60 }));
  const utc = (inputs: Partial<SlotInputs>) => mentor('UTC', weekdays, inputs);
  const monday = '2026-06-01';

  it('a day off blocks the whole date; a partial block cuts a window; extra hours add one', () => {
    expect(
      day(
        utc({ overrides: [{ date: monday, is_available: false, start_minute: null, end_minute: null }] }),
        monday,
      ),
    ).toEqual([]);
    expect(
      day(
        utc({ overrides: [{ date: monday, is_available: false, start_minute: 600, end_minute: 660 }] }),
        monday,
      ),
    ).toEqual(['09:00@09:00Z', '11:00@11:00Z']);
    expect(
      day(
        utc({ overrides: [{ date: '2026-06-06', is_available: true, start_minute: 600, end_minute: 720 }] }),
        '2026-06-06',
      ),
    ).toEqual(['10:00@10:00Z', '11:00@11:00Z']);
  });

  it('minimum notice hides sessions that start too soon', () => {
    const starts = openSlotStarts(
      utc({ minNoticeMinutes: 90 }),
      Date.parse(`${monday}T00:00:00Z`),
      Date.parse(`${monday}T23:59:00Z`),
      Date.parse(`${monday}T08:00:00Z`),
    );
    expect(starts.map((s) => new Date(s).toISOString().slice(11, 16))).toEqual(['10:00', '11:00']);
  });

  it('a buffer spaces sessions and keeps them clear of existing bookings', () => {
    expect(day(utc({ bufferMinutes: 30 }), monday)).toEqual(['09:00@09:00Z', '10:30@10:30Z']);
    const booked = { startsAt: Date.parse(`${monday}T09:00:00Z`), endsAt: Date.parse(`${monday}T10:00:00Z`) };
    expect(day(utc({ busy: [booked] }), monday)).toEqual(['10:00@10:00Z', '11:00@11:00Z']);
    expect(day(utc({ busy: [booked], bufferMinutes: 15, sessionMinutes: 45 }), monday)).toEqual([
      '11:00@11:00Z',
    ]);
  });
});
