import { recommendationsQuerySchema, recommendationsSchema } from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../infra/auth/session';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { recommendationsRead } from './recommendations.reads';
import { sessionRequired } from '../../infra/auth/session-security';

export const recommendationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/recommendations',
    {
      ...answeredFromCache,
      schema: {
        tags: ['discovery'],
        operationId: 'listMyRecommendations',
        security: sessionRequired,
        summary: 'Mentors and courses for you, each with the reason it was picked',
        querystring: recommendationsQuerySchema,
        response: { 200: recommendationsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { userId } = await requirePrincipal(request);
      await replyCached(request, reply, recommendationsRead, { userId, query: request.query });
    },
  );
};
