import type { Booking } from '@mentorhub/contracts';
import { Avatar } from '@/components/image/Avatar';
import { ActionForm } from '@/components/ui/ActionForm';
import { formatDateTime, formatMoney } from '@/lib/format';
import { bookingAction, reviewBooking } from './actions';

const actionLabels: Record<string, string> = {
  confirm: 'Confirm',
  decline: 'Decline',
  cancel: 'Cancel booking',
  complete: 'Mark completed',
  'no-show': 'Mark no-show',
};

const statusLabels: Record<Booking['status'], string> = {
  requested: 'Awaiting confirmation',
  confirmed: 'Confirmed',
  declined: 'Declined',
  expired: 'Expired',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
  withdrawn: 'Withdrawn',
};

/** Bookings as one side sees them, with exactly the actions the API allows this person now. */
export function BookingList({
  bookings,
  as,
  timezone,
  returnTo,
}: {
  bookings: readonly Booking[];
  as: 'mentee' | 'mentor';
  timezone: string;
  returnTo: string;
}) {
  return (
    <ul className="bookings">
      {bookings.map((booking) => {
        const other = as === 'mentee' ? booking.mentor.user : booking.mentee;
        return (
          <li key={booking.id} className="booking card" data-booking-id={booking.id}>
            <div className="booking-head">
              <Avatar user={other} size={40} />
              <div>
                <p>
                  <strong>{other.name}</strong> ·{' '}
                  <time dateTime={booking.startsAt}>{formatDateTime(booking.startsAt, timezone)}</time>
                </p>
                <p className="muted small">
                  {formatMoney(booking.price.amountCents, booking.price.currency)}
                  {booking.note ? ` · “${booking.note}”` : ''}
                </p>
              </div>
              <span className={`status status-${booking.status}`}>{statusLabels[booking.status]}</span>
            </div>
            {booking.actions.length > 0 ? (
              <div className="booking-actions">
                {booking.actions.map((action) => (
                  <form key={action} action={bookingAction}>
                    <input type="hidden" name="bookingId" value={booking.id} />
                    <input type="hidden" name="action" value={action} />
                    <input type="hidden" name="returnTo" value={returnTo} />
                    <button
                      type="submit"
                      className={
                        action === 'confirm' || action === 'complete'
                          ? 'button button-small'
                          : 'button button-small button-secondary'
                      }
                      aria-label={`${actionLabels[action] ?? action}: session with ${other.name}`}
                    >
                      {actionLabels[action] ?? action}
                    </button>
                  </form>
                ))}
              </div>
            ) : null}
            {as === 'mentee' && booking.status === 'completed' && !booking.reviewed ? (
              <details className="review-form">
                <summary>Review this session</summary>
                <ActionForm
                  action={reviewBooking}
                  submitLabel="Publish review"
                  hidden={{ bookingId: String(booking.id) }}
                  fields={[
                    {
                      name: 'rating',
                      label: 'Rating',
                      type: 'select',
                      defaultValue: '5',
                      options: [5, 4, 3, 2, 1].map((n) => ({
                        value: String(n),
                        label: `${n} star${n === 1 ? '' : 's'}`,
                      })),
                    },
                    { name: 'body', label: 'Your review (optional)', type: 'textarea', maxLength: 4000 },
                  ]}
                />
              </details>
            ) : null}
            {booking.reviewed ? <p className="muted small">You reviewed this session.</p> : null}
          </li>
        );
      })}
    </ul>
  );
}
