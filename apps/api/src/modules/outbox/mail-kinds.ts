import { accountMailComposers } from '../auth/account-mail';
import { withInvite } from '../calendar/invite-mail';
import { bookingMailComposers } from './booking-mail';
import type { MailComposer } from './mail-composer';

/** Every kind of outbox mail and the composer that writes it: the one place a new kind of mail is added. */
export const mailComposers: Readonly<Record<string, MailComposer>> = {
  ...bookingMailComposers,
  ...accountMailComposers,
  'booking.confirmed': withInvite('REQUEST', bookingMailComposers['booking.confirmed']),
  'booking.cancelled': withInvite('CANCEL', bookingMailComposers['booking.cancelled']),
};
