/** What to tell a person about an API error code after a redirecting action. */
export const errorMessages: Record<string, string> = {
  NO_SLOT: 'Choose a time first.',
  SLOT_TAKEN: 'Someone just booked that time. Please choose another slot.',
  SLOT_UNAVAILABLE: 'That time is no longer available. Please choose another slot.',
  INVALID_TRANSITION: 'That action is no longer possible for this booking.',
  CANCELLATION_WINDOW_CLOSED: 'It is too close to the session to cancel or move it.',
  ACCOUNT_PAUSED: 'Your account is paused by reliability strikes: see your dashboard for until when.',
  MENTOR_PAUSED: 'This mentor cannot be booked right now: their account is paused.',
  CONFLICT: 'That was already done.',
  BOOKING_CHANGED: 'This booking changed in the meantime. Here is how it stands now.',
  IDEMPOTENCY_KEY_IN_PROGRESS: 'Your booking is still being processed. Check your dashboard in a moment.',
  FORBIDDEN: 'You are not allowed to do that.',
  BLOCKED: 'One of you has blocked the other: you cannot message or book each other.',
  CONVERSATION_CLOSED: 'The mentor closed this conversation.',
  UNAUTHENTICATED: 'Please sign in again.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  VALIDATION_FAILED: 'Something in the request was not valid.',
  NOT_FOUND: 'That no longer exists.',
};

export const noticeMessages: Record<string, string> = {
  disputed: 'Your dispute was sent to the moderators.',
  booked: 'Your booking request was sent. The mentor will confirm it.',
  confirm: 'Booking confirmed.',
  decline: 'Booking declined.',
  cancel: 'Booking cancelled.',
  complete: 'Session marked as completed.',
  'no-show': 'Session marked as a no-show.',
  withdraw: 'Request withdrawn.',
  reschedule: 'New time proposed. The session keeps its time until it is accepted.',
  'accept-reschedule': 'The session is moved to the new time.',
  'decline-reschedule': 'Proposal declined. The session keeps its time.',
  'withdraw-reschedule': 'Proposal withdrawn.',
  saved: 'Saved.',
  closed: 'Conversation closed.',
  blocked: 'Blocked: neither of you can message or book the other.',
  unblocked: 'Unblocked.',
  reviewed: 'Thank you — your review is published.',
  enrolled: 'You are enrolled. Enjoy the course!',
};

export function messageFor(
  table: Record<string, string>,
  code: string | undefined,
  fallback: string,
): string | null {
  if (!code) return null;
  return table[code] ?? fallback;
}
