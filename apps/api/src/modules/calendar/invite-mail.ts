import escapeHtml from 'escape-html';
import { z } from 'zod';
import { senderOf, type MailComposer } from '../outbox/mail-composer';
import { findSession } from './calendar.repository';
import { calendarOf, sessionEvent, type InviteMethod } from './ics';
import { isPartyOf, sessionEventOf } from './session-event';

/** The booking status an invite of each method announces. */
const statusOf: Record<InviteMethod, 'confirmed' | 'cancelled'> = {
  REQUEST: 'confirmed',
  CANCEL: 'cancelled',
};

const bookingPayloadSchema = z.looseObject({ bookingId: z.number().int() });

/**
 * Adds the session's calendar invite to the mail `compose` writes, and the meeting link to its text: one line
 * makes any booking mail kind carry one (`withInvite('REQUEST', composer)` in mail-kinds.ts).
 *
 * The booking is read at delivery, so a message delivered late or retried carries the session's current time (in
 * its text too), sequence and link, never those of when it was written. A message whose booking has since moved to another
 * status (a confirmation delivered after the session was cancelled) is dropped: the message written by that change
 * carries the newer state, and a late REQUEST must not put a cancelled session back into a calendar.
 */
export function withInvite(method: InviteMethod, compose: MailComposer): MailComposer {
  return async (message, recipient, ctx) => {
    const payload = bookingPayloadSchema.safeParse(message.payload);
    if (!payload.success) return compose(message, recipient, ctx); // the composer refuses malformed payloads
    const session = await findSession(ctx.db, payload.data.bookingId);
    if (!session || !isPartyOf(session, recipient.id)) return { drop: 'The booking is no longer theirs' };
    if (session.status !== statusOf[method])
      return { drop: `The session is ${session.status} now; the message of that change tells of it` };
    const now = { ...payload.data, startsAt: session.starts_at.toISOString() };
    const composition = await compose({ ...message, payload: now }, recipient, ctx);
    if ('drop' in composition) return composition;
    const sender = senderOf(ctx.mailFrom);
    const event = sessionEventOf(session, recipient, {
      meetingBaseUrl: ctx.meetingBaseUrl,
      webAppUrl: ctx.webAppUrl,
      stampedAt: new Date(ctx.now),
    });
    const { mail } = composition;
    const join = event.meetingUrl;
    return {
      mail: {
        ...mail,
        text: join ? `${mail.text}Join the session: ${join}\n` : mail.text,
        html: join
          ? `${mail.html}\n<p><strong>Join:</strong> <a href="${escapeHtml(join)}">${escapeHtml(join)}</a></p>`
          : mail.html,
        // Nodemailer sends it as a text/calendar alternative (what calendars act on) and as invite.ics.
        icalEvent: {
          method,
          filename: 'invite.ics',
          content: calendarOf([sessionEvent(event, sender)], { method }),
        },
      },
    };
  };
}
