import { createHash, randomBytes } from 'node:crypto';

/**
 * 256 random bits (a session cookie, a link mailed to an account), sent once; only its SHA-256 is stored, so a
 * database leak yields no sessions and no usable links.
 */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecretToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
