import type { AccountTokenPurpose, Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { hashSecretToken, newSecretToken } from '../../infra/auth/secret-token';
import * as auth from './auth.repository';

/** How long each kind of mailed link works. A reset is short-lived: it signs every device out. */
export const tokenLifetimeHours: Readonly<Record<AccountTokenPurpose, number>> = {
  verify_email: 24,
  reset_password: 1,
  change_email: 24,
};

const HOUR_MS = 3_600_000;

/** How long a link of this kind works, in milliseconds. */
export const tokenLifetimeMs = (purpose: AccountTokenPurpose): number =>
  tokenLifetimeHours[purpose] * HOUR_MS;

/**
 * A new link for the account (its older unused links of the same purpose stop working) and the raw token to mail;
 * only the token's hash is stored.
 */
export async function issueToken(
  db: Kysely<Database>,
  userId: number,
  purpose: AccountTokenPurpose,
  now: number,
  newEmail: string | null = null,
): Promise<string> {
  const token = newSecretToken();
  await auth.insertToken(db, {
    userId,
    purpose,
    tokenHash: hashSecretToken(token),
    newEmail,
    expiresAt: new Date(now + tokenLifetimeMs(purpose)),
  });
  return token;
}
