'use server';

import { availabilitySettingsSchema } from '@mentorhub/contracts';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { formError, text, type FormState } from '@/lib/actions';
import { requireUser } from '@/lib/session';

const list = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);

const cents = (value: string) => Math.round(Number(value || '0') * 100);

function mentorFields(form: FormData) {
  return {
    headline: text(form, 'headline'),
    bio: text(form, 'bio'),
    hourlyRateCents: cents(text(form, 'hourlyRate')),
    languages: list(text(form, 'languages')),
    expertise: list(text(form, 'expertise')).map((tag) => tag.replace(/\s+/g, '-')),
    timezone: text(form, 'timezone'),
    sessionMinutes: Number(text(form, 'sessionMinutes')) as 30 | 45 | 60 | 90,
  };
}

function typed(form: FormData, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, text(form, name)]));
}

const mentorFieldNames = [
  'headline',
  'bio',
  'hourlyRate',
  'languages',
  'expertise',
  'timezone',
  'sessionMinutes',
];

export async function applyAsMentor(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser('/studio');
  try {
    await (await api()).mentors.apply({ ...mentorFields(form), currency: 'USD' });
  } catch (error) {
    return withRateName(formError(error, typed(form, mentorFieldNames)));
  }
  revalidatePath('/studio');
  return { ok: true, message: 'Application sent. An admin will review it shortly.' };
}

export async function updateMentorProfile(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser('/studio');
  if (user.mentorId === null) return { message: 'You are not a mentor yet.' };
  try {
    await (await api()).mentors.update(user.mentorId, mentorFields(form));
  } catch (error) {
    return withRateName(formError(error, typed(form, mentorFieldNames)));
  }
  revalidatePath(`/mentors/${user.mentorId}`);
  return { ok: true, message: 'Profile saved.', values: typed(form, mentorFieldNames) };
}

/** The mentor's own video room; left empty, MentorHub generates a room for each session. */
export async function saveMeetingRoom(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser('/studio');
  if (user.mentorId === null) return { message: 'You are not a mentor yet.' };
  const meetingUrl = text(form, 'meetingUrl').trim();
  try {
    await (await api()).mentors.update(user.mentorId, { meetingUrl: meetingUrl || null });
  } catch (error) {
    return formError(error, { meetingUrl });
  }
  revalidatePath('/studio');
  return {
    ok: true,
    message: meetingUrl ? 'Your sessions meet in your room.' : 'Each session gets a room of its own.',
    values: { meetingUrl },
  };
}

/** The API names the rate in cents; the form asks for whole currency units. */
function withRateName(state: FormState): FormState {
  const hourly = state.fieldErrors?.hourlyRateCents;
  return hourly ? { ...state, fieldErrors: { ...state.fieldErrors, hourlyRate: hourly } } : state;
}

/** The availability editor sends the whole settings document as JSON in one field. */
export async function saveAvailability(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await requireUser('/studio');
  if (user.mentorId === null) return { message: 'You are not a mentor yet.' };
  let body: unknown;
  try {
    body = JSON.parse(text(form, 'settings'));
  } catch {
    return { message: 'The availability could not be read. Reload the page and try again.' };
  }
  const parsed = availabilitySettingsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { message: `Availability ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is not valid'}.` };
  }
  try {
    await (await api()).mentors.setAvailability(user.mentorId, parsed.data);
  } catch (error) {
    return formError(error);
  }
  revalidatePath(`/mentors/${user.mentorId}`);
  return { ok: true, message: 'Availability saved.' };
}

const courseFieldNames = ['title', 'summary', 'description', 'level', 'price'];

function courseFields(form: FormData) {
  return {
    title: text(form, 'title'),
    summary: text(form, 'summary'),
    description: text(form, 'description'),
    level: text(form, 'level') as 'beginner' | 'intermediate' | 'advanced',
    priceCents: cents(text(form, 'price')),
  };
}

export async function createCourse(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser('/studio');
  let id: number;
  try {
    id = (await (await api()).courses.create(courseFields(form))).id;
  } catch (error) {
    return formError(error, typed(form, courseFieldNames));
  }
  redirect(`/studio/courses/${id}?notice=saved`);
}

export async function updateCourse(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser('/studio');
  const id = Number(text(form, 'courseId'));
  try {
    await (await api()).courses.update(id, courseFields(form));
  } catch (error) {
    return formError(error, typed(form, courseFieldNames));
  }
  revalidatePath(`/studio/courses/${id}`);
  return { ok: true, message: 'Course saved.', values: typed(form, courseFieldNames) };
}

export async function setPublished(form: FormData): Promise<void> {
  await requireUser('/studio');
  const id = Number(text(form, 'courseId'));
  const client = await api();
  try {
    if (text(form, 'publish') === 'true') await client.courses.publish(id);
    else await client.courses.unpublish(id);
  } catch (error) {
    const state = formError(error);
    redirect(`/studio/courses/${id}?error=${encodeURIComponent(state.message ?? 'FAILED')}`);
  }
  revalidatePath(`/studio/courses/${id}`);
  redirect(`/studio/courses/${id}?notice=saved`);
}

const lessonFieldNames = ['title', 'content', 'durationMinutes'];

function lessonFields(form: FormData) {
  return {
    title: text(form, 'title'),
    // Absent when the editor could not load the content: never overwrite it with nothing.
    ...(form.has('content') ? { content: text(form, 'content') } : {}),
    durationMinutes: Number(text(form, 'durationMinutes') || '0'),
    isPreview: text(form, 'isPreview') === 'true',
  };
}

export async function addLesson(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser('/studio');
  const courseId = Number(text(form, 'courseId'));
  try {
    await (await api()).courses.addLesson(courseId, lessonFields(form));
  } catch (error) {
    return formError(error, typed(form, lessonFieldNames));
  }
  revalidatePath(`/studio/courses/${courseId}`);
  return { ok: true, message: 'Lesson added.' };
}

export async function updateLesson(_previous: FormState, form: FormData): Promise<FormState> {
  await requireUser('/studio');
  const lessonId = Number(text(form, 'lessonId'));
  try {
    await (await api()).courses.updateLesson(lessonId, lessonFields(form));
  } catch (error) {
    return formError(error, typed(form, lessonFieldNames));
  }
  revalidatePath(`/studio/courses/${text(form, 'courseId')}`);
  return { ok: true, message: 'Lesson saved.', values: typed(form, lessonFieldNames) };
}
