import {
  auditLogPageSchema,
  auditLogQuerySchema,
  errorBodySchema,
  idParamsSchema,
  moderationDecisionBodySchema,
  moderationDecisionResultSchema,
  moderationQueuePageSchema,
  moderationQueueQuerySchema,
  reportCreateBodySchema,
  reportListQuerySchema,
  reportPageSchema,
  reportSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { errorResponses } from '../../infra/http/error-responses';
import { decide, fileReport, listAuditLog, listMyReports, listQueue } from './moderation.service';

/** Reports by any signed-in user; the moderation queue, decisions and the audit log for admins. */
export const moderationRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = { ...app.services, live: app.live, clock: app.clock };

  app.post(
    '/api/reports',
    {
      schema: {
        tags: ['moderation'],
        operationId: 'createReport',
        security: sessionRequired,
        summary:
          'Report a review, a mentor profile, a course or a user to the moderators (once per item: a repeat answers 200 with the first report)',
        body: reportCreateBodySchema,
        response: {
          200: reportSchema.describe('This user had already reported the item: the first report'),
          201: reportSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe('CONFLICT: the item is the reporter’s own'),
        },
      },
    },
    async (request, reply) => {
      const { report, created } = await fileReport(app.db, await requirePrincipal(request), request.body);
      return reply.code(created ? 201 : 200).send(report);
    },
  );

  app.get(
    '/api/me/reports',
    {
      schema: {
        tags: ['moderation'],
        operationId: 'listMyReports',
        security: sessionRequired,
        summary: 'The signed-in user’s reports with their outcome, newest first (keyset-paginated)',
        querystring: reportListQuerySchema,
        response: { 200: reportPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) =>
      listMyReports(app.db, await requirePrincipalNoStore(request, reply), request.query),
  );

  app.get(
    '/api/admin/moderation/queue',
    {
      schema: {
        tags: ['admin'],
        operationId: 'listModerationQueue',
        security: sessionRequired,
        summary:
          'Admin: open reports grouped by item, oldest first, each item in context with its report count and reasons (keyset-paginated)',
        querystring: moderationQueueQuerySchema,
        response: { 200: moderationQueuePageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => listQueue(ctx, await requirePrincipalNoStore(request, reply), request.query),
  );

  app.post(
    '/api/admin/moderation/cases/:id/decisions',
    {
      schema: {
        tags: ['admin'],
        operationId: 'decideModerationCase',
        security: sessionRequired,
        summary:
          'Admin: decide a case (dismiss, hide the item, warn or suspend its owner; reinstate undoes a hide or a suspension), recorded in the audit log',
        params: idParamsSchema,
        body: moderationDecisionBodySchema,
        response: {
          200: moderationDecisionResultSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe(
            'CONFLICT: already decided, nothing to reinstate, a kind that cannot be hidden, or an admin owner',
          ),
        },
      },
    },
    async (request) => decide(ctx, await requirePrincipal(request), request.params.id, request.body),
  );

  app.get(
    '/api/admin/audit-log',
    {
      schema: {
        tags: ['admin'],
        operationId: 'listAuditLog',
        security: sessionRequired,
        summary:
          'Admin: the append-only log of moderation and no-show dispute decisions, newest first (keyset-paginated)',
        querystring: auditLogQuerySchema,
        response: { 200: auditLogPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      listAuditLog(app.db, await requirePrincipalNoStore(request, reply), request.query),
  );
};
