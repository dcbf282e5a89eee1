import {
  expertiseListSchema,
  idParamsSchema,
  mentorApplicationBodySchema,
  mentorApplicationSchema,
  mentorDetailSchema,
  mentorListQuerySchema,
  mentorPageSchema,
  mentorProfileUpdateBodySchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../infra/auth/session';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { expertiseRead, mentorListRead, mentorRead } from './mentors.reads';
import { applyAsMentor, decideApplication, updateMentorProfile } from './mentors.service';
import { sessionRequired } from '../../infra/auth/session-security';

export const mentorsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/mentors',
    {
      ...answeredFromCache,
      schema: {
        tags: ['mentors'],
        operationId: 'listMentors',
        summary: 'Search and list approved mentors (keyset-paginated)',
        querystring: mentorListQuerySchema,
        response: { 200: mentorPageSchema, ...errorResponses(400, 429) },
      },
    },
    (request, reply) => replyCached(request, reply, mentorListRead, request.query),
  );

  app.get(
    '/api/expertise',
    {
      ...answeredFromCache,
      schema: {
        tags: ['mentors'],
        operationId: 'listExpertise',
        summary: 'Every expertise tag with its number of listed mentors, most common first',
        response: { 200: expertiseListSchema },
      },
    },
    (request, reply) => replyCached(request, reply, expertiseRead, undefined),
  );

  app.get(
    '/api/mentors/:id',
    {
      ...answeredFromCache,
      schema: {
        tags: ['mentors'],
        operationId: 'getMentor',
        summary: 'A mentor’s profile with rating summary',
        params: idParamsSchema,
        response: { 200: mentorDetailSchema, ...errorResponses(400, 404) },
      },
    },
    (request, reply) => replyCached(request, reply, mentorRead, request.params.id),
  );

  app.post(
    '/api/mentors',
    {
      schema: {
        tags: ['mentors'],
        operationId: 'applyAsMentor',
        security: sessionRequired,
        summary: 'Apply to become a mentor (listed once an admin approves)',
        body: mentorApplicationBodySchema,
        response: {
          201: mentorApplicationSchema,
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const application = await applyAsMentor(app.services, principal.userId, request.body);
      return reply.code(201).send(application);
    },
  );

  app.patch(
    '/api/mentors/:id',
    {
      schema: {
        tags: ['mentors'],
        operationId: 'updateMentor',
        security: sessionRequired,
        summary: 'Edit your own mentor profile (expertise, when given, replaces the list)',
        params: idParamsSchema,
        body: mentorProfileUpdateBodySchema,
        response: {
          200: mentorApplicationSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) =>
      updateMentorProfile(app.services, await requirePrincipal(request), request.params.id, request.body),
  );

  for (const [action, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(
      `/api/mentors/:id/${action}`,
      {
        schema: {
          tags: ['mentors'],
          operationId: `${action}Mentor`,
          security: sessionRequired,
          summary: `Admin: ${action} a pending mentor application`,
          params: idParamsSchema,
          response: {
            200: mentorApplicationSchema,
            ...errorResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request) =>
        decideApplication(app.services, await requirePrincipal(request), request.params.id, decision),
    );
  }
};
