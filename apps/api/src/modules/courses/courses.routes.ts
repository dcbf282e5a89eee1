import {
  courseCreateBodySchema,
  courseDetailSchema,
  courseKeyParamsSchema,
  courseListQuerySchema,
  coursePageSchema,
  courseUpdateBodySchema,
  idParamsSchema,
  lessonCreateBodySchema,
  lessonOrderBodySchema,
  lessonSchema,
  lessonUpdateBodySchema,
  studioCourseListQuerySchema,
  studioCoursePageSchema,
  studioCourseSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { AppError } from '../../infra/errors/app-error';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { courseListRead, courseRead } from './courses.reads';
import {
  addLesson,
  createCourse,
  deleteLesson,
  listStudioCourses,
  reorderLessons,
  setCoursePublished,
  updateCourse,
  updateLesson,
} from './course-authoring.service';
import { getCourseForViewer } from './courses.service';
import { sessionOptional, sessionRequired } from '../../infra/auth/session-security';

/** Every error an authoring write can answer with. */
const writeErrors = {
  ...errorResponses(400, 401, 403, 404, 409),
};

export const coursesRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = app.services;

  app.get(
    '/api/courses',
    {
      ...answeredFromCache,
      schema: {
        tags: ['courses'],
        operationId: 'listCourses',
        summary: 'Search and list published courses (keyset-paginated)',
        querystring: courseListQuerySchema,
        response: { 200: coursePageSchema, ...errorResponses(400, 429) },
      },
    },
    (request, reply) => replyCached(request, reply, courseListRead, request.query),
  );

  app.get(
    '/api/courses/:id',
    {
      schema: {
        tags: ['courses'],
        operationId: 'getCourse',
        security: sessionOptional,
        summary:
          'A published course with its instructor and ordered lessons (drafts: their instructor and admins)',
        params: courseKeyParamsSchema,
        response: { 200: courseDetailSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { id: idOrSlug } = request.params;
      try {
        await replyCached(request, reply, courseRead, idOrSlug);
      } catch (error) {
        // Not public: a draft is shown, uncached, to its instructor and admins only (the cache only ever
        // loads published courses, so it can neither store nor serve a draft).
        const principal =
          error instanceof AppError && error.code === 'NOT_FOUND' && (await request.principal());
        if (!principal) throw error;
        noStore(reply);
        return getCourseForViewer(app.db, principal, idOrSlug);
      }
    },
  );

  app.get(
    '/api/me/courses',
    {
      schema: {
        tags: ['courses'],
        operationId: 'listMyCourses',
        security: sessionRequired,
        summary: 'Your own courses, drafts included, newest first (mentor studio; keyset-paginated)',
        querystring: studioCourseListQuerySchema,
        response: {
          200: studioCoursePageSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listStudioCourses(app.db, principal, request.query);
    },
  );

  app.post(
    '/api/courses',
    {
      schema: {
        tags: ['courses'],
        operationId: 'createCourse',
        security: sessionRequired,
        summary:
          'Create a draft course (mentors and admins); the slug is derived from the title unless given',
        body: courseCreateBodySchema,
        response: { 201: studioCourseSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const course = await createCourse(ctx, await requirePrincipal(request), request.body);
      return reply.code(201).send(course);
    },
  );

  app.patch(
    '/api/courses/:id',
    {
      schema: {
        tags: ['courses'],
        operationId: 'updateCourse',
        security: sessionRequired,
        summary: 'Edit your own course (a published course’s cached pages and lists are refreshed)',
        params: idParamsSchema,
        body: courseUpdateBodySchema,
        response: { 200: studioCourseSchema, ...writeErrors },
      },
    },
    async (request) => updateCourse(ctx, await requirePrincipal(request), request.params.id, request.body),
  );

  for (const [action, published] of [
    ['publish', true],
    ['unpublish', false],
  ] as const) {
    app.post(
      `/api/courses/:id/${action}`,
      {
        schema: {
          tags: ['courses'],
          operationId: `${action}Course`,
          security: sessionRequired,
          summary: published
            ? 'Publish your own course (it needs at least one lesson); listed at once'
            : 'Unpublish your own course: back to draft, gone from lists at once',
          params: idParamsSchema,
          response: { 200: studioCourseSchema, ...writeErrors },
        },
      },
      async (request) =>
        setCoursePublished(ctx, await requirePrincipal(request), request.params.id, published),
    );
  }

  app.post(
    '/api/courses/:id/lessons',
    {
      schema: {
        tags: ['courses'],
        operationId: 'addLesson',
        security: sessionRequired,
        summary: 'Add a lesson after the last one of your own course',
        params: idParamsSchema,
        body: lessonCreateBodySchema,
        response: { 201: lessonSchema, ...writeErrors },
      },
    },
    async (request, reply) => {
      const lesson = await addLesson(ctx, await requirePrincipal(request), request.params.id, request.body);
      return reply.code(201).send(lesson);
    },
  );

  app.put(
    '/api/courses/:id/lessons/order',
    {
      schema: {
        tags: ['courses'],
        operationId: 'reorderLessons',
        security: sessionRequired,
        summary: 'Reorder your course’s lessons: lessonIds lists every lesson of the course exactly once',
        params: idParamsSchema,
        body: lessonOrderBodySchema,
        response: { 200: studioCourseSchema, ...writeErrors },
      },
    },
    async (request) => reorderLessons(ctx, await requirePrincipal(request), request.params.id, request.body),
  );

  app.patch(
    '/api/lessons/:id',
    {
      schema: {
        tags: ['courses'],
        operationId: 'updateLesson',
        security: sessionRequired,
        summary: 'Edit a lesson of your own course',
        params: idParamsSchema,
        body: lessonUpdateBodySchema,
        response: { 200: lessonSchema, ...writeErrors },
      },
    },
    async (request) => updateLesson(ctx, await requirePrincipal(request), request.params.id, request.body),
  );

  app.delete(
    '/api/lessons/:id',
    {
      schema: {
        tags: ['courses'],
        operationId: 'deleteLesson',
        security: sessionRequired,
        summary: 'Delete a lesson of your own course (later lessons move up)',
        params: idParamsSchema,
        response: { 204: z.null().describe('Deleted'), ...writeErrors },
      },
    },
    async (request, reply) => {
      await deleteLesson(ctx, await requirePrincipal(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
