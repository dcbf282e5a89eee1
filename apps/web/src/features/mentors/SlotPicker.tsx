import type { Availability } from '@mentorhub/contracts';
import { formatDate } from '@/lib/format';

/**
 * A mentor's open slots by day, as one radio group named `startsAt` (arrow keys move between times), for a form
 * that books or moves a session. Days without slots are left out.
 */
export function SlotPicker({ days }: { days: Availability['days'] }) {
  return (
    <div className="calendar-days">
      {days
        .filter((day) => day.slots.length > 0)
        .map((day) => (
          <fieldset key={day.date} className="calendar-day">
            <legend>{formatDate(day.date)}</legend>
            <div className="slots">
              {day.slots.map((slot) => {
                const id = `slot-${slot.startsAt}`;
                return (
                  <span key={slot.startsAt} className="slot">
                    <input type="radio" id={id} name="startsAt" value={slot.startsAt} required />
                    <label htmlFor={id}>{slot.time}</label>
                  </span>
                );
              })}
            </div>
          </fieldset>
        ))}
    </div>
  );
}

export function hasOpenSlots(availability: Availability): boolean {
  return availability.days.some((day) => day.slots.length > 0);
}
