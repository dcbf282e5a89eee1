import { avatarWidths, type ResponsiveImage } from '@mentorhub/contracts';

/** Public URL of a stored image; media rows never change, so the URL can be cached forever. */
export function mediaUrl(mediaId: number | null): string | null {
  return mediaId === null ? null : `/api/media/${mediaId}`;
}

/** Raster formats every image is offered in, best first (the order of `<source>` elements). */
export const variantFormats = { avif: 'image/avif', webp: 'image/webp' } as const;
export type VariantFormat = keyof typeof variantFormats;
export type VariantWidth = (typeof avatarWidths)[number];

/** URL of one rendition of an image set, addressed by the set's id: a list row needs nothing but that id. */
export function mediaVariantUrl(mediaId: number, width: VariantWidth, format: VariantFormat): string {
  return `/api/media/${mediaId}/${width}.${format}`;
}

const FALLBACK_WIDTH = 256;

/** `<picture>` data for an image set (an uploaded avatar and its renditions, or a single vector image). */
export function responsiveImage(mediaId: number | null): ResponsiveImage | null {
  if (mediaId === null) return null;
  return {
    src: mediaVariantUrl(mediaId, FALLBACK_WIDTH, 'webp'),
    width: FALLBACK_WIDTH,
    height: FALLBACK_WIDTH,
    sources: (Object.keys(variantFormats) as VariantFormat[]).map((format) => ({
      type: variantFormats[format],
      srcSet: avatarWidths.map((width) => `${mediaVariantUrl(mediaId, width, format)} ${width}w`).join(', '),
    })),
  };
}
