import { simpleParser, type ParsedMail } from 'mailparser';
import { mailsTo, tokenLinkIn } from './mail';

/**
 * Every mail in the development mailbox of a running API (`GET /api/dev/mailbox`, the .eml files written when
 * there is no SMTP server), newest first, each message parsed as a mail client would.
 */
export async function devMailbox(apiUrl: string): Promise<ParsedMail[]> {
  const list = (await (await fetch(`${apiUrl}/api/dev/mailbox`)).json()) as { items: { name: string }[] };
  return Promise.all(
    list.items.map(async ({ name }) => {
      const { raw } = (await (await fetch(`${apiUrl}/api/dev/mailbox/${name}`)).json()) as { raw: string };
      return simpleParser(raw);
    }),
  );
}

/** The newest link to `page` in a mail to `to`, read through the development mailbox. */
export async function linkFromDevMailbox(apiUrl: string, to: string, page: string): Promise<string> {
  for (const mail of mailsTo(await devMailbox(apiUrl), to)) {
    const link = tokenLinkIn(mail, page);
    if (link) return link;
  }
  throw new Error(`no mail to ${to} with a link to ${page}`);
}
