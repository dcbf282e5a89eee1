import { createHash } from 'node:crypto';
import { senderOf } from './mail-composer';

/** The same on every attempt, so a receiver can drop a duplicate if one ever slips through. */
export function messageIdOf(idempotencyKey: string, mailFrom: string): string {
  const { domain } = senderOf(mailFrom);
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}
