import { z } from 'zod';
import { userRoleSchema } from './users';
import { multiLine, singleLine, timezoneSchema } from './text';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be an email address' }));

/**
 * 8–128 characters and no composition rules. The API also refuses passwords that are easy to guess (a check
 * against a list of common passwords that stays on the server: apps/api/src/infra/auth/password-strength.ts).
 */
export const passwordSchema = z
  .string()
  .min(8, { error: 'must be at least 8 characters' })
  .max(128, { error: 'must be at most 128 characters' });

export const registerBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  name: singleLine(120),
  timezone: timezoneSchema.optional(),
});

export const loginBodySchema = z.strictObject({
  email: emailSchema,
  // Checked against the stored hash only: a login never reveals which rule a password breaks.
  password: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(128, { error: 'must be at most 128 characters' }),
});

export const changePasswordBodySchema = z.strictObject({
  currentPassword: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(128, { error: 'must be at most 128 characters' }),
  newPassword: passwordSchema,
});

export const updateProfileBodySchema = z
  .strictObject({
    name: singleLine(120).optional(),
    bio: multiLine(4000).optional(),
    timezone: timezoneSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    error: 'must change at least one field',
  });

/** The signed-in person as they see themselves: includes their own email, never anyone else's. */
export const sessionUserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: userRoleSchema,
    timezone: z.string(),
    avatarUrl: z.string().nullable(),
    mentorId: z.number().int().nullable(),
  })
  .meta({ id: 'SessionUser' });

export const sessionResponseSchema = z.object({ user: sessionUserSchema }).meta({ id: 'Session' });

export type RegisterBody = z.infer<typeof registerBodySchema>;
export type LoginBody = z.infer<typeof loginBodySchema>;
export type UpdateProfileBody = z.infer<typeof updateProfileBodySchema>;
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;
export type SessionUser = z.infer<typeof sessionUserSchema>;
