'use server';

import { revalidatePath } from 'next/cache';
import { api } from '@/lib/api/server';
import { formError } from '@/lib/actions';
import { requireUser } from '@/lib/session';

export interface FeedState {
  /** The new feed URL: the API shows it once, so it lives only in this answer. */
  url?: string;
  message?: string;
}

/** Creates the calendar feed, or rotates its secret (the previous URL stops working). */
export async function issueCalendarFeed(_previous: FeedState, _form: FormData): Promise<FeedState> {
  await requireUser('/settings');
  try {
    const { url } = await (await api()).calendar.issueFeed();
    revalidatePath('/settings');
    return { url };
  } catch (error) {
    return { message: formError(error).message ?? 'The calendar feed could not be created.' };
  }
}
