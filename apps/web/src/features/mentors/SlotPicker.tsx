'use client';

import { useState, type MouseEvent, type ReactNode } from 'react';

/** One day of the picker, with everything it shows prepared on the server. */
export interface PickerDay {
  /** `YYYY-MM-DD` in the zone the times are given in. */
  date: string;
  /** "Thursday 10 December". */
  label: string;
  weekday: string;
  dayOfMonth: string;
  month: string;
  /** This page with this day chosen: what the day's link opens without JavaScript. */
  href: string;
  slots: { startsAt: string; time: string }[];
}

/**
 * Pick a day, then a time: a grid of days (days without open times shown but not choosable), then the chosen
 * day's times as one radio group named `startsAt`, and a bar holding what will be asked for next to the submit
 * button. Without JavaScript each day is a link to the page with that day chosen; with it, choosing a day
 * changes only this part and keeps the address in step.
 */
export function SlotPicker({
  days,
  initialDay,
  zone,
  details,
  submitLabel,
  pager,
  children,
}: {
  days: PickerDay[];
  /** The day shown first; must be one with open times. */
  initialDay: string;
  /** The zone the times are in, in words, for the times' heading. */
  zone: string;
  /** Length (and price) of the session, shown under the chosen time. */
  details: string;
  submitLabel: string;
  /** Links to earlier and later days, under the day grid. */
  pager?: ReactNode;
  /** Further fields, between the times and the submit bar. */
  children?: ReactNode;
}) {
  const [dayDate, setDayDate] = useState(initialDay);
  const [startsAt, setStartsAt] = useState<string | null>(null);
  const day = days.find((d) => d.date === dayDate) ?? days.find((d) => d.slots.length > 0);
  const chosen = day?.slots.find((slot) => slot.startsAt === startsAt);

  function choose(event: MouseEvent<HTMLAnchorElement>, next: PickerDay) {
    // Modified clicks (new tab, new window) keep the link's own behaviour.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    setDayDate(next.date);
    setStartsAt(null);
    window.history.replaceState(window.history.state, '', next.href);
  }

  return (
    <>
      <ul className="day-picker" aria-label="Days">
        {days.map((d) => {
          // Spaced for the accessible name ("Sat 5 Dec"); stacked by CSS.
          const face = (
            <>
              <span className="day-weekday">{d.weekday}</span>{' '}
              <span className="day-number">{d.dayOfMonth}</span> <span className="day-month">{d.month}</span>
            </>
          );
          return (
            <li key={d.date}>
              {d.slots.length > 0 ? (
                <a
                  href={d.href}
                  className="day"
                  aria-current={d.date === day?.date ? 'true' : undefined}
                  onClick={(event) => {
                    choose(event, d);
                  }}
                >
                  {face}
                  <span className="visually-hidden">
                    , {d.slots.length} open {d.slots.length === 1 ? 'time' : 'times'}
                  </span>
                </a>
              ) : (
                <span className="day day-closed">
                  {face}
                  <span className="visually-hidden">, no open times</span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {pager}
      {day ? (
        <fieldset className="day-times">
          <legend>
            {day.label} <span className="muted small">({zone})</span>
          </legend>
          <div className="slots">
            {day.slots.map((slot) => {
              const id = `slot-${slot.startsAt}`;
              return (
                <span key={slot.startsAt} className="slot">
                  <input
                    type="radio"
                    id={id}
                    name="startsAt"
                    value={slot.startsAt}
                    required
                    onChange={() => {
                      setStartsAt(slot.startsAt);
                    }}
                  />
                  <label htmlFor={id}>{slot.time}</label>
                </span>
              );
            })}
          </div>
        </fieldset>
      ) : null}
      {children}
      <div className="booking-submit">
        <div className="booking-summary" aria-live="polite">
          <p>
            <strong>{chosen && day ? `${day.label}, ${chosen.time}` : 'Pick a time above'}</strong>
          </p>
          <p className="muted small">{details}</p>
        </div>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </>
  );
}
