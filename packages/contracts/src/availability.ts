import { z } from 'zod';
import { calendarDateSchema } from './scalars';
import { timezoneSchema } from './text';

/** A wall-clock time `HH:MM`; `24:00` is allowed as the end of a day. */
const clockTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, {
  error: 'must be a time like 09:30',
});

export function clockTimeToMinute(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

export function minuteToClockTime(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

const timeWindowFields = { start: clockTimeSchema, end: clockTimeSchema };
const endsAfterStart = (window: { start: string; end: string }) =>
  clockTimeToMinute(window.end) > clockTimeToMinute(window.start);
const endsAfterStartError = { error: 'must be later than start', path: ['end'] };

/** Open hours on one weekday (0 = Sunday … 6 = Saturday), in the mentor's own timezone. */
export const weeklyRuleSchema = z
  .strictObject({ weekday: z.number().int().min(0).max(6), ...timeWindowFields })
  .refine(endsAfterStart, endsAfterStartError);

/**
 * A change for one date: `available: false` without times blocks the whole day, with times blocks that window;
 * `available: true` with times opens extra hours.
 */
export const availabilityOverrideSchema = z
  .strictObject({
    date: calendarDateSchema,
    available: z.boolean(),
    start: clockTimeSchema.optional(),
    end: clockTimeSchema.optional(),
  })
  .refine((o) => (o.start === undefined) === (o.end === undefined), {
    error: 'start and end go together',
    path: ['end'],
  })
  .refine(
    (o) => o.start === undefined || o.end === undefined || endsAfterStart({ start: o.start, end: o.end }),
    {
      error: 'must be later than start',
      path: ['end'],
    },
  )
  .refine((o) => !o.available || o.start !== undefined, {
    error: 'extra hours need a start and an end',
    path: ['start'],
  });

/** Everything that decides a mentor's open slots, replaced as a whole by `PUT /api/mentors/:id/availability`. */
export const availabilitySettingsSchema = z
  .strictObject({
    timezone: timezoneSchema,
    sessionMinutes: z.number().int().min(15).max(240).multipleOf(5),
    minNoticeMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 30),
    bufferMinutes: z.number().int().min(0).max(240),
    rules: z.array(weeklyRuleSchema).max(70),
    overrides: z.array(availabilityOverrideSchema).max(366),
  })
  .refine((settings) => !hasOverlappingRules(settings.rules), {
    error: 'rules of one weekday must not overlap',
    path: ['rules'],
  })
  .meta({ id: 'AvailabilitySettings' });

function hasOverlappingRules(rules: { weekday: number; start: string; end: string }[]): boolean {
  const sorted = rules
    .map((rule) => ({
      weekday: rule.weekday,
      start: clockTimeToMinute(rule.start),
      end: clockTimeToMinute(rule.end),
    }))
    .sort((a, b) => a.weekday - b.weekday || a.start - b.start);
  return sorted.some(
    (rule, i) => i > 0 && sorted[i - 1]?.weekday === rule.weekday && (sorted[i - 1]?.end ?? 0) > rule.start,
  );
}

export const MAX_AVAILABILITY_DAYS = 62;

export const availabilityQuerySchema = z
  .strictObject({
    from: calendarDateSchema,
    to: calendarDateSchema,
    /** The viewer's timezone: `from`/`to` are dates there and slots are grouped by its days. Default: the mentor's. */
    tz: timezoneSchema.optional(),
  })
  .refine((q) => q.from <= q.to, { error: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_AVAILABILITY_DAYS, {
    error: `the range may span at most ${MAX_AVAILABILITY_DAYS} days`,
    path: ['to'],
  });

export const slotSchema = z.object({
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  /** Local start time in the requested timezone, `HH:MM`. */
  time: z.string(),
});

export const availabilitySchema = z
  .object({
    mentorId: z.number().int(),
    timezone: z.string().describe('The timezone the days and times are given in'),
    mentorTimezone: z.string(),
    sessionMinutes: z.number().int(),
    days: z.array(z.object({ date: z.string(), slots: z.array(slotSchema) })),
  })
  .meta({ id: 'Availability' });

export type WeeklyRule = z.infer<typeof weeklyRuleSchema>;
export type AvailabilityOverride = z.infer<typeof availabilityOverrideSchema>;
export type AvailabilitySettings = z.infer<typeof availabilitySettingsSchema>;
export type AvailabilityQuery = z.infer<typeof availabilityQuerySchema>;
export type Slot = z.infer<typeof slotSchema>;
export type Availability = z.infer<typeof availabilitySchema>;
