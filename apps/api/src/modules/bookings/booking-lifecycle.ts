import { bookingActions, type BookingAction, type BookingStatus } from '@mentorhub/contracts';

export type Party = 'mentor' | 'mentee';

export interface BookingState {
  status: BookingStatus;
  startsAt: number;
  endsAt: number;
  createdAt: number;
}

export interface BookingPolicy {
  requestTtlMinutes: number;
  cancellationWindowHours: number;
}

/** requested → confirmed | declined | expired; confirmed → completed | cancelled | no_show. */
const transitions: Record<
  BookingAction,
  { from: BookingStatus; to: BookingStatus; by: readonly Party[]; done: string }
> = {
  confirm: { from: 'requested', to: 'confirmed', by: ['mentor'], done: 'confirmed' },
  decline: { from: 'requested', to: 'declined', by: ['mentor'], done: 'declined' },
  cancel: { from: 'confirmed', to: 'cancelled', by: ['mentor', 'mentee'], done: 'cancelled' },
  complete: { from: 'confirmed', to: 'completed', by: ['mentor'], done: 'completed' },
  'no-show': { from: 'confirmed', to: 'no_show', by: ['mentor'], done: 'marked as a no-show' },
};

/** A request nobody answered in time, or whose start has passed, no longer holds its slot. */
export function isStaleRequest(booking: BookingState, policy: BookingPolicy, now: number): boolean {
  return (
    booking.status === 'requested' &&
    (booking.createdAt <= now - policy.requestTtlMinutes * 60_000 || booking.startsAt <= now)
  );
}

export type Decision =
  | { allowed: true; to: BookingStatus }
  | { allowed: false; code: 'INVALID_TRANSITION' | 'CANCELLATION_WINDOW_CLOSED'; message: string };

/** Whether `party` may take `action` on the booking now, and the status it leads to. */
export function decide(
  booking: BookingState,
  action: BookingAction,
  party: Party,
  policy: BookingPolicy,
  now: number,
): Decision {
  const transition = transitions[action];
  const refuse = (
    message: string,
    code: 'INVALID_TRANSITION' | 'CANCELLATION_WINDOW_CLOSED' = 'INVALID_TRANSITION',
  ) => ({ allowed: false, code, message }) as const;
  if (!transition.by.includes(party))
    return refuse(`Only the ${transition.by.join(' or ')} can mark a booking ${transition.done}`);
  const status = isStaleRequest(booking, policy, now) ? 'expired' : booking.status;
  if (status !== transition.from)
    return refuse(`A ${status.replace('_', '-')} booking cannot be ${transition.done}`);
  if (action === 'complete' && now < booking.endsAt) return refuse('The session has not ended yet');
  if (action === 'no-show' && now < booking.startsAt) return refuse('The session has not started yet');
  if (action === 'cancel' && booking.startsAt - now < policy.cancellationWindowHours * 3_600_000)
    return refuse(
      `Sessions can be cancelled up to ${policy.cancellationWindowHours} hours before they start`,
      'CANCELLATION_WINDOW_CLOSED',
    );
  return { allowed: true, to: transition.to };
}

export function allowedActions(
  booking: BookingState,
  party: Party,
  policy: BookingPolicy,
  now: number,
): BookingAction[] {
  return bookingActions.filter((action) => decide(booking, action, party, policy, now).allowed);
}
