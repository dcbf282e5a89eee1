import { createHmac, timingSafeEqual } from 'node:crypto';
import { isNotificationGroup, type NotificationGroup } from '@mentorhub/contracts';

/**
 * The token of a one-click unsubscribe link: `<user id>.<group>.<HMAC-SHA256 of both>`. Signed rather than stored,
 * so every mail can carry one without a write, and it names exactly one user and one group: changing either
 * breaks the signature, and without the secret no valid token can be made.
 */
function signature(secret: string, userId: number, group: NotificationGroup): string {
  return createHmac('sha256', secret)
    .update(`unsubscribe:${String(userId)}:${group}`)
    .digest('base64url');
}

export function unsubscribeToken(secret: string, userId: number, group: NotificationGroup): string {
  return `${String(userId)}.${group}.${signature(secret, userId, group)}`;
}

/** The user and group a token was signed for, or undefined for anything else (compared in constant time). */
export function verifyUnsubscribeToken(
  secret: string,
  token: string,
): { userId: number; group: NotificationGroup } | undefined {
  const [id = '', group = '', given = ''] = token.split('.');
  const userId = Number(id);
  if (!/^\d{1,10}$/.test(id) || !isNotificationGroup(group)) return undefined;
  const expected = Buffer.from(signature(secret, userId, group));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return { userId, group };
}
