import escapeHtml from 'escape-html';
import { Undeliverable, type MailComposer, type Recipient } from '../outbox/mail-composer';
import type { RenderedMail } from '../outbox/booking-mail';
import { digestConversations, type DigestConversationRow } from './digest.repository';
import { digestAllowed, digestPayloadSchema } from './digest.service';

/** How much of a message a digest quotes: its first line, cut to this many characters. */
const QUOTE_CHARACTERS = 140;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The first line of a message body, cut between characters (never inside an emoji or accented letter). */
export function firstLine(body: string): string {
  const line = body.trimStart().split('\n', 1)[0]?.trimEnd() ?? '';
  const characters = Array.from(graphemes.segment(line), ({ segment }) => segment);
  return characters.length > QUOTE_CHARACTERS
    ? `${characters.slice(0, QUOTE_CHARACTERS - 1).join('')}…`
    : line;
}

/** "Greta", "Greta and Sam", "Greta, Sam and 2 others". */
function namesPhrase(names: readonly string[]): string {
  if (names.length <= 2) return names.join(' and ');
  const others = names.length - 2;
  return `${names.slice(0, 2).join(', ')} and ${others === 1 ? '1 other' : `${String(others)} others`}`;
}

const countPhrase = (count: number) => (count === 1 ? '1 new message' : `${String(count)} new messages`);

interface DigestEntry {
  name: string;
  count: number;
  quote: string;
  href: string;
}

export function renderDigest(entries: readonly DigestEntry[], recipient: Recipient): RenderedMail {
  const subject = `Unread messages from ${namesPhrase(entries.map((entry) => entry.name))}`;
  const text = [
    `Hello ${recipient.name},`,
    '',
    'These messages are waiting for you:',
    '',
    ...entries.flatMap((entry) => [
      `${entry.name}: ${countPhrase(entry.count)}`,
      `  "${entry.quote}"`,
      `  Read and reply: ${entry.href}`,
      '',
    ]),
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(recipient.name)},</p>`,
    '<p>These messages are waiting for you:</p>',
    '<ul>',
    ...entries.map(
      (entry) =>
        `<li><strong>${escapeHtml(entry.name)}</strong>: ${countPhrase(entry.count)}<br>` +
        `<q>${escapeHtml(entry.quote)}</q><br>` +
        `<a href="${escapeHtml(entry.href)}">Read and reply</a></li>`,
    ),
    '</ul>',
  ].join('\n');
  return { subject, text, html };
}

function toEntry(row: DigestConversationRow, webAppUrl: string): DigestEntry {
  return {
    name: row.other_name,
    count: row.unread,
    quote: firstLine(row.newest_body ?? ''),
    href: new URL(`/messages/${String(row.conversation_id)}`, webAppUrl).toString(),
  };
}

/**
 * A digest re-reads its conversations at delivery: messages read, hidden or blocked since it was written leave it,
 * and it is dropped when nothing is left or its recipient was suspended meanwhile.
 */
export const composeMessageDigest: MailComposer = async (message, recipient, { db, webAppUrl, now }) => {
  const parsed = digestPayloadSchema.safeParse(message.payload);
  if (!parsed.success) throw new Undeliverable('The payload of a message digest is malformed');
  const rows = await digestConversations(db, recipient.id, parsed.data.conversations);
  const shown = rows.filter((row) => row.unread > 0 && digestAllowed(row, now));
  if (shown.length === 0) return { drop: 'nothing in the digest is unread any more' };
  return {
    mail: renderDigest(
      shown.map((row) => toEntry(row, webAppUrl)),
      recipient,
    ),
  };
};
