import {
  bookingActions,
  rescheduleActions,
  type BookingAction,
  type BookingStatus,
  type RescheduleAction,
} from '@mentorhub/contracts';

export type Party = 'mentor' | 'mentee';

export interface BookingState {
  status: BookingStatus;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  /** Who made the open reschedule proposal, if one is open. */
  proposedBy: Party | null;
}

export interface BookingPolicy {
  requestTtlMinutes: number;
  cancellationWindowHours: number;
  /** How long after the start a party who is not there may be reported as a no-show by the other. */
  noShowGraceMinutes: number;
}

/**
 * requested → confirmed | declined | expired | withdrawn; confirmed → completed | cancelled | no_show. A no-show is
 * reported by the party who came, about the other.
 */
const transitions: Record<
  BookingAction,
  { from: BookingStatus; to: BookingStatus; by: readonly Party[]; done: string }
> = {
  confirm: { from: 'requested', to: 'confirmed', by: ['mentor'], done: 'confirmed' },
  decline: { from: 'requested', to: 'declined', by: ['mentor'], done: 'declined' },
  cancel: { from: 'confirmed', to: 'cancelled', by: ['mentor', 'mentee'], done: 'cancelled' },
  complete: { from: 'confirmed', to: 'completed', by: ['mentor'], done: 'completed' },
  'no-show': { from: 'confirmed', to: 'no_show', by: ['mentor', 'mentee'], done: 'marked as a no-show' },
  withdraw: { from: 'requested', to: 'withdrawn', by: ['mentee'], done: 'withdrawn' },
};

/** A request nobody answered in time, or whose start has passed, no longer holds its slot. */
export function isStaleRequest(booking: BookingState, policy: BookingPolicy, now: number): boolean {
  return (
    booking.status === 'requested' &&
    (booking.createdAt <= now - policy.requestTtlMinutes * 60_000 || booking.startsAt <= now)
  );
}

type Refusal = { allowed: false; code: 'INVALID_TRANSITION' | 'CANCELLATION_WINDOW_CLOSED'; message: string };
export type Decision = { allowed: true; to: BookingStatus } | Refusal;

const refuse = (
  message: string,
  code: 'INVALID_TRANSITION' | 'CANCELLATION_WINDOW_CLOSED' = 'INVALID_TRANSITION',
): Refusal => ({ allowed: false, code, message });

/** The status the booking has now: a stale request is expired whether or not the sweep stored it yet. */
function currentStatus(booking: BookingState, policy: BookingPolicy, now: number): BookingStatus {
  return isStaleRequest(booking, policy, now) ? 'expired' : booking.status;
}

/** A confirmed session is a commitment: neither party can call it off, or move it, this close to its start. */
function insideCancellationWindow(booking: BookingState, policy: BookingPolicy, now: number): boolean {
  return (
    booking.status === 'confirmed' && booking.startsAt - now < policy.cancellationWindowHours * 3_600_000
  );
}

/** Whether `party` may take `action` on the booking now, and the status it leads to. */
export function decide(
  booking: BookingState,
  action: BookingAction,
  party: Party,
  policy: BookingPolicy,
  now: number,
): Decision {
  const transition = transitions[action];
  if (!transition.by.includes(party))
    return refuse(`Only the ${transition.by.join(' or ')} can mark a booking ${transition.done}`);
  const status = currentStatus(booking, policy, now);
  if (status !== transition.from)
    return refuse(`A ${status.replace('_', '-')} booking cannot be ${transition.done}`);
  if (action === 'complete' && now < booking.endsAt) return refuse('The session has not ended yet');
  if (action === 'no-show' && now < booking.startsAt + policy.noShowGraceMinutes * 60_000)
    return refuse(
      `The other party can be reported as a no-show from ${policy.noShowGraceMinutes} minutes after the start`,
    );
  if (action === 'cancel' && insideCancellationWindow(booking, policy, now))
    return refuse(
      `Sessions can be cancelled up to ${policy.cancellationWindowHours} hours before they start`,
      'CANCELLATION_WINDOW_CLOSED',
    );
  return { allowed: true, to: transition.to };
}

/**
 * Whether `party` may propose a new time (`reschedule`) or answer the open proposal now. Requested and confirmed
 * bookings can be moved, one open proposal at a time, by either party; the other party accepts or declines it and
 * its proposer may withdraw it. Moving a confirmed session, like cancelling it, closes at the cancellation window.
 */
export function decideReschedule(
  booking: BookingState,
  action: RescheduleAction,
  party: Party,
  policy: BookingPolicy,
  now: number,
): { allowed: true } | Refusal {
  const status = currentStatus(booking, policy, now);
  if (status !== 'requested' && status !== 'confirmed')
    return refuse(`A ${status.replace('_', '-')} booking cannot be rescheduled`);
  const moves = action === 'reschedule' || action === 'accept-reschedule';
  if (moves && insideCancellationWindow(booking, policy, now))
    return refuse(
      `Sessions can be moved up to ${policy.cancellationWindowHours} hours before they start`,
      'CANCELLATION_WINDOW_CLOSED',
    );
  if (action === 'reschedule')
    return booking.proposedBy === null
      ? { allowed: true }
      : refuse('This booking already has an open proposal to move it');
  if (booking.proposedBy === null) return refuse('This booking has no open proposal to move it');
  const own = booking.proposedBy === party;
  if (action === 'withdraw-reschedule')
    return own ? { allowed: true } : refuse('Only the party who proposed a new time can withdraw it');
  return own ? refuse('The other party answers your proposal') : { allowed: true };
}

export function allowedActions(
  booking: BookingState,
  party: Party,
  policy: BookingPolicy,
  now: number,
): (BookingAction | RescheduleAction)[] {
  return [
    ...bookingActions.filter((action) => decide(booking, action, party, policy, now).allowed),
    ...rescheduleActions.filter((action) => decideReschedule(booking, action, party, policy, now).allowed),
  ];
}
