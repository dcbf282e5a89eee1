import {
  changePasswordBodySchema,
  emailChangeBodySchema,
  emailChangeConfirmBodySchema,
  emailChangedResponseSchema,
  emailChangeResponseSchema,
  loginBodySchema,
  passwordResetBodySchema,
  passwordResetConfirmBodySchema,
  passwordResetResponseSchema,
  registerBodySchema,
  registerResponseSchema,
  sessionResponseSchema,
  verifyEmailBodySchema,
} from '@mentorhub/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  clearSessionCookie,
  requirePrincipal,
  requirePrincipalNoStore,
  setSessionCookie,
} from '../../infra/auth/session';
import { errorResponses } from '../../infra/http/error-responses';
import { runPeriodically } from '../../infra/periodic';
import {
  changePassword,
  confirmEmailChange,
  confirmPasswordReset,
  deleteExpiredSignUps,
  login,
  logout,
  register,
  requestEmailChange,
  requestPasswordReset,
  sessionUser,
  verifyEmail,
  type ClientInfo,
} from './auth.service';
import { sessionOptional, sessionRequired } from '../../infra/auth/session-security';

const clientOf = (request: FastifyRequest): ClientInfo => ({
  ip: request.ip,
  userAgent: request.headers['user-agent'] ?? null,
});

const errors = errorResponses(400, 401, 403, 409, 429);

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app;
  const ctx = {
    ...app.services,
    rateLimiter: app.rateLimiter,
    live: app.live,
    sessionLifetime: app.sessionLifetime,
    limits: {
      signupsPerHour: config.SIGNUPS_PER_HOUR,
      passwordResetsPerHour: config.PASSWORD_RESETS_PER_HOUR,
      accountMailsPerHour: config.ACCOUNT_MAILS_PER_HOUR,
      loginAttemptsPerAddress: config.LOGIN_ATTEMPTS_PER_ADDRESS,
      loginFailuresPerAccountAndAddress: config.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
      loginAttemptsPerAccount: config.LOGIN_ATTEMPTS_PER_ACCOUNT,
    },
  };
  runPeriodically(
    app,
    config.UNVERIFIED_ACCOUNT_SWEEP_SECONDS,
    () => deleteExpiredSignUps(app.db, app.clock(), app.log),
    'Deleting expired sign-ups failed; the next sweep retries',
  );

  app.post(
    '/api/auth/register',
    {
      schema: {
        tags: ['auth'],
        operationId: 'register',
        summary:
          'Start a sign-up: mails a link to choose a password. The same 202 whatever the address (never says whether it is registered)',
        body: registerBodySchema,
        response: { 202: registerResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await register(ctx, request.body, clientOf(request));
      return reply.code(202).send({ status: 'verification-sent' as const });
    },
  );

  app.post(
    '/api/auth/verify-email',
    {
      schema: {
        tags: ['auth'],
        operationId: 'verifyEmail',
        summary:
          'Finish a sign-up with the mailed link: choose a password, verify the email, sign in (sets the session cookie)',
        body: verifyEmailBodySchema,
        response: { 201: sessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, user } = await verifyEmail(ctx, request.body, clientOf(request));
      setSessionCookie(reply, app.sessionCookie, token);
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        operationId: 'requestPasswordReset',
        summary: 'Mail a password reset link if the address has an account; the same 202 either way',
        body: passwordResetBodySchema,
        response: { 202: passwordResetResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body, clientOf(request));
      return reply.code(202).send({ status: 'reset-sent' as const });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        operationId: 'confirmPasswordReset',
        summary: 'Set a new password with the mailed reset link: every session of the account is signed out',
        body: passwordResetConfirmBodySchema,
        response: { 204: z.null().describe('Password changed; sign in with it'), ...errors },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(ctx, request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/email-change',
    {
      schema: {
        tags: ['auth'],
        operationId: 'requestEmailChange',
        security: sessionRequired,
        summary:
          'Change your email: mails a confirmation link to the new address and a notice to the current one',
        body: emailChangeBodySchema,
        response: { 202: emailChangeResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await requestEmailChange(ctx, await requirePrincipal(request), request.body);
      return reply.code(202).send({ status: 'confirmation-sent' as const });
    },
  );

  app.post(
    '/api/auth/email-change/confirm',
    {
      schema: {
        tags: ['auth'],
        operationId: 'confirmEmailChange',
        summary:
          'Switch to the new email with the link mailed to it (no session needed: the link proves the inbox)',
        body: emailChangeConfirmBodySchema,
        response: { 200: emailChangedResponseSchema, ...errors },
      },
    },
    async (request) => confirmEmailChange(ctx, request.body),
  );

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        operationId: 'login',
        security: sessionOptional,
        summary: 'Sign in with email and password (a new session cookie; the previous session is revoked)',
        body: loginBodySchema,
        response: { 200: sessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { token, user } = await login(ctx, request.body, clientOf(request), await request.principal());
      setSessionCookie(reply, app.sessionCookie, token);
      return { user };
    },
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        operationId: 'changePassword',
        security: sessionRequired,
        summary: 'Change your password: every other session is signed out, this one gets a new cookie',
        body: changePasswordBodySchema,
        response: { 200: sessionResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const { token, user } = await changePassword(ctx, principal, request.body, clientOf(request));
      setSessionCookie(reply, app.sessionCookie, token);
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        operationId: 'logout',
        security: sessionRequired,
        summary: 'Sign out: revokes this session and clears its cookie',
        response: { 204: z.null().describe('Signed out'), ...errors },
      },
    },
    async (request, reply) => {
      await logout(ctx, await requirePrincipal(request));
      clearSessionCookie(reply, app.sessionCookie);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['auth'],
        operationId: 'getMe',
        security: sessionRequired,
        summary: 'The signed-in user, with their own email',
        response: { 200: sessionResponseSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return { user: await sessionUser(ctx, principal.userId) };
    },
  );
};
