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

/** confirm / decline / cancel / complete / no-show, from the dashboard or the studio. */
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
