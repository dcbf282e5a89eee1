'use server';

import { isApiError } from '@mentorhub/api-client';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { text } from '@/lib/actions';

const OUTBOX_PAGE = '/admin/outbox';

/** Puts one dead letter back in the queue and returns to the dead letters with what happened. */
export async function retryOutboxMessage(form: FormData): Promise<void> {
  const id = Number(text(form, 'messageId'));
  try {
    await (await api()).outbox.retry(id);
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${OUTBOX_PAGE}?error=${error.code}`);
  }
  revalidatePath(OUTBOX_PAGE);
  redirect(`${OUTBOX_PAGE}?notice=retried&message=${id}`);
}
