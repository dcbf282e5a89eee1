import { isApiError } from '@mentorhub/api-client';

/** What a form action returns to its form: a message for the whole form and messages per field. */
export interface FormState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** The values typed, so a failed submit keeps them. */
  values?: Record<string, string>;
}

export const emptyFormState: FormState = {};

/** Maps an API error to form state; anything that is not an API error is a bug and is rethrown. */
export function formError(error: unknown, values?: Record<string, string>): FormState {
  if (!isApiError(error)) throw error;
  const fieldErrors = error.fieldErrors();
  return {
    message: Object.keys(fieldErrors).length > 0 ? 'Please correct the fields marked below.' : error.message,
    fieldErrors,
    ...(values ? { values } : {}),
  };
}

export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A same-site path to return to after an action, never an absolute URL (no open redirects). */
export function safeReturnPath(path: string, fallback: string): string {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : fallback;
}
