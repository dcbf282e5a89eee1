import { createHash } from 'node:crypto';

/** The same on every attempt, so a receiver can drop a duplicate if one ever slips through. */
export function messageIdOf(idempotencyKey: string, mailFrom: string): string {
  const domain = /@([^>\s]+)/.exec(mailFrom)?.[1] ?? 'mentorhub.localhost';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@${domain}>`;
}
