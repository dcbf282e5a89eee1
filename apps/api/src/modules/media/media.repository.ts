import type { Database } from '@mentorhub/db';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Rendition } from './media.images';

export function findById(db: Kysely<Database>, id: number) {
  return db.selectFrom('media').select(['content_type', 'data']).where('id', '=', id).executeTakeFirst();
}

/**
 * The rendition of image set `id` (the row itself or its children) that best fits: the requested type first,
 * then the largest width not above the requested one, else the smallest. A set without renditions (a vector
 * image) answers with itself.
 */
export function findVariant(db: Kysely<Database>, id: number, width: number, contentType: string) {
  return db
    .selectFrom('media')
    .select(['content_type', 'data'])
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .orderBy(sql`content_type = ${contentType}`, 'desc')
    .orderBy(sql`width <= ${width}`, 'desc')
    .orderBy(sql`CASE WHEN width <= ${width} THEN -width ELSE width END`)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

/** Stores an image set: the first rendition is the parent row, the others point at it. Returns the parent id. */
export async function insertImageSet(
  tx: Transaction<Database>,
  owner: { ownerId: number; kind: 'avatar' | 'cover' | 'upload' },
  renditions: readonly [Rendition, ...Rendition[]],
): Promise<number> {
  const row = (rendition: Rendition) => ({
    owner_id: owner.ownerId,
    kind: owner.kind,
    content_type: rendition.contentType,
    width: rendition.width,
    height: rendition.height,
    byte_size: rendition.data.byteLength,
    data: rendition.data,
  });
  const [first, ...rest] = renditions;
  const parent = await tx.insertInto('media').values(row(first)).returning('id').executeTakeFirstOrThrow();
  if (rest.length > 0)
    await tx
      .insertInto('media')
      .values(rest.map((rendition) => ({ ...row(rendition), parent_id: parent.id })))
      .execute();
  return parent.id;
}

/** Deletes an image set the owner owns, with its renditions (parent_id cascades); never anyone else's media. */
export async function deleteOwnedImageSet(
  tx: Transaction<Database>,
  id: number,
  owner: { ownerId: number; kind: 'avatar' | 'cover' | 'upload' },
): Promise<void> {
  await tx
    .deleteFrom('media')
    .where('id', '=', id)
    .where('owner_id', '=', owner.ownerId)
    .where('kind', '=', owner.kind)
    .execute();
}
