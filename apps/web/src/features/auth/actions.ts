'use server';

import { isApiError } from '@mentorhub/api-client';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { formError, safeReturnPath, text, type FormState } from '@/lib/actions';
import { isTimezone } from '@/lib/session';
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

export async function signUp(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: text(form, 'name'), email: text(form, 'email') };
  const timezone = (await cookies()).get('tz')?.value;
  try {
    const { setCookies } = await (
      await api()
    ).auth.register({
      ...values,
      password: text(form, 'password'),
      ...(timezone && isTimezone(timezone) ? { timezone } : {}),
    });
    await applySetCookies(await cookies(), setCookies);
  } catch (error) {
    return formError(error, values);
  }
  redirect(safeReturnPath(text(form, 'next'), '/dashboard'));
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
