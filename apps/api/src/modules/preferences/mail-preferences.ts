import { notificationGroupLabels, type NotificationGroup } from '@mentorhub/contracts';
import escapeHtml from 'escape-html';
import type {
  ComposeContext,
  ComposedMail,
  Composition,
  MailKind,
  OutboxMessage,
  Recipient,
} from '../outbox/mail-composer';
import { isOptedOut } from './preferences.service';
import { unsubscribeToken } from './unsubscribe-token';

export interface UnsubscribeLinks {
  webAppUrl: string;
  secret: string;
}

/** The settings section where every group can be switched on and off. */
export function preferencesUrl(webAppUrl: string): string {
  return new URL('/settings#notifications', webAppUrl).toString();
}

/**
 * A mail of a preference group as sent: RFC 2369 `List-Unsubscribe` with the one-click URL and RFC 8058
 * `List-Unsubscribe-Post`, so mail providers offer (and perform) the unsubscribe themselves, and a footer that
 * links to the preferences and to the same URL (where a GET only asks for confirmation).
 */
export function withUnsubscribe(
  mail: ComposedMail,
  group: NotificationGroup,
  recipientId: number,
  links: UnsubscribeLinks,
): ComposedMail {
  const token = unsubscribeToken(links.secret, recipientId, group);
  const unsubscribe = new URL(`/api/unsubscribe/${token}`, links.webAppUrl).toString();
  const settings = preferencesUrl(links.webAppUrl);
  const label = notificationGroupLabels[group];
  return {
    ...mail,
    headers: {
      ...mail.headers,
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    text: [
      mail.text.trimEnd(),
      '',
      '--',
      `You get this mail because "${label}" mail is on in your notification settings.`,
      `Change what we send you: ${settings}`,
      `Unsubscribe from "${label}" mail: ${unsubscribe}`,
      '',
    ].join('\n'),
    html: [
      mail.html,
      '<hr>',
      `<p>You get this mail because &quot;${escapeHtml(label)}&quot; mail is on in your notification settings. ` +
        `<a href="${escapeHtml(settings)}">Change what we send you</a> or ` +
        `<a href="${escapeHtml(unsubscribe)}">unsubscribe from &quot;${escapeHtml(label)}&quot; mail</a>.</p>`,
    ].join('\n'),
  };
}

/**
 * A message of `kind` as its recipient's preferences have it: dropped when they switched its group's email off
 * (read at delivery, so an opt-out after the message was written still counts), otherwise composed and, unless it
 * is security mail, given the unsubscribe headers and footer.
 */
export async function composeForRecipient(
  kind: MailKind,
  message: OutboxMessage,
  recipient: Recipient & { opted_out: readonly string[] | null },
  ctx: ComposeContext,
  unsubscribeSecret: string,
): Promise<Composition> {
  const { audience } = kind;
  if (audience !== 'security' && isOptedOut(recipient.opted_out, audience, 'email'))
    return { drop: 'opted out' };
  const composition = await kind.compose(message, recipient, ctx);
  if ('drop' in composition || audience === 'security') return composition;
  return {
    mail: withUnsubscribe(composition.mail, audience, recipient.id, {
      webAppUrl: ctx.webAppUrl,
      secret: unsubscribeSecret,
    }),
  };
}
