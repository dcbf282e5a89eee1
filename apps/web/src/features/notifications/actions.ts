'use server';

import { isApiError } from '@mentorhub/api-client';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';

export async function markAllRead(): Promise<void> {
  try {
    await (await api()).notifications.markRead({ all: true });
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`/dashboard?error=${error.code}`);
  }
  revalidatePath('/dashboard');
  redirect('/dashboard');
}
