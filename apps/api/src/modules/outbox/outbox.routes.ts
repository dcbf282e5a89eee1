import {
  idParamsSchema,
  outboxBulkRetryBodySchema,
  outboxBulkRetryResponseSchema,
  outboxListQuerySchema,
  outboxMessageSchema,
  outboxPageSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { errorResponses } from '../../infra/http/error-responses';
import { listOutbox, retryDeadLetter, retryDeadLettersOfKind } from './outbox.service';

/** Admin only: the outbox's dead letters, pending and dropped messages, and putting dead letters back in the queue. */
export const outboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/admin/outbox',
    {
      schema: {
        tags: ['admin'],
        operationId: 'listOutboxMessages',
        security: sessionRequired,
        summary:
          'Admin: outbox messages in one status (dead letters by default), without payloads (keyset paginated)',
        querystring: outboxListQuerySchema,
        response: { 200: outboxPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      listOutbox(app.db, await requirePrincipalNoStore(request, reply), request.query),
  );

  app.post(
    '/api/admin/outbox/:id/retry',
    {
      schema: {
        tags: ['admin'],
        operationId: 'retryOutboxMessage',
        security: sessionRequired,
        summary: 'Admin: put a dead letter back in the queue, due now with its attempts reset',
        params: idParamsSchema,
        response: { 200: outboxMessageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      retryDeadLetter(app.db, await requirePrincipal(request), request.params.id, app.outbox.now()),
  );

  app.post(
    '/api/admin/outbox/retry',
    {
      schema: {
        tags: ['admin'],
        operationId: 'retryOutboxKind',
        security: sessionRequired,
        summary: 'Admin: put every dead letter of one kind back in the queue',
        body: outboxBulkRetryBodySchema,
        response: { 200: outboxBulkRetryResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      retryDeadLettersOfKind(app.db, await requirePrincipal(request), request.body.kind, app.outbox.now()),
  );
};
