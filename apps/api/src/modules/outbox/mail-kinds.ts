import { REMINDER_KIND } from '../reminders/reminders.service';
import { composeReminder } from '../reminders/reminder-mail';
import { bookingMailComposers } from './booking-mail';
import type { MailKind } from './mail-composer';

/** Every kind of outbox mail: the one place a new kind of mail is added. */
export const mailKinds: Readonly<Record<string, MailKind>> = {
  ...Object.fromEntries(
    Object.entries(bookingMailComposers).map(([kind, compose]) => [
      kind,
      { audience: 'bookingUpdates', compose },
    ]),
  ),
  [REMINDER_KIND]: { audience: 'reminders', compose: composeReminder },
};
