'use client';

import type { AvailabilityOverride, AvailabilitySettings, WeeklyRule } from '@mentorhub/contracts';
import { useActionState, useState, type ReactNode } from 'react';
import type { FormState } from '@/lib/actions';

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Weekly hours and date overrides, edited in the browser and saved as one document (the API replaces the
 * whole set). Client-only and lazily loaded: only mentors in their studio download it.
 */
export function AvailabilityEditor({
  initial,
  action,
}: {
  initial: AvailabilitySettings;
  action: (state: FormState, form: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [settings, setSettings] = useState(initial);
  const setRule = (index: number, rule: Partial<WeeklyRule>) => {
    setSettings((s) => ({ ...s, rules: s.rules.map((r, i) => (i === index ? { ...r, ...rule } : r)) }));
  };
  const setOverride = (index: number, override: Partial<AvailabilityOverride>) => {
    setSettings((s) => ({
      ...s,
      overrides: s.overrides.map((o, i) => (i === index ? { ...o, ...override } : o)),
    }));
  };
  const number = (key: 'sessionMinutes' | 'minNoticeMinutes' | 'bufferMinutes') => (value: string) => {
    setSettings((s) => ({ ...s, [key]: Number(value) }));
  };

  return (
    <form action={formAction} className="form availability-editor">
      {state.message ? (
        <p role="alert" className={state.ok ? 'notice notice-success' : 'notice notice-error'}>
          {state.message}
        </p>
      ) : null}
      <input type="hidden" name="settings" value={JSON.stringify(settings)} />
      <div className="rule-row">
        <NumberField
          label="Session length (minutes)"
          value={settings.sessionMinutes}
          onChange={number('sessionMinutes')}
          step={5}
        />
        <NumberField
          label="Minimum notice (minutes)"
          value={settings.minNoticeMinutes}
          onChange={number('minNoticeMinutes')}
          step={15}
        />
        <NumberField
          label="Buffer between sessions (minutes)"
          value={settings.bufferMinutes}
          onChange={number('bufferMinutes')}
          step={5}
        />
      </div>
      <fieldset>
        <legend>Weekly hours ({settings.timezone})</legend>
        <div className="rules">
          {settings.rules.map((rule, i) => (
            <div className="rule-row" key={i}>
              <div className="field">
                <label htmlFor={`rule-${i}-day`}>Day</label>
                <select
                  id={`rule-${i}-day`}
                  value={rule.weekday}
                  onChange={(e) => {
                    setRule(i, { weekday: Number(e.target.value) });
                  }}
                >
                  {weekdays.map((day, d) => (
                    <option key={day} value={d}>
                      {day}
                    </option>
                  ))}
                </select>
              </div>
              <TimeRangeFields
                idPrefix={`rule-${i}`}
                start={rule.start}
                end={rule.end}
                onChange={(range) => {
                  setRule(i, range);
                }}
              />
              <SecondaryButton
                onClick={() => {
                  setSettings((s) => ({ ...s, rules: s.rules.filter((_, j) => j !== i) }));
                }}
              >
                Remove {weekdays[rule.weekday]} {rule.start}–{rule.end}
              </SecondaryButton>
            </div>
          ))}
        </div>
        <SecondaryButton
          onClick={() => {
            setSettings((s) => ({ ...s, rules: [...s.rules, { weekday: 1, start: '09:00', end: '17:00' }] }));
          }}
        >
          Add weekly hours
        </SecondaryButton>
      </fieldset>
      <fieldset>
        <legend>Date overrides</legend>
        <div className="rules">
          {settings.overrides.map((override, i) => (
            <div className="rule-row" key={i}>
              <div className="field">
                <label htmlFor={`ov-${i}-date`}>Date</label>
                <input
                  id={`ov-${i}-date`}
                  type="date"
                  value={override.date}
                  onChange={(e) => {
                    setOverride(i, { date: e.target.value });
                  }}
                />
              </div>
              <div className="field">
                <label htmlFor={`ov-${i}-kind`}>Change</label>
                <select
                  id={`ov-${i}-kind`}
                  value={override.available ? 'open' : 'block'}
                  onChange={(e) => {
                    setOverride(
                      i,
                      e.target.value === 'open'
                        ? { available: true, start: override.start ?? '09:00', end: override.end ?? '12:00' }
                        : { available: false },
                    );
                  }}
                >
                  <option value="block">Unavailable</option>
                  <option value="open">Extra hours</option>
                </select>
              </div>
              {override.available ? (
                <TimeRangeFields
                  idPrefix={`ov-${i}`}
                  start={override.start ?? ''}
                  end={override.end ?? ''}
                  onChange={(range) => {
                    setOverride(i, range);
                  }}
                />
              ) : null}
              <SecondaryButton
                onClick={() => {
                  setSettings((s) => ({ ...s, overrides: s.overrides.filter((_, j) => j !== i) }));
                }}
              >
                Remove override {override.date}
              </SecondaryButton>
            </div>
          ))}
        </div>
        <SecondaryButton
          onClick={() => {
            setSettings((s) => ({
              ...s,
              overrides: [...s.overrides, { date: new Date().toISOString().slice(0, 10), available: false }],
            }));
          }}
        >
          Add a date override
        </SecondaryButton>
      </fieldset>
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Saving…' : 'Save availability'}
      </button>
    </form>
  );
}

/** "From" and "To" time inputs in 15-minute steps; a change reports the edited end only. */
function TimeRangeFields({
  idPrefix,
  start,
  end,
  onChange,
}: {
  idPrefix: string;
  start: string;
  end: string;
  onChange: (range: { start: string } | { end: string }) => void;
}) {
  const field = (key: 'start' | 'end', label: string, value: string) => (
    <div className="field">
      <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
      <input
        id={`${idPrefix}-${key}`}
        type="time"
        value={value}
        step={900}
        onChange={(e) => {
          onChange(key === 'start' ? { start: e.target.value } : { end: e.target.value });
        }}
      />
    </div>
  );
  return (
    <>
      {field('start', 'From', start)}
      {field('end', 'To', end)}
    </>
  );
}

/** The editor's small secondary buttons: add or remove a row; they never submit the form. */
function SecondaryButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="button button-small button-secondary" onClick={onClick}>
      {children}
    </button>
  );
}

function NumberField({
  label,
  value,
  onChange,
  step,
}: {
  label: string;
  value: number;
  onChange: (value: string) => void;
  step: number;
}) {
  const id = label.toLowerCase().replace(/\W+/g, '-');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={0}
        step={step}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
    </div>
  );
}
