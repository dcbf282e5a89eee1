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

/** Sign-up asks for no password: it is chosen on the page the verification link opens. */
export const registerBodySchema = z.strictObject({
  email: emailSchema,
  name: singleLine(120),
  timezone: timezoneSchema.optional(),
});

/** The token of a mailed link: 32 random bytes in base64url (43 characters, no padding). */
export const accountTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, { error: 'must be the token from the link' });

export const verifyEmailBodySchema = z.strictObject({
  token: accountTokenSchema,
  password: passwordSchema,
});

export const passwordResetBodySchema = z.strictObject({ email: emailSchema });

export const passwordResetConfirmBodySchema = z.strictObject({
  token: accountTokenSchema,
  password: passwordSchema,
});

export const emailChangeBodySchema = z.strictObject({
  newEmail: emailSchema,
  currentPassword: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(128, { error: 'must be at most 128 characters' }),
});

export const emailChangeConfirmBodySchema = z.strictObject({ token: accountTokenSchema });

/**
 * The answer of a request that mails a link: always the same whatever the address, so it tells nobody whether
 * an account exists.
 */
export const mailSentResponseSchema = <Status extends string>(status: Status, id: string) =>
  z.object({ status: z.literal(status) }).meta({ id });

export const registerResponseSchema = mailSentResponseSchema('verification-sent', 'RegisterAccepted');
export const passwordResetResponseSchema = mailSentResponseSchema('reset-sent', 'PasswordResetAccepted');
export const emailChangeResponseSchema = mailSentResponseSchema('confirmation-sent', 'EmailChangeAccepted');

export const emailChangedResponseSchema = z.object({ email: z.string() }).meta({ id: 'EmailChanged' });

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
export type VerifyEmailBody = z.infer<typeof verifyEmailBodySchema>;
export type PasswordResetBody = z.infer<typeof passwordResetBodySchema>;
export type PasswordResetConfirmBody = z.infer<typeof passwordResetConfirmBodySchema>;
export type EmailChangeBody = z.infer<typeof emailChangeBodySchema>;
export type EmailChangeConfirmBody = z.infer<typeof emailChangeConfirmBodySchema>;
export type UpdateProfileBody = z.infer<typeof updateProfileBodySchema>;
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;
export type SessionUser = z.infer<typeof sessionUserSchema>;
