import {
  errorBodySchema,
  idParamsSchema,
  mentorDetailSchema,
  mentorListQuerySchema,
  mentorPageSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { replyCached } from '../../infra/http/cached-reply';
import { mentorsCache } from './mentors.cache';
import { getMentor, listMentors } from './mentors.service';

export const mentorsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/mentors',
    {
      schema: {
        tags: ['mentors'],
        summary: 'Search and list approved mentors (keyset-paginated)',
        querystring: mentorListQuerySchema,
        response: { 200: mentorPageSchema, 400: errorBodySchema },
      },
    },
    (request, reply) =>
      replyCached(request, reply, app.cache, mentorsCache.list(request.query), mentorPageSchema, () =>
        listMentors(app.db, request.query),
      ),
  );

  app.get(
    '/api/mentors/:id',
    {
      schema: {
        tags: ['mentors'],
        summary: 'A mentor’s profile with rating summary',
        params: idParamsSchema,
        response: { 200: mentorDetailSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    (request, reply) =>
      replyCached(request, reply, app.cache, mentorsCache.detail(request.params.id), mentorDetailSchema, () =>
        getMentor(app.db, request.params.id),
      ),
  );
};
