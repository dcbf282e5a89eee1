'use server';

import { isApiError } from '@mentorhub/api-client';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { text } from '@/lib/actions';
import { currentUser } from '@/lib/session';

export async function enroll(form: FormData): Promise<void> {
  const courseId = Number(text(form, 'courseId'));
  const slug = text(form, 'slug');
  const back = `/courses/${slug}`;
  if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(back)}`);
  try {
    await (await api()).learning.enroll(courseId);
  } catch (error) {
    if (!isApiError(error)) throw error;
    if (error.code !== 'ALREADY_ENROLLED') redirect(`${back}?error=${error.code}`);
  }
  revalidatePath(back);
  redirect(`${back}?notice=enrolled`);
}

export async function completeLesson(form: FormData): Promise<void> {
  const lessonId = Number(text(form, 'lessonId'));
  const back = `/courses/${text(form, 'slug')}/lessons/${lessonId}`;
  const nextHref = text(form, 'nextHref');
  try {
    await (await api()).learning.complete(lessonId);
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  revalidatePath(back);
  redirect(nextHref.startsWith('/courses/') ? nextHref : `${back}?notice=completed`);
}
