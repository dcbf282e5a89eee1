import {
  courseDetailSchema,
  courseKeyParamsSchema,
  courseListQuerySchema,
  coursePageSchema,
  errorBodySchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { replyCached } from '../../infra/http/cached-reply';
import { coursesCache } from './courses.cache';
import { getCourse, listCourses } from './courses.service';

export const coursesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/courses',
    {
      schema: {
        tags: ['courses'],
        summary: 'Search and list published courses (keyset-paginated)',
        querystring: courseListQuerySchema,
        response: { 200: coursePageSchema, 400: errorBodySchema },
      },
    },
    (request, reply) =>
      replyCached(request, reply, app.cache, coursesCache.list(request.query), coursePageSchema, () =>
        listCourses(app.db, request.query),
      ),
  );

  app.get(
    '/api/courses/:idOrSlug',
    {
      schema: {
        tags: ['courses'],
        summary: 'A published course with its instructor and ordered lessons',
        params: courseKeyParamsSchema,
        response: { 200: courseDetailSchema, 400: errorBodySchema, 404: errorBodySchema },
      },
    },
    (request, reply) =>
      replyCached(
        request,
        reply,
        app.cache,
        coursesCache.detail(request.params.idOrSlug),
        courseDetailSchema,
        () => getCourse(app.db, request.params.idOrSlug),
      ),
  );
};
