import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { expect } from 'vitest';

/** Reading delivered mail as its recipients would, whichever way it arrived (SMTP server or development mailbox). */

function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((address) => address.address ?? ''));
}

/** The mails among `mails` to `address` whose subject matches, in the order given. */
export function mailsTo(mails: readonly ParsedMail[], address: string, subject = /./): ParsedMail[] {
  return mails.filter((mail) => recipientsOf(mail).includes(address) && subject.test(mail.subject ?? ''));
}

/** The one mail to `address` whose subject matches; fails, naming the subjects, if there is none or several. */
export function onlyMailTo(mails: readonly ParsedMail[], address: string, subject = /./): ParsedMail {
  const matches = mailsTo(mails, address, subject);
  expect(
    matches.map((mail) => mail.subject),
    `one mail to ${address} matching ${String(subject)}`,
  ).toHaveLength(1);
  return matches[0] as ParsedMail;
}

/** The line of a mail's text that starts with `label`, e.g. "When: Monday, …". */
export function line(mail: ParsedMail, label: string): string {
  return (mail.text ?? '').split('\n').find((text) => text.startsWith(`${label}: `)) ?? '';
}

/** The link to `page` (a web app path) with its token in a mail's text, if there is one. */
export function tokenLinkIn(mail: ParsedMail, page: string): string | undefined {
  return new RegExp(`https?://\\S+${page}\\?token=[\\w-]{43}`).exec(mail.text ?? '')?.[0];
}

export interface Invite {
  method: string;
  event: ICAL.Event;
  vevent: ICAL.Component;
  raw: string;
}

/**
 * The invite of a mail, parsed with ical.js: the text/calendar alternative calendars act on (its Content-Type names
 * the method) and the invite.ics attachment must carry the same calendar.
 */
export function inviteOf(mail: ParsedMail): Invite {
  const alternative = mail.attachments.filter((part) => part.contentType === 'text/calendar');
  const file = mail.attachments.filter((part) => part.filename === 'invite.ics');
  expect(alternative).toHaveLength(1);
  expect(file).toHaveLength(1);
  const raw = (alternative[0] as (typeof alternative)[number]).content.toString('utf8');
  expect((file[0] as (typeof file)[number]).content.toString('utf8')).toBe(raw);
  const vcalendar = ICAL.Component.fromString(raw);
  const method = String(vcalendar.getFirstPropertyValue('method'));
  const contentType = (alternative[0] as (typeof alternative)[number]).headers.get('content-type') as {
    value: string;
    params: Record<string, string>;
  };
  expect(contentType.params.method).toBe(method);
  expect(vcalendar.getFirstPropertyValue('version')).toBe('2.0');
  expect(vcalendar.getFirstPropertyValue('prodid')).toBe('-//MentorHub//Sessions//EN');
  const vevents = vcalendar.getAllSubcomponents('vevent');
  expect(vevents).toHaveLength(1);
  const vevent = vevents[0] as ICAL.Component;
  return { method, vevent, event: new ICAL.Event(vevent), raw };
}

/** A property of an event that must be there. */
export function property(vevent: ICAL.Component, name: string): ICAL.Property {
  const found = vevent.getFirstProperty(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}
