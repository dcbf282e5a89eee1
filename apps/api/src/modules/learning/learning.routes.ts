import {
  enrollmentListQuerySchema,
  enrollmentPageSchema,
  enrollmentSchema,
  idParamsSchema,
  lessonCompletionSchema,
  lessonViewSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { errorResponses } from '../../infra/http/error-responses';
import { completeLesson, enroll, getLesson, listEnrollments } from './learning.service';
import { sessionOptional, sessionRequired } from '../../infra/auth/session-security';

export const learningRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.services;

  app.post(
    '/api/courses/:id/enrollments',
    {
      schema: {
        tags: ['learning'],
        operationId: 'enrollInCourse',
        security: sessionRequired,
        summary: 'Enroll in a published course (once per user)',
        params: idParamsSchema,
        response: {
          201: enrollmentSchema,
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const enrollment = await enroll(ctx, await requirePrincipal(request), request.params.id);
      return reply.code(201).send(enrollment);
    },
  );

  app.get(
    '/api/me/enrollments',
    {
      schema: {
        tags: ['learning'],
        operationId: 'listMyEnrollments',
        security: sessionRequired,
        summary: 'Your enrollments with progress, newest first (keyset-paginated)',
        querystring: enrollmentListQuerySchema,
        response: { 200: enrollmentPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listEnrollments(app.db, principal, request.query);
    },
  );

  app.get(
    '/api/lessons/:id',
    {
      schema: {
        tags: ['learning'],
        operationId: 'getLesson',
        security: sessionOptional,
        summary: 'A lesson’s content: previews are open, other lessons need an enrollment',
        params: idParamsSchema,
        response: {
          200: lessonViewSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const lesson = await getLesson(app.db, await request.principal(), request.params.id);
      noStore(reply);
      return lesson;
    },
  );

  app.post(
    '/api/lessons/:id/complete',
    {
      schema: {
        tags: ['learning'],
        operationId: 'completeLesson',
        security: sessionRequired,
        summary: 'Mark a lesson complete (idempotent); completing every lesson completes the course',
        params: idParamsSchema,
        response: {
          200: lessonCompletionSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => completeLesson(ctx, await requirePrincipal(request), request.params.id),
  );
};
