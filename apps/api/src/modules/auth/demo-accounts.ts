import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '../../infra/auth/passwords';

/** Demo data only (never production): one password for the three accounts the README names. */
export const DEMO_PASSWORD = 'mentorhub-demo';

export const demoAccounts = {
  admin: 'admin@mentorhub.example',
  mentor: 'mentor@mentorhub.example',
  mentee: 'mentee@mentorhub.example',
} as const;

/**
 * Makes the seeded admin, the first listed mentor and the first mentee sign-in-able, so a fresh install can be
 * tried from every side (the studio and admin approval need such accounts) without touching the database.
 */
export async function enableDemoAccounts(db: Kysely<Database>): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await sql`
    UPDATE users u SET email = pick.email, password_hash = ${passwordHash}
    FROM (
      SELECT id, ${demoAccounts.admin} AS email FROM users WHERE email = ${demoAccounts.admin}
      UNION ALL
      (SELECT user_id, ${demoAccounts.mentor} FROM mentors WHERE status = 'approved' AND is_active ORDER BY id LIMIT 1)
      UNION ALL
      (SELECT id, ${demoAccounts.mentee} FROM users WHERE role = 'mentee' ORDER BY id LIMIT 1)
    ) AS pick (id, email)
    WHERE u.id = pick.id`.execute(db);
}
