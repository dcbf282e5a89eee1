'use server';

import { isApiError } from '@mentorhub/api-client';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { text } from '@/lib/actions';
import { api } from '@/lib/api/server';

/** Disputes a reported no-show from the dashboard's notice. */
export async function disputeNoShow(form: FormData): Promise<void> {
  const bookingId = Number(text(form, 'bookingId'));
  try {
    await (await api()).reliability.dispute(bookingId, text(form, 'reason'));
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`/dashboard?error=${error.code}#standing`);
  }
  revalidatePath('/dashboard');
  redirect('/dashboard?notice=disputed#standing');
}
