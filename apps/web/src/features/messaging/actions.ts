'use server';

import { isApiError } from '@mentorhub/api-client';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { text } from '@/lib/actions';
import { api } from '@/lib/api/server';
import { currentUser } from '@/lib/session';

/** The "Message" button on a mentor's profile: opens (or finds) the conversation and shows it. */
export async function openConversation(form: FormData): Promise<void> {
  const mentorId = Number(text(form, 'mentorId'));
  const back = `/mentors/${mentorId}`;
  if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(back)}`);
  let id: number;
  try {
    id = (await (await api()).conversations.open({ mentorId })).id;
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}#message`);
  }
  redirect(`/messages/${id}`);
}

/** Sends the thread form's message, then shows the thread again (a plain form post: works without JavaScript). */
export async function sendMessage(form: FormData): Promise<void> {
  const id = Number(text(form, 'conversationId'));
  const back = `/messages/${id}`;
  try {
    await (await api()).conversations.send(id, { body: text(form, 'body') });
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}#compose`);
  }
  revalidatePath(back);
  redirect(`${back}#compose`);
}

/** The mentor closes the thread. */
export async function closeConversation(form: FormData): Promise<void> {
  const id = Number(text(form, 'conversationId'));
  const back = `/messages/${id}`;
  try {
    await (await api()).conversations.close(id);
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  redirect(`${back}?notice=closed`);
}

/** Blocks or unblocks the other participant. */
export async function toggleBlock(form: FormData): Promise<void> {
  const id = Number(text(form, 'conversationId'));
  const userId = Number(text(form, 'userId'));
  const block = text(form, 'block') === 'true';
  const back = `/messages/${id}`;
  try {
    const client = (await api()).conversations;
    await (block ? client.block(userId) : client.unblock(userId));
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  redirect(`${back}?notice=${block ? 'blocked' : 'unblocked'}`);
}
