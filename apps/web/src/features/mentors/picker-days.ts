import type { Availability } from '@mentorhub/contracts';
import { formatDate } from '@/lib/format';
import type { PickerDay } from './SlotPicker';

const dayFace = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

/** The availability's days as the picker shows them, each linking to `hrefFor(date)`. */
export function pickerDays(availability: Availability, hrefFor: (date: string) => string): PickerDay[] {
  return availability.days.map((day) => {
    const parts = dayFace.formatToParts(new Date(`${day.date}T00:00:00Z`));
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    return {
      date: day.date,
      label: formatDate(day.date),
      weekday: part('weekday'),
      dayOfMonth: part('day'),
      month: part('month'),
      href: hrefFor(day.date),
      slots: day.slots.map(({ startsAt, time }) => ({ startsAt, time })),
    };
  });
}

/** The requested day when it has open times, else the first that has; null when no day has any. */
export function initialDay(days: PickerDay[], requested: string | undefined): string | null {
  const open = days.filter((day) => day.slots.length > 0);
  return (open.find((day) => day.date === requested) ?? open[0])?.date ?? null;
}

/** The `day` query parameter when it is a date. */
export function requestedDay(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
}
