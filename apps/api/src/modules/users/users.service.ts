import type { AvatarContentType, PublicUser, UpdateProfileBody, UserSummary } from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import type { Kysely } from 'kysely';
import type { ServiceContext } from '../../infra/context';
import type { SerializedValue } from '../../infra/db/json';
import { notFound } from '../../infra/errors/app-error';
import { MENTOR_LISTS_TAG } from '../mentors/mentors.cache';
import { avatarRenditions } from '../media/media.images';
import * as media from '../media/media.repository';
import { mediaUrl, responsiveImage } from '../media/media.urls';
import { userTag } from './users.cache';
import * as users from './users.repository';

/** The embedded form of a person in lists: shared by every module that shows who someone is. */
export function toUserSummary(row: {
  id: number;
  name: string;
  avatar_media_id: number | null;
}): UserSummary {
  return {
    id: row.id,
    name: row.name,
    avatarUrl: mediaUrl(row.avatar_media_id),
    avatar: responsiveImage(row.avatar_media_id, 'avatar'),
  };
}

/** A person's public profile (`PublicUser`) as PostgreSQL serialized it, tagged with them. */
export async function getSerializedProfile(db: Kysely<Database>, id: number): Promise<SerializedValue> {
  const [row] = await users.publicProfile.execute(db, { id });
  if (!row) throw notFound('User');
  return { body: row.profile, tags: [userTag(id)] };
}

/** The same profile as a value, for the writes that answer with it. */
async function getPublicProfile(db: Kysely<Database>, id: number): Promise<PublicUser> {
  return JSON.parse((await getSerializedProfile(db, id)).body) as PublicUser;
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

const avatarOwner = (userId: number) => ({ ownerId: userId, kind: 'avatar' as const });

/**
 * Replaces a user's avatar with an upload: renditions are made before the transaction (decoding is the slow,
 * failure-prone part), then stored, linked and the previous avatar deleted in one transaction. Every cached
 * response showing the user (profile, mentor page, mentor and course cards) carries their tag and is dropped.
 */
export async function setAvatar(
  ctx: ServiceContext,
  id: number,
  upload: { bytes: Buffer; contentType: AvatarContentType },
): Promise<PublicUser> {
  const [largest, ...smaller] = await avatarRenditions(upload.bytes, upload.contentType);
  if (!largest) throw new Error('an image gave no renditions');
  await ctx.db.transaction().execute(async (trx) => {
    const current = await users.lockAvatar(trx, id);
    if (!current) throw notFound('User');
    const mediaId = await media.insertImageSet(trx, avatarOwner(id), [largest, ...smaller]);
    await users.setAvatar(trx, id, mediaId);
    if (current.avatar_media_id !== null)
      await media.deleteOwnedImageSet(trx, current.avatar_media_id, avatarOwner(id));
  });
  await ctx.cache.invalidateTags([userTag(id)]);
  return getPublicProfile(ctx.db, id);
}

/** Removes a user's avatar (and its stored renditions); removing none is not an error. */
export async function removeAvatar(ctx: ServiceContext, id: number): Promise<PublicUser> {
  const removed = await ctx.db.transaction().execute(async (trx) => {
    const current = await users.lockAvatar(trx, id);
    if (!current) throw notFound('User');
    if (current.avatar_media_id === null) return false;
    await users.setAvatar(trx, id, null);
    await media.deleteOwnedImageSet(trx, current.avatar_media_id, avatarOwner(id));
    return true;
  });
  if (removed) await ctx.cache.invalidateTags([userTag(id)]);
  return getPublicProfile(ctx.db, id);
}
