import {
  errorBodySchema,
  idParamsSchema,
  publicUserSchema,
  updateProfileBodySchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { replyCached } from '../../infra/http/cached-reply';
import { usersCache } from './users.cache';
import { requirePrincipal } from '../../infra/auth/session';
import { AppError } from '../../infra/errors/app-error';
import { getPublicProfile, updateProfile } from './users.service';

export const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'A user’s public profile',
        params: idParamsSchema,
        response: { 200: publicUserSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    (request, reply) =>
      replyCached(request, reply, app.cache, usersCache.profile(request.params.id), publicUserSchema, () =>
        getPublicProfile(app.db, request.params.id),
      ),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change your own name, bio or timezone (every cached page that shows you is refreshed)',
        params: idParamsSchema,
        body: updateProfileBodySchema,
        response: {
          200: publicUserSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      if (principal.userId !== request.params.id)
        throw new AppError('FORBIDDEN', 'You can only change your own profile');
      return updateProfile({ db: app.db, cache: app.cache }, request.params.id, request.body);
    },
  );
};
