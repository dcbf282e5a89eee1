import { z } from 'zod';
import { responsiveImageSchema } from './images';

export const userRoleSchema = z.enum(['mentee', 'mentor', 'admin']);

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

export type UserSummary = z.infer<typeof userSummarySchema>;
export type PublicUser = z.infer<typeof publicUserSchema>;
