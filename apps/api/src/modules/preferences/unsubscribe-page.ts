import { notificationGroupLabels, type NotificationGroup } from '@mentorhub/contracts';
import escapeHtml from 'escape-html';
import { preferencesUrl } from './mail-preferences';

function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · MentorHub</title></head>`,
    `<body><main><h1>${escapeHtml(title)}</h1>`,
    body,
    '</main></body></html>',
  ].join('\n');
}

/**
 * What a GET of an unsubscribe link shows: a question and one button. Link scanners fetch links in mail, so
 * only the button's POST (or the mail provider's one-click POST) unsubscribes.
 */
export function confirmationPage(group: NotificationGroup, webAppUrl: string): string {
  const label = escapeHtml(notificationGroupLabels[group]);
  return page(
    'Unsubscribe?',
    [
      `<p>Stop sending you &quot;${label}&quot; mail? Security and account mail is always sent.</p>`,
      '<form method="post">',
      '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
      `<button type="submit">Unsubscribe from &quot;${label}&quot; mail</button>`,
      '</form>',
      `<p>Or choose what we send you in your <a href="${escapeHtml(preferencesUrl(webAppUrl))}">notification settings</a>.</p>`,
    ].join('\n'),
  );
}

/** What a browser sees after the button: done, and where to switch it back on. */
export function unsubscribedPage(group: NotificationGroup, webAppUrl: string): string {
  const label = escapeHtml(notificationGroupLabels[group]);
  return page(
    'Unsubscribed',
    `<p>You will get no more &quot;${label}&quot; mail. You can switch it back on in your ` +
      `<a href="${escapeHtml(preferencesUrl(webAppUrl))}">notification settings</a>.</p>`,
  );
}
