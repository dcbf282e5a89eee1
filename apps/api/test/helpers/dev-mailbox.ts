import { simpleParser } from 'mailparser';

/**
 * The newest link to `page` in a mail to `to`, read as a user would: through the development mailbox of a running
 * API (`GET /api/dev/mailbox`, the .eml files written when there is no SMTP server), each message parsed.
 */
export async function linkFromDevMailbox(apiUrl: string, to: string, page: string): Promise<string> {
  const list = (await (await fetch(`${apiUrl}/api/dev/mailbox`)).json()) as { items: { name: string }[] };
  for (const { name } of list.items) {
    const { raw } = (await (await fetch(`${apiUrl}/api/dev/mailbox/${name}`)).json()) as { raw: string };
    const mail = await simpleParser(raw);
    const recipients = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value);
    if (!recipients.some((address) => address.address === to)) continue;
    const link = new RegExp(`https?://\\S+${page}\\?token=[\\w-]{43}`).exec(mail.text ?? '')?.[0];
    if (link) return link;
  }
  throw new Error(`no mail to ${to} with a link to ${page}`);
}
