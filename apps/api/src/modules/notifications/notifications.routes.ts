import {
  markNotificationsReadBodySchema,
  markNotificationsReadResponseSchema,
  notificationListQuerySchema,
  notificationPageSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { errorResponses } from '../../infra/http/error-responses';
import { listNotifications, markNotificationsRead } from './notifications.service';
import { sessionRequired } from '../../infra/auth/session-security';

export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'listMyNotifications',
        security: sessionRequired,
        summary: 'Your notifications, newest first, with the unread count (keyset paginated)',
        querystring: notificationListQuerySchema,
        response: { 200: notificationPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listNotifications(app.db, principal.userId, request.query);
    },
  );

  app.post(
    '/api/me/notifications/read',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'markNotificationsRead',
        security: sessionRequired,
        summary: 'Mark some of your notifications ({ids}) or all of them ({all: true}) read',
        body: markNotificationsReadBodySchema,
        response: {
          200: markNotificationsReadResponseSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      return markNotificationsRead(app.db, principal.userId, request.body);
    },
  );
};
