import type { Database } from '@mentorhub/db';
import { sql, type Kysely } from 'kysely';

export function publicProfileQuery(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('mentors as m', (join) =>
      join.onRef('m.user_id', '=', 'u.id').on('m.status', '=', sql.lit('approved')),
    )
    .select([
      'u.id',
      'u.name',
      'u.bio',
      'u.role',
      'u.timezone',
      'u.avatar_media_id',
      'u.created_at',
      'm.id as mentor_id',
    ])
    .where('u.id', '=', id)
    .where('u.is_active', '=', sql.lit(true));
}

export function updateProfile(
  db: Kysely<Database>,
  id: number,
  patch: { name?: string | undefined; bio?: string | undefined; timezone?: string | undefined },
) {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .where('is_active', '=', true)
    .returning(['id', 'role'])
    .executeTakeFirst();
}
