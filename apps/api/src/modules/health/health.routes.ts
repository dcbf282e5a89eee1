import { sql } from 'kysely';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ServiceUnavailableError } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';

const statusSchema = z.object({ status: z.literal('ok') });

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['ops'],
        operationId: 'getHealth',
        summary: 'Liveness: the process answers',
        response: { 200: statusSchema },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['ops'],
        operationId: 'getReadiness',
        summary: 'Readiness: the database answers',
        response: { 200: statusSchema, ...errorResponses(503) },
      },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(app.db);
      } catch {
        throw new ServiceUnavailableError('The database is not reachable');
      }
      return { status: 'ok' as const };
    },
  );
};
