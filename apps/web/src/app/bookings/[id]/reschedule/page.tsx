import { isApiError } from '@mentorhub/api-client';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionNotices } from '@/features/bookings/ActionNotices';
import { RescheduleForm } from '@/features/bookings/RescheduleForm';
import { requestedDay } from '@/features/mentors/picker-days';
import { api } from '@/lib/api/server';
import { safeReturnPath } from '@/lib/actions';
import { addDays, todayIn } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Propose a new time', robots: { index: false } };

const DAYS_SHOWN = 14;

export default async function ReschedulePage({
  params,
  searchParams,
}: PageProps<'/bookings/[id]/reschedule'>) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const user = await requireUser(`/bookings/${id}/reschedule`);
  if (!/^\d{1,10}$/.test(id)) notFound();
  const returnTo = safeReturnPath(typeof query.returnTo === 'string' ? query.returnTo : '', '/dashboard');
  const client = await api();
  let booking;
  try {
    booking = await client.bookings.get(Number(id));
  } catch (error) {
    if (isApiError(error, 'NOT_FOUND') || isApiError(error, 'VALIDATION_FAILED')) notFound();
    throw error;
  }
  const other = booking.mentee.id === user.id ? booking.mentor.user : booking.mentee;
  const from = todayIn(user.timezone);
  const availability = booking.actions.includes('reschedule')
    ? await client.mentors.availability(booking.mentor.id, {
        from,
        to: addDays(from, DAYS_SHOWN - 1),
        tz: user.timezone,
      })
    : null;

  return (
    <>
      <h1>Propose a new time</h1>
      <p className="lead">Your session with {other.name}</p>
      <ActionNotices query={query} noticeFallback={null} />
      {availability ? (
        <RescheduleForm
          booking={booking}
          availability={availability}
          viewerTimezone={user.timezone}
          returnTo={returnTo}
          requestedDay={requestedDay(query.day)}
        />
      ) : (
        <p>
          This session cannot be moved now. <Link href={returnTo}>Back</Link>
        </p>
      )}
    </>
  );
}
