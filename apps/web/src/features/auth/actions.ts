'use server';

import { isApiError } from '@mentorhub/api-client';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { formError, safeReturnPath, text, type FormState } from '@/lib/actions';
import { knownTimezone } from '@/lib/session';
import { applySetCookies } from './cookies';

export async function signIn(_previous: FormState, form: FormData): Promise<FormState> {
  const email = text(form, 'email');
  try {
    const { setCookies } = await (await api()).auth.login({ email, password: text(form, 'password') });
    await applySetCookies(await cookies(), setCookies);
  } catch (error) {
    return formError(error, { email });
  }
  redirect(safeReturnPath(text(form, 'next'), '/dashboard'));
}

/**
 * Starts a sign-up. The answer is the same whatever the address (the API never says whether it is registered),
 * so the page always says to check the inbox.
 */
export async function signUp(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: text(form, 'name'), email: text(form, 'email') };
  const timezone = knownTimezone((await cookies()).get('tz')?.value);
  try {
    await (await api()).auth.register({ ...values, ...(timezone ? { timezone } : {}) });
  } catch (error) {
    return formError(error, values);
  }
  return {
    ok: true,
    message: `Check your inbox: we sent a link to ${values.email}. Open it within 24 hours to choose your password.`,
    values,
  };
}

/** A refused link (unknown, expired or used) is said in words, since its token is no field the user sees. */
function linkError(error: unknown, askAgain: string): FormState {
  if (!isApiError(error)) throw error;
  if (error.code !== 'VALIDATION_FAILED') return { message: error.message };
  if (error.fieldErrors().token)
    return { message: `This link is invalid, has expired or was already used. ${askAgain}` };
  return formError(error);
}

/** Chooses the password from the sign-up link, which verifies the email and signs in. */
export async function verifyEmail(_previous: FormState, form: FormData): Promise<FormState> {
  try {
    const { setCookies } = await (
      await api()
    ).auth.verifyEmail({ token: text(form, 'token'), password: text(form, 'password') });
    await applySetCookies(await cookies(), setCookies);
  } catch (error) {
    return linkError(error, 'Sign up again to get a new one.');
  }
  redirect('/dashboard');
}

export async function requestPasswordReset(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { email: text(form, 'email') };
  try {
    await (await api()).auth.requestPasswordReset(values);
  } catch (error) {
    return formError(error, values);
  }
  return {
    ok: true,
    message: `If an account uses ${values.email}, we sent it a link to reset the password. It works for one hour.`,
    values,
  };
}

/** Sets the new password from the reset link; every device is signed out, so the user signs in again. */
export async function resetPassword(_previous: FormState, form: FormData): Promise<FormState> {
  try {
    await (
      await api()
    ).auth.confirmPasswordReset({ token: text(form, 'token'), password: text(form, 'password') });
  } catch (error) {
    return linkError(error, 'Ask for a new one.');
  }
  (await cookies()).delete('mh_session');
  redirect('/sign-in?reset=done');
}

export async function requestEmailChange(_previous: FormState, form: FormData): Promise<FormState> {
  const newEmail = text(form, 'newEmail');
  try {
    await (await api()).auth.requestEmailChange({ newEmail, currentPassword: text(form, 'currentPassword') });
  } catch (error) {
    return formError(error, { newEmail });
  }
  return {
    ok: true,
    message: `We sent a link to ${newEmail}. Your address changes when you open it (within 24 hours).`,
  };
}

/** Switches the address from the link mailed to it (a button, so a mail scanner following links changes nothing). */
export async function confirmEmailChange(_previous: FormState, form: FormData): Promise<FormState> {
  try {
    const { email } = await (await api()).auth.confirmEmailChange({ token: text(form, 'token') });
    return { ok: true, message: `Your email address is now ${email}.` };
  } catch (error) {
    return linkError(error, 'Ask for a new one from your settings.');
  }
}

export async function signOut(): Promise<void> {
  const store = await cookies();
  try {
    const { setCookies } = await (await api()).auth.logout();
    await applySetCookies(store, setCookies);
  } catch (error) {
    if (!isApiError(error, 'UNAUTHENTICATED')) throw error;
  }
  store.delete('mh_session');
  redirect('/');
}
