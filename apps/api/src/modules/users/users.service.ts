import type { PublicUser, UserSummary } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import { notFound } from '../../infra/errors/app-error';
import { mediaUrl } from '../media/media.urls';
import * as users from './users.repository';

/** The embedded form of a person in lists: shared by every module that shows who someone is. */
export function toUserSummary(row: {
  id: number;
  name: string;
  avatar_media_id: number | null;
}): UserSummary {
  return { id: row.id, name: row.name, avatarUrl: mediaUrl(row.avatar_media_id) };
}

export async function getPublicProfile(db: Kysely<Database>, id: number): Promise<PublicUser> {
  const row = await users.findById(db, id);
  if (!row) throw notFound('User');
  return {
    ...toUserSummary(row),
    bio: row.bio,
    role: row.role,
    timezone: row.timezone,
    mentorId: row.mentor_id,
    createdAt: row.created_at.toISOString(),
  };
}
