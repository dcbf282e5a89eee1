import { z } from 'zod';

/** Avatar uploads: the raw image bytes as the request body, with one of these Content-Types. */
export const avatarContentTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/avif'] as const;
export type AvatarContentType = (typeof avatarContentTypes)[number];
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** Square avatar renditions (an upload's are never larger than the upload itself). */
export const avatarWidths = [64, 128, 256, 512] as const;
/** Course cover renditions (16:9): a card in a phone's column up to a wide page header on a 2× screen. */
export const coverWidths = [320, 640, 960, 1280] as const;
/** Every width an image rendition can be asked for. */
export const renditionWidths = [...avatarWidths, ...coverWidths].sort((a, b) => a - b);

/**
 * An image ready for `<picture>`: one `<source type srcset>` per format (best first) and an `<img src width
 * height>` fallback. Widths in `srcSet` are nominal: an image smaller than a width is served at its own size.
 */
export const responsiveImageSchema = z
  .object({
    src: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    sources: z.array(z.object({ type: z.string(), srcSet: z.string() })),
  })
  .meta({ id: 'ResponsiveImage' });

export type ResponsiveImage = z.infer<typeof responsiveImageSchema>;
