'use server';

import { isApiError } from '@mentorhub/api-client';
import type { DisputeDecision } from '@mentorhub/contracts';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { formError, text, type FormState } from '@/lib/actions';
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

/** An admin's decision on a no-show dispute, from the moderation queue. */
export async function decideDispute(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { decision: text(form, 'decision'), reason: text(form, 'reason') };
  try {
    await (
      await api()
    ).reliability.decide(
      Number(text(form, 'disputeId')),
      // Sent as posted: the API validates the decision and answers what is wrong.
      values.decision as DisputeDecision,
      values.reason,
    );
  } catch (error) {
    return formError(error, values);
  }
  revalidatePath('/admin/moderation');
  redirect('/admin/moderation?notice=decided');
}
