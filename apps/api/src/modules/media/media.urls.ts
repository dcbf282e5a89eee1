import { avatarWidths, coverWidths, type renditionWidths, type ResponsiveImage } from '@mentorhub/contracts';
import { sql, type RawBuilder } from 'kysely';

/** Public URL of a stored image; media rows never change, so the URL can be cached forever. */
export function mediaUrl(mediaId: number | null): string | null {
  return mediaId === null ? null : `/api/media/${mediaId}`;
}

/** Raster formats every image is offered in, best first (the order of `<source>` elements). */
export const variantFormats = { avif: 'image/avif', webp: 'image/webp' } as const;
export type VariantFormat = keyof typeof variantFormats;
export type VariantWidth = (typeof renditionWidths)[number];

/** URL of one rendition of an image set, addressed by the set's id: a list row needs nothing but that id. */
export function mediaVariantUrl(mediaId: number, width: VariantWidth, format: VariantFormat): string {
  return `/api/media/${mediaId}/${width}.${format}`;
}

/** The width ladder and fallback `<img>` size of each kind of picture. */
const imageShapes = {
  avatar: { widths: avatarWidths, fallbackWidth: 256, aspectRatio: 1 },
  cover: { widths: coverWidths, fallbackWidth: 640, aspectRatio: 16 / 9 },
} as const;

/** `<picture>` data for an image set: an uploaded image and its renditions, or a vector image rendered to size. */
export function responsiveImage(
  mediaId: number | null,
  kind: keyof typeof imageShapes,
): ResponsiveImage | null {
  if (mediaId === null) return null;
  const { widths, fallbackWidth, aspectRatio } = imageShapes[kind];
  return {
    src: mediaVariantUrl(mediaId, fallbackWidth, 'webp'),
    width: fallbackWidth,
    height: Math.round(fallbackWidth / aspectRatio),
    sources: (Object.keys(variantFormats) as VariantFormat[]).map((format) => ({
      type: variantFormats[format],
      srcSet: widths.map((width) => `${mediaVariantUrl(mediaId, width, format)} ${width}w`).join(', '),
    })),
  };
}

// The same URLs written by PostgreSQL, for answers it serializes (infra/db/json.ts): each is rendered once by the
// functions above for media id 0, and SQL splices the real id into it, so the two can never drift apart.
const urlPrefix = String(mediaUrl(0)).replace(/0$/, '');

/** `mediaUrl` of the media id in `column`, as SQL text (null for a null id). */
export function mediaUrlSql(column: string): RawBuilder<string | null> {
  return sql<string | null>`${sql.lit(urlPrefix)} || ${sql.ref(column)}`;
}

/** `responsiveImage` of the media id in `column`, as SQL json (null for a null id). */
export function responsiveImageSql(column: string, kind: keyof typeof imageShapes): RawBuilder<unknown> {
  const template = JSON.stringify(responsiveImage(0, kind));
  return sql`replace(${sql.lit(template)}, ${sql.lit(`${urlPrefix}0/`)}, ${mediaUrlSql(column)} || '/')::json`;
}
