import {
  availabilityQuerySchema,
  availabilitySchema,
  availabilitySettingsSchema,
  idParamsSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { answeredFromCache, replyCached } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { availabilityRead } from './availability.reads';
import { getAvailabilitySettings, replaceAvailability } from './availability.service';
import { sessionRequired } from '../../infra/auth/session-security';
import { responsivenessPolicyOf } from '../reliability/responsiveness.service';

export const availabilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const requestTtlMinutes = app.config.BOOKING_REQUEST_TTL_MINUTES;

  app.get(
    '/api/mentors/:id/availability',
    {
      ...answeredFromCache,
      schema: {
        tags: ['availability'],
        operationId: 'getMentorAvailability',
        summary: 'Open session slots between two dates, grouped by day in the given timezone',
        params: idParamsSchema,
        querystring: availabilityQuerySchema,
        response: { 200: availabilitySchema, ...errorResponses(400, 404, 429) },
      },
    },
    (request, reply) =>
      replyCached(request, reply, availabilityRead, {
        mentorId: request.params.id,
        query: request.query,
        requestTtlMinutes,
        now: app.clock(),
      }),
  );

  app.get(
    '/api/mentors/:id/availability/settings',
    {
      schema: {
        tags: ['availability'],
        operationId: 'getAvailabilitySettings',
        security: sessionRequired,
        summary: 'The mentor’s own availability settings, weekly rules and date overrides (mentor or admin)',
        params: idParamsSchema,
        response: {
          200: availabilitySettingsSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return getAvailabilitySettings(app.db, principal, request.params.id);
    },
  );

  app.put(
    '/api/mentors/:id/availability',
    {
      schema: {
        tags: ['availability'],
        operationId: 'setAvailability',
        security: sessionRequired,
        summary: 'Replace the availability settings, weekly rules and date overrides (the mentor only)',
        params: idParamsSchema,
        body: availabilitySettingsSchema,
        response: {
          200: availabilitySettingsSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      return replaceAvailability(app.services, principal, request.params.id, request.body, {
        now: app.clock(),
        responsiveness: responsivenessPolicyOf(app.config),
      });
    },
  );
};
