import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { compiledOnce } from '../../infra/db/compiled-once';
import { isoInstant, jsonObject, jsonText, type JsonFields } from '../../infra/db/json';
import { mediaUrlSql, responsiveImageSql } from '../media/media.urls';

/** The fields of `UserSummary` in its order, for the user row aliased `alias`; a null avatar id gives nulls. */
function userSummaryFields(alias: string): JsonFields {
  return {
    id: `${alias}.id`,
    name: `${alias}.name`,
    avatarUrl: mediaUrlSql(`${alias}.avatar_media_id`),
    avatar: responsiveImageSql(`${alias}.avatar_media_id`, 'avatar'),
  };
}

/** `UserSummary` serialized by PostgreSQL for the user row aliased `alias`. */
export function userSummaryJson(alias: string): RawBuilder<unknown> {
  return jsonObject(userSummaryFields(alias));
}

/**
 * A person as anyone may see them (`PublicUser`), serialized by PostgreSQL; an account nobody has verified reads
 * like an id that does not exist.
 */
export function publicProfileQuery(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('users as u')
    .leftJoin('mentors as m', (join) =>
      join.onRef('m.user_id', '=', 'u.id').on('m.status', '=', sql.lit('approved')),
    )
    .select(
      jsonText({
        ...userSummaryFields('u'),
        bio: 'u.bio',
        role: 'u.role',
        timezone: 'u.timezone',
        mentorId: 'm.id',
        createdAt: isoInstant('u.created_at'),
      }).as('profile'),
    )
    .where('u.id', '=', id)
    .where('u.is_active', '=', sql.lit(true))
    .where('u.email_verified_at', 'is not', null);
}

/** `publicProfileQuery` built once: the profile's cache miss sends its text with the id. */
export const publicProfile = compiledOnce(['id'], (db, { id }: { id: number }) => publicProfileQuery(db, id));

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

/** The user's current avatar, locking the row so concurrent avatar changes apply one after the other. */
export function lockAvatar(trx: Kysely<Database>, id: number) {
  return trx
    .selectFrom('users')
    .select(['avatar_media_id'])
    .where('id', '=', id)
    .where('is_active', '=', true)
    .forUpdate()
    .executeTakeFirst();
}

export function setAvatar(trx: Kysely<Database>, id: number, mediaId: number | null) {
  return trx
    .updateTable('users')
    .set({ avatar_media_id: mediaId, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}
