import type { Booking } from '@mentorhub/contracts';
import Link from 'next/link';
import { Avatar } from '@/components/image/Avatar';
import { ActionForm } from '@/components/ui/ActionForm';
import { formatDateTime, formatMoney } from '@/lib/format';
import { answerReschedule, bookingAction, reviewBooking } from './actions';

const actionLabels: Record<Booking['actions'][number], string> = {
  confirm: 'Confirm',
  decline: 'Decline',
  cancel: 'Cancel booking',
  complete: 'Mark completed',
  'no-show': 'Mark no-show',
  withdraw: 'Withdraw request',
  reschedule: 'Propose a new time',
  'accept-reschedule': 'Accept new time',
  'decline-reschedule': 'Decline new time',
  'withdraw-reschedule': 'Withdraw proposal',
};

/** The answers to an open proposal, each `POST /api/bookings/:id/reschedule/<answer>`. */
const rescheduleAnswers = {
  'accept-reschedule': 'accept',
  'decline-reschedule': 'decline',
  'withdraw-reschedule': 'withdraw',
} as const;

const primaryActions: readonly string[] = ['confirm', 'complete', 'accept-reschedule'];

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

/** One action button (or, to propose a new time, the link to the page that picks it) for one booking. */
function BookingActionControl({
  booking,
  action,
  otherName,
  returnTo,
}: {
  booking: Booking;
  action: Booking['actions'][number];
  otherName: string;
  returnTo: string;
}) {
  const label = actionLabels[action];
  const className = primaryActions.includes(action)
    ? 'button button-small'
    : 'button button-small button-secondary';
  const accessibleName = `${label}: session with ${otherName}`;
  if (action === 'reschedule')
    return (
      <Link
        href={`/bookings/${booking.id}/reschedule?returnTo=${encodeURIComponent(returnTo)}`}
        className={className}
        aria-label={accessibleName}
      >
        {label}
      </Link>
    );
  const answer =
    action in rescheduleAnswers ? rescheduleAnswers[action as keyof typeof rescheduleAnswers] : null;
  return (
    <form action={answer ? answerReschedule : bookingAction}>
      <input type="hidden" name="bookingId" value={booking.id} />
      <input type="hidden" name="returnTo" value={returnTo} />
      {answer ? (
        <>
          <input type="hidden" name="answer" value={answer} />
          <input type="hidden" name="sequence" value={booking.sequence} />
        </>
      ) : (
        <input type="hidden" name="action" value={action} />
      )}
      <button type="submit" className={className} aria-label={accessibleName}>
        {label}
      </button>
    </form>
  );
}

/**
 * Bookings as one side sees them, with exactly the actions the API allows this person now; a reported no-show the
 * reader may still dispute links to the dispute form of the page's standing notice.
 */
export function BookingList({
  bookings,
  as,
  timezone,
  returnTo,
  disputable,
}: {
  bookings: readonly Booking[];
  as: 'mentee' | 'mentor';
  timezone: string;
  returnTo: string;
  /** Strike ids by booking id, for the no-shows the reader can dispute. */
  disputable?: ReadonlyMap<number, number>;
}) {
  return (
    <ul className="bookings">
      {bookings.map((booking) => {
        const other = as === 'mentee' ? booking.mentor.user : booking.mentee;
        return (
          <li
            key={booking.id}
            id={`booking-${booking.id}`}
            className="booking card"
            data-booking-id={booking.id}
          >
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
            {booking.meetingUrl ? (
              <p className="booking-meeting">
                <a
                  href={booking.meetingUrl}
                  className="button button-small"
                  target="_blank"
                  rel="noopener noreferrer"
                  aria-label={`Join the session with ${other.name} (opens the video room)`}
                >
                  Join the session
                </a>{' '}
                <span className="muted small">{booking.meetingUrl}</span>
              </p>
            ) : null}
            {booking.proposal ? (
              <p className="proposal">
                {booking.proposal.proposedBy === as ? 'You proposed' : `${other.name} proposed`} a new time:{' '}
                <time dateTime={booking.proposal.startsAt}>
                  {formatDateTime(booking.proposal.startsAt, timezone)}
                </time>
              </p>
            ) : null}
            {disputable?.has(booking.id) ? (
              <p className="booking-actions">
                <a
                  href={`#dispute-${String(disputable.get(booking.id))}`}
                  className="button button-small button-secondary"
                  aria-label={`Dispute the no-show: session with ${other.name}`}
                >
                  Dispute
                </a>
              </p>
            ) : null}
            {booking.actions.length > 0 ? (
              <div className="booking-actions">
                {booking.actions.map((action) => (
                  <BookingActionControl
                    key={action}
                    booking={booking}
                    action={action}
                    otherName={other.name}
                    returnTo={returnTo}
                  />
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
