import {
  errorBodySchema,
  idParamsSchema,
  reviewCreateBodySchema,
  reviewListQuerySchema,
  reviewPageSchema,
  reviewSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal } from '../../infra/auth/session';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { reviewListRead } from './reviews.reads';
import { reviewBooking } from './reviews.service';
import { sessionRequired } from '../../infra/auth/session-security';

export const reviewsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/mentors/:id/reviews',
    {
      ...answeredFromCache,
      schema: {
        tags: ['reviews'],
        operationId: 'listMentorReviews',
        summary: 'A mentor’s published reviews, newest first (keyset-paginated)',
        params: idParamsSchema,
        querystring: reviewListQuerySchema,
        response: { 200: reviewPageSchema, ...errorResponses(400, 404) },
      },
    },
    (request, reply) =>
      replyCached(request, reply, reviewListRead, { mentorId: request.params.id, query: request.query }),
  );

  app.post(
    '/api/bookings/:id/review',
    {
      schema: {
        tags: ['reviews'],
        operationId: 'createReview',
        security: sessionRequired,
        summary: 'Review a completed session (its mentee, once): updates the mentor’s rating',
        params: idParamsSchema,
        body: reviewCreateBodySchema,
        response: {
          201: reviewSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe('REVIEW_NOT_ALLOWED or ALREADY_REVIEWED'),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const review = await reviewBooking(
        { ...app.services, live: app.live },
        principal,
        request.params.id,
        request.body,
      );
      return reply.code(201).send(review);
    },
  );
};
