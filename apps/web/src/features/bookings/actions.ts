'use server';

import { isApiError } from '@mentorhub/api-client';
import { bookingActions, type BookingAction } from '@mentorhub/contracts';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { api } from '@/lib/api/server';
import { formError, safeReturnPath, text, type FormState } from '@/lib/actions';
import { currentUser } from '@/lib/session';

/** Books the chosen slot; the form's idempotency key makes a double submit one booking. */
export async function createBooking(form: FormData): Promise<void> {
  const mentorId = Number(text(form, 'mentorId'));
  const back = `/mentors/${mentorId}`;
  if (!(await currentUser())) redirect(`/sign-in?next=${encodeURIComponent(back)}`);
  const startsAt = text(form, 'startsAt');
  if (!startsAt) redirect(`${back}?error=NO_SLOT#book`);
  let bookingId: number;
  try {
    const booking = await (
      await api()
    ).bookings.create(
      { mentorId, startsAt, note: text(form, 'note') },
      text(form, 'idempotencyKey') || undefined,
    );
    bookingId = booking.id;
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}#book`);
  }
  revalidatePath('/dashboard');
  redirect(`/dashboard?notice=booked&booking=${bookingId}`);
}

/** confirm / decline / cancel / complete / no-show / withdraw, from the dashboard or the studio. */
export async function bookingAction(form: FormData): Promise<void> {
  const id = Number(text(form, 'bookingId'));
  const action = text(form, 'action');
  const back = safeReturnPath(text(form, 'returnTo'), '/dashboard');
  if (!(bookingActions as readonly string[]).includes(action)) redirect(`${back}?error=INVALID_TRANSITION`);
  const reason = text(form, 'reason');
  try {
    await (
      await api()
    ).bookings.act(id, action as BookingAction, action === 'cancel' && reason ? { reason } : undefined);
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  revalidatePath(back);
  redirect(`${back}?notice=${action}`);
}

/**
 * Proposes the chosen slot as the booking's new time. The key names the booking's version, so a double submit (or
 * a resubmitted old page) is one proposal: the API replays the first answer, and a stale page gets BOOKING_CHANGED.
 */
export async function proposeReschedule(form: FormData): Promise<void> {
  const id = Number(text(form, 'bookingId'));
  const sequence = Number(text(form, 'sequence'));
  const back = safeReturnPath(text(form, 'returnTo'), '/dashboard');
  const startsAt = text(form, 'startsAt');
  if (!startsAt) redirect(`/bookings/${id}/reschedule?returnTo=${encodeURIComponent(back)}&error=NO_SLOT`);
  try {
    await (await api()).bookings.reschedule(id, { sequence, startsAt }, `reschedule-${id}-${sequence}`);
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  revalidatePath(back);
  redirect(`${back}?notice=reschedule`);
}

const rescheduleAnswers = ['accept', 'decline', 'withdraw'] as const;

/** Accepts or declines the other party's proposed time, or withdraws one's own, at the version shown. */
export async function answerReschedule(form: FormData): Promise<void> {
  const id = Number(text(form, 'bookingId'));
  const answer = text(form, 'answer');
  const back = safeReturnPath(text(form, 'returnTo'), '/dashboard');
  if (!(rescheduleAnswers as readonly string[]).includes(answer))
    redirect(`${back}?error=INVALID_TRANSITION`);
  try {
    await (
      await api()
    ).bookings.answerReschedule(
      id,
      answer as (typeof rescheduleAnswers)[number],
      Number(text(form, 'sequence')),
    );
  } catch (error) {
    if (!isApiError(error)) throw error;
    redirect(`${back}?error=${error.code}`);
  }
  revalidatePath(back);
  redirect(`${back}?notice=${answer}-reschedule`);
}

export async function reviewBooking(_previous: FormState, form: FormData): Promise<FormState> {
  const id = Number(text(form, 'bookingId'));
  const values = { rating: text(form, 'rating'), body: text(form, 'body') };
  try {
    await (await api()).bookings.review(id, { rating: Number(values.rating), body: values.body });
  } catch (error) {
    return formError(error, values);
  }
  revalidatePath('/dashboard');
  redirect('/dashboard?notice=reviewed');
}
