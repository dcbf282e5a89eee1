import {
  bookingNotificationPayloadSchema,
  type BookingNotificationPayload,
  type BookingNotificationType,
  type NewNotification,
} from '@mentorhub/contracts';
import escapeHtml from 'escape-html';
import { Undeliverable, type MailComposer, type Recipient } from './mail-composer';
import type { NewOutboxMessage } from './outbox.repository';

/** The booking changes that have a mail; who receives each is decided in the bookings module (booking-changes.ts). */
export const mailedBookingTypes = [
  'booking.requested',
  'booking.confirmed',
  'booking.declined',
  'booking.cancelled',
  'booking.expired',
  'booking.completed',
  'booking.withdrawn',
  'booking.reschedule_proposed',
  'booking.rescheduled',
  'booking.reschedule_declined',
] as const satisfies readonly BookingNotificationType[];

export type MailedBookingType = (typeof mailedBookingTypes)[number];

function isMailedBookingType(type: string): type is MailedBookingType {
  return (mailedBookingTypes as readonly string[]).includes(type);
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What a mail about a session says: its subject and first paragraph, the times it lists, and where its link leads. */
export interface SessionMailWording {
  subject: string;
  lead: string;
  /** Labelled times, each an instant of the payload (shown in the recipient's zone). */
  times: [label: string, instant: string | undefined][];
  link?: { label: string; path: string };
}

const wording: Record<MailedBookingType, (payload: BookingNotificationPayload) => SessionMailWording> = {
  'booking.requested': ({ otherPartyName: other, startsAt }) => ({
    subject: `New session request from ${other}`,
    lead: `${other} asked for a session with you. Confirm or decline it from your dashboard.`,
    times: [['When', startsAt]],
  }),
  'booking.confirmed': ({ otherPartyName: other, startsAt }) => ({
    subject: `Your session with ${other} is confirmed`,
    lead: `Your session with ${other} is confirmed.`,
    times: [['When', startsAt]],
  }),
  'booking.declined': ({ otherPartyName: other, startsAt }) => ({
    subject: `${other} declined your session request`,
    lead: `${other} could not take your session request. Another time may suit them.`,
    times: [['When', startsAt]],
  }),
  'booking.cancelled': ({ otherPartyName: other, startsAt }) => ({
    subject: `Your session with ${other} was cancelled`,
    lead: `Your session with ${other} was cancelled.`,
    times: [['When', startsAt]],
  }),
  'booking.expired': ({ otherPartyName: other, startsAt }) => ({
    subject: `Your session request to ${other} expired`,
    lead: `${other} did not answer your session request in time, so its slot was released.`,
    times: [['When', startsAt]],
  }),
  'booking.completed': ({ otherPartyName: other, startsAt, bookingId }) => ({
    subject: `How was your session with ${other}?`,
    lead: `Your session with ${other} is complete. A short review helps ${other} and other mentees.`,
    times: [['When', startsAt]],
    link: { label: 'Review the session', path: `/dashboard#booking-${String(bookingId)}` },
  }),
  'booking.withdrawn': ({ otherPartyName: other, startsAt }) => ({
    subject: `${other} withdrew their session request`,
    lead: `${other} withdrew their session request, so its slot is free again.`,
    times: [['When', startsAt]],
  }),
  'booking.reschedule_proposed': ({ otherPartyName: other, startsAt, proposedStartsAt }) => ({
    subject: `${other} proposed a new time for your session`,
    lead: `${other} would like to move your session. Accept or decline the new time from your dashboard.`,
    times: [
      ['Now', startsAt],
      ['Proposed', proposedStartsAt],
    ],
  }),
  'booking.rescheduled': ({ otherPartyName: other, startsAt, previousStartsAt }) => ({
    subject: `Your session with ${other} was moved`,
    lead: `Your session with ${other} has a new time.`,
    times: [
      ['When', startsAt],
      ['Was', previousStartsAt],
    ],
  }),
  'booking.reschedule_declined': ({ otherPartyName: other, startsAt, proposedStartsAt }) => ({
    subject: `${other} declined the new time you proposed`,
    lead: `${other} declined moving your session, so it stays at its time.`,
    times: [
      ['When', startsAt],
      ['Declined', proposedStartsAt],
    ],
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

/** A mail about one session in plain text and HTML: a greeting, what happened, its times in the recipient's zone. */
export function renderSessionMail(
  { subject, lead, times, link }: SessionMailWording,
  recipient: Recipient,
  webAppUrl: string,
): RenderedMail {
  const { label, path } = link ?? { label: 'Open your dashboard', path: '/dashboard' };
  const href = new URL(path, webAppUrl).toString();
  const shown = times.flatMap(([name, instant]) =>
    instant === undefined ? [] : [[name, formatInZone(new Date(instant), recipient.timezone)] as const],
  );
  const text = [
    `Hello ${recipient.name},`,
    '',
    lead,
    '',
    ...shown.map(([name, when]) => `${name}: ${when}`),
    '',
    `${label}: ${href}`,
    '',
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(recipient.name)},</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    ...shown.map(([name, when]) => `<p><strong>${escapeHtml(name)}:</strong> ${escapeHtml(when)}</p>`),
    `<p><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></p>`,
  ].join('\n');
  return { subject, text, html };
}

/** A booking mail in plain text and HTML, addressed to `recipient` about the other party. */
export function renderBookingMail(
  type: MailedBookingType,
  payload: BookingNotificationPayload,
  recipient: Recipient,
  webAppUrl: string,
): RenderedMail {
  return renderSessionMail(wording[type](payload), recipient, webAppUrl);
}

/**
 * The outbox row that mails a booking notification to its recipient, or undefined for a change that has no mail.
 * `sequence` is the booking's version after the change: a booking can reach a status once but be moved or asked to
 * move many times, so (type, booking, version, recipient) names each real event, and writing it twice stores it once.
 */
export function bookingMailMessage(
  notification: NewNotification,
  sequence: number,
): NewOutboxMessage | undefined {
  if (!isMailedBookingType(notification.type)) return undefined;
  const { bookingId } = notification.payload;
  return {
    channel: 'email',
    idempotencyKey: `${notification.type}:${String(bookingId)}:${String(sequence)}:${String(notification.userId)}`,
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
