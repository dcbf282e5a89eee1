'use client';

import { Suspense, useActionState, useId } from 'react';
import type { FormState } from '@/lib/actions';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'textarea' | 'select' | 'checkbox' | 'file' | 'url';
  required?: boolean;
  defaultValue?: string;
  checked?: boolean;
  hint?: string;
  autoComplete?: string;
  options?: readonly { value: string; label: string }[];
  min?: number;
  max?: number;
  step?: number;
  rows?: number;
  accept?: string;
  minLength?: number;
  maxLength?: number;
}

interface ActionFormProps {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: readonly FieldSpec[];
  submitLabel: string;
  hidden?: Record<string, string>;
  title?: string;
  className?: string;
}

/**
 * A form bound to a server action: it works before hydration as a plain POST, and shows the API's message and
 * field errors next to each field (`aria-invalid`, `aria-describedby`), keeping what was typed. The form is a
 * Suspense boundary of its own (rendered with the page, never a fallback): a first tap in it hydrates the form
 * alone, not the page around it.
 */
export function ActionForm(props: ActionFormProps) {
  return (
    <Suspense>
      <BoundForm {...props} />
    </Suspense>
  );
}

function BoundForm({ action, fields, submitLabel, hidden = {}, title, className }: ActionFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <form
      action={formAction}
      className={`form ${className ?? ''}`}
      aria-describedby={state.message ? messageId : undefined}
      noValidate
    >
      {title ? <h2>{title}</h2> : null}
      {state.message ? (
        <p id={messageId} role="alert" className={state.ok ? 'notice notice-success' : 'notice notice-error'}>
          {state.message}
        </p>
      ) : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((field) => (
        <Field
          key={field.name}
          id={`${id}-${field.name}`}
          field={field}
          error={state.fieldErrors?.[field.name]}
          value={state.values?.[field.name]}
        />
      ))}
      <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
        {pending ? 'Working…' : submitLabel}
      </button>
    </form>
  );
}

function Field({
  id,
  field,
  error,
  value,
}: {
  id: string;
  field: FieldSpec;
  error: string | undefined;
  value: string | undefined;
}) {
  const hintId = field.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    required: field.required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  const defaultValue = value ?? field.defaultValue;
  let control;
  if (field.type === 'textarea') {
    control = (
      <textarea {...common} rows={field.rows ?? 4} defaultValue={defaultValue} maxLength={field.maxLength} />
    );
  } else if (field.type === 'select') {
    control = (
      <select {...common} defaultValue={defaultValue}>
        {field.options?.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'checkbox') {
    control = <input {...common} type="checkbox" value="true" defaultChecked={field.checked} />;
  } else {
    control = (
      <input
        {...common}
        type={field.type ?? 'text'}
        defaultValue={field.type === 'file' ? undefined : defaultValue}
        autoComplete={field.autoComplete}
        min={field.min}
        max={field.max}
        step={field.step}
        accept={field.accept}
        minLength={field.minLength}
        maxLength={field.maxLength}
      />
    );
  }
  return (
    <div className={`field ${field.type === 'checkbox' ? 'field-checkbox' : ''}`}>
      <label htmlFor={id}>{field.label}</label>
      {control}
      {field.hint ? (
        <p id={hintId} className="hint">
          {field.hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
