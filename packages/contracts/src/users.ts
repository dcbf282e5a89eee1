import { z } from 'zod';

export const userRoleSchema = z.enum(['mentee', 'mentor', 'admin']);

/** Avatar uploads: the raw image bytes as the request body, with one of these Content-Types. */
export const avatarContentTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/avif'] as const;
export type AvatarContentType = (typeof avatarContentTypes)[number];
export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
/** Square renditions stored per upload (never larger than the upload itself). */
export const avatarWidths = [64, 128, 256, 512] as const;

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

/** What lists embed for a person: enough for a name and a face, nothing private. */
export const userSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    avatarUrl: z.string().nullable(),
    avatar: responsiveImageSchema.nullable(),
  })
  .meta({ id: 'UserSummary' });

/** The public profile. Email, password and sessions are never part of it. */
export const publicUserSchema = userSummarySchema
  .extend({
    bio: z.string(),
    role: userRoleSchema,
    timezone: z.string(),
    mentorId: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'PublicUser' });

export type ResponsiveImage = z.infer<typeof responsiveImageSchema>;
export type UserSummary = z.infer<typeof userSummarySchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
