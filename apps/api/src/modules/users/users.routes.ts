import { errorBodySchema, idParamsSchema, publicUserSchema } from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { replyCached } from '../../infra/http/cached-reply';
import { usersCache } from './users.cache';
import { getPublicProfile } from './users.service';

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
};
