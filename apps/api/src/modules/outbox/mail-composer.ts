import type { NotificationGroup } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type Mail from 'nodemailer/lib/mailer';

/** Who a message goes to, read at delivery so a changed address, name or timezone is honoured. */
export interface Recipient {
  id: number;
  email: string;
  name: string;
  timezone: string;
}

/** An outbox message as its composer sees it. */
export interface OutboxMessage {
  kind: string;
  idempotencyKey: string;
  payload: unknown;
}

export interface ComposeContext {
  db: Kysely<Database>;
  webAppUrl: string;
  /** `MAIL_FROM`: the sender, also the organizer of calendar invites. */
  mailFrom: string;
  /** `MEETING_BASE_URL`: where generated video rooms live. */
  meetingBaseUrl: string;
  /** The delivering worker's clock (milliseconds since the epoch). */
  now: number;
}

/**
 * The part of a mail its kind decides; the worker adds sender, recipient and Message-ID. `to` replaces the
 * recipient's current address for a mail that must reach another one (an email change is confirmed at the new
 * address).
 */
export type ComposedMail = Pick<Mail.Options, 'attachments' | 'icalEvent' | 'to'> & {
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
};

/** The parts of `MAIL_FROM` ("Name <address>" or an address): who sends, and the domain that names ids. */
export function senderOf(mailFrom: string): { name: string; email: string; domain: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>\s]+)>\s*$/.exec(mailFrom);
  const email = match?.[2] ?? mailFrom.trim();
  return {
    name: match?.[1] || 'MentorHub',
    email,
    domain: /@([^>\s]+)$/.exec(email)?.[1] ?? 'mentorhub.localhost',
  };
}

/** A composer's answer: the mail to send, or why the message is no longer worth sending (settled as dropped). */
export type Composition = { mail: ComposedMail } | { drop: string };

/**
 * Writes one kind of mail. Throwing `Undeliverable` parks the message as a dead letter at once (its content can
 * never be delivered); any other error counts as a failed attempt and is retried.
 */
export type MailComposer = (
  message: OutboxMessage,
  recipient: Recipient,
  ctx: ComposeContext,
) => Composition | Promise<Composition>;

/** A message that no retry can deliver (its content is malformed or gone). */
export class Undeliverable extends Error {}

/** Who a kind of mail is for: a preference group, or 'security' (account mail: always sent, no unsubscribe). */
export type MailAudience = NotificationGroup | 'security';

/**
 * A kind of mail: who it is for and how it is written. Mail of a preference group is dropped at delivery once its
 * recipient switched that group's email off, and carries one-click unsubscribe headers and a footer; 'security'
 * mail is always sent as composed.
 */
export interface MailKind {
  audience: MailAudience;
  compose: MailComposer;
}
