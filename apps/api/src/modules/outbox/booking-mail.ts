import {
  bookingNotificationPayloadSchema,
  type BookingNotificationPayload,
  type BookingNotificationType,
  type NewNotification,
} from '@mentorhub/contracts';
import escapeHtml from 'escape-html';
import { Undeliverable, type MailComposer, type Recipient } from './mail-composer';
import type { NewOutboxMessage } from './outbox.repository';

/** The booking changes that are mailed; the others stay in-app notifications. */
export const mailedBookingTypes = [
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.cancelled',
  'booking.expired',
] as const satisfies readonly BookingNotificationType[];

export type MailedBookingType = (typeof mailedBookingTypes)[number];

export function isMailedBookingType(type: string): type is MailedBookingType {
  return (mailedBookingTypes as readonly string[]).includes(type);
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const wording: Record<MailedBookingType, (other: string) => { subject: string; lead: string }> = {
  'booking.requested': (other) => ({
    subject: `New session request from ${other}`,
    lead: `${other} asked for a session with you. Confirm or decline it from your dashboard.`,
  }),
  'booking.confirmed': (other) => ({
    subject: `Your session with ${other} is confirmed`,
    lead: `Your session with ${other} is confirmed.`,
  }),
  'booking.declined': (other) => ({
    subject: `${other} declined your session request`,
    lead: `${other} could not take your session request. Another time may suit them.`,
  }),
  'booking.cancelled': (other) => ({
    subject: `Your session with ${other} was cancelled`,
    lead: `Your session with ${other} was cancelled.`,
  }),
  'booking.expired': (other) => ({
    subject: `Your session request to ${other} expired`,
    lead: `${other} did not answer your session request in time, so its slot was released.`,
  }),
};

/** The zone's short name at `instant`: "EST", and "CET" or "BST" where American English only knows "GMT+1". */
function zoneAbbreviation(instant: Date, timeZone: string): string {
  const nameIn = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const american = nameIn('en-US');
  if (!american.startsWith('GMT')) return american;
  const british = nameIn('en-GB');
  return /^GMT[+-]/.test(british) ? american : british;
}

/** "Monday, March 2, 2026 at 9:00 AM EST": the instant in the recipient's own zone, with the zone's abbreviation. */
export function formatInZone(instant: Date, timeZone: string): string {
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(instant);
  return `${local} ${zoneAbbreviation(instant, timeZone)}`;
}

/** A mail about one session in plain text and HTML: a greeting, what happened, when (in the recipient's zone). */
export function renderSessionMail(
  wording: { subject: string; lead: string },
  startsAt: Date,
  recipient: Recipient,
  webAppUrl: string,
): RenderedMail {
  const when = formatInZone(startsAt, recipient.timezone);
  const dashboard = new URL('/dashboard', webAppUrl).toString();
  const text = [
    `Hello ${recipient.name},`,
    '',
    wording.lead,
    '',
    `When: ${when}`,
    '',
    `Your dashboard: ${dashboard}`,
    '',
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(recipient.name)},</p>`,
    `<p>${escapeHtml(wording.lead)}</p>`,
    `<p><strong>When:</strong> ${escapeHtml(when)}</p>`,
    `<p><a href="${escapeHtml(dashboard)}">Open your dashboard</a></p>`,
  ].join('\n');
  return { subject: wording.subject, text, html };
}

/** A booking mail in plain text and HTML, addressed to `recipient` about the other party. */
export function renderBookingMail(
  type: MailedBookingType,
  payload: BookingNotificationPayload,
  recipient: Recipient,
  webAppUrl: string,
): RenderedMail {
  return renderSessionMail(
    wording[type](payload.otherPartyName),
    new Date(payload.startsAt),
    recipient,
    webAppUrl,
  );
}

/**
 * The outbox row that mails a booking notification to its recipient, or undefined for a change that is not mailed.
 * A booking reaches each status once, so (type, booking, recipient) names the message for good.
 */
export function bookingMailMessage(notification: NewNotification): NewOutboxMessage | undefined {
  if (!isMailedBookingType(notification.type)) return undefined;
  return {
    channel: 'email',
    idempotencyKey: `${notification.type}:${String(notification.payload.bookingId)}:${String(notification.userId)}`,
    recipientId: notification.userId,
    kind: notification.type,
    payload: notification.payload,
  };
}

function composeBookingMail(type: MailedBookingType): MailComposer {
  return (message, recipient, { webAppUrl }) => {
    const payload = bookingNotificationPayloadSchema.safeParse(message.payload);
    if (!payload.success) throw new Undeliverable(`The payload of a "${type}" message is malformed`);
    return { mail: renderBookingMail(type, payload.data, recipient, webAppUrl) };
  };
}

export const bookingMailComposers = Object.fromEntries(
  mailedBookingTypes.map((type) => [type, composeBookingMail(type)]),
) as Record<MailedBookingType, MailComposer>;
