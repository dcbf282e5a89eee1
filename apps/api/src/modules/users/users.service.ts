import type { PublicUser, UpdateProfileBody, UserSummary } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { ServiceContext } from '../../infra/context';
import { notFound } from '../../infra/errors/app-error';
import { MENTOR_LISTS_TAG } from '../mentors/mentors.cache';
import { mediaUrl } from '../media/media.urls';
import { userTag } from './users.cache';
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
  const row = await users.publicProfileQuery(db, id).executeTakeFirst();
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

/**
 * Changes a user's public name or bio and drops every cached response that shows them: their profile, mentor
 * cards and course cards (all tagged with the user), and — for a mentor whose name changed — every mentor list,
 * since search results by name change too.
 */
export async function updateProfile(
  ctx: ServiceContext,
  id: number,
  patch: UpdateProfileBody,
): Promise<PublicUser> {
  const updated = await users.updateProfile(ctx.db, id, patch);
  if (!updated) throw notFound('User');
  const tags = [userTag(id)];
  if (patch.name !== undefined && updated.role === 'mentor') tags.push(MENTOR_LISTS_TAG);
  await ctx.cache.invalidateTags(tags);
  return getPublicProfile(ctx.db, id);
}
