import { accountMailComposers } from '../auth/account-mail';
import { composeMessageDigest } from '../messaging/digest-mail';
import { MESSAGE_DIGEST_KIND } from '../messaging/digest.service';
import { withInvite } from '../calendar/invite-mail';
import { REMINDER_KIND } from '../reminders/reminders.service';
import { composeReminder } from '../reminders/reminder-mail';
import { bookingMailComposers } from './booking-mail';
import type { MailComposer, MailKind } from './mail-composer';

/** Booking mail; those that fix a session in the parties' calendars carry its invite. */
const bookingComposers: Record<string, MailComposer> = {
  ...bookingMailComposers,
  'booking.confirmed': withInvite('REQUEST', bookingMailComposers['booking.confirmed']),
  'booking.rescheduled': withInvite('REQUEST', bookingMailComposers['booking.rescheduled']),
  'booking.cancelled': withInvite('CANCEL', bookingMailComposers['booking.cancelled']),
};

/** Every kind of outbox mail: the one place a new kind of mail is added. */
export const mailKinds: Readonly<Record<string, MailKind>> = {
  ...Object.fromEntries(
    Object.entries(bookingComposers).map(([kind, compose]) => [
      kind,
      { audience: 'bookingUpdates', compose },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(accountMailComposers).map(([kind, compose]) => [kind, { audience: 'security', compose }]),
  ),
  [REMINDER_KIND]: { audience: 'reminders', compose: composeReminder },
  [MESSAGE_DIGEST_KIND]: { audience: 'messages', compose: composeMessageDigest },
};
