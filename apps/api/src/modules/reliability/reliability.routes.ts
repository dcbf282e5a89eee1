import {
  disputeBodySchema,
  disputeDecisionBodySchema,
  disputeListQuerySchema,
  disputePageSchema,
  disputeSchema,
  errorBodySchema,
  idParamsSchema,
  standingSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { errorResponses } from '../../infra/http/error-responses';
import { runPeriodically } from '../../infra/periodic';
import { reliabilityPolicyOf } from './reliability-policy';
import {
  decideDispute,
  fileDispute,
  getStanding,
  listOpenDisputes,
  type ReliabilityContext,
} from './reliability.service';
import { refreshAllMentors, responsivenessPolicyOf } from './responsiveness.service';

/** Strikes, pauses and no-show disputes (the policy: docs/reliability.md), and the responsiveness refresh. */
export const reliabilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx: ReliabilityContext = {
    ...app.services,
    reliability: reliabilityPolicyOf(app.config),
    live: app.live,
    clock: app.clock,
  };

  app.get(
    '/api/me/standing',
    {
      schema: {
        tags: ['reliability'],
        operationId: 'getMyStanding',
        security: sessionRequired,
        summary:
          'My reliability strikes in effect, until when I am paused, and whether the directory hides me',
        response: { 200: standingSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => getStanding(ctx, await requirePrincipalNoStore(request, reply)),
  );

  app.post(
    '/api/bookings/:id/dispute',
    {
      schema: {
        tags: ['reliability'],
        operationId: 'disputeNoShow',
        security: sessionRequired,
        summary: 'Dispute a reported no-show within the dispute window, with a reason (either party, once)',
        params: idParamsSchema,
        body: disputeBodySchema,
        response: {
          201: disputeSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe(
            'INVALID_TRANSITION (not a no-show, or the window has closed) or CONFLICT (already disputed)',
          ),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const dispute = await fileDispute(ctx, principal, request.params.id, request.body.reason);
      return reply.code(201).send(dispute);
    },
  );

  app.get(
    '/api/admin/disputes',
    {
      schema: {
        tags: ['admin'],
        operationId: 'listOpenDisputes',
        security: sessionRequired,
        summary: 'Admin: open no-show disputes, oldest first (keyset paginated)',
        querystring: disputeListQuerySchema,
        response: { 200: disputePageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) =>
      listOpenDisputes(ctx, await requirePrincipalNoStore(request, reply), request.query),
  );

  app.post(
    '/api/admin/disputes/:id/decide',
    {
      schema: {
        tags: ['admin'],
        operationId: 'decideDispute',
        security: sessionRequired,
        summary:
          'Admin: uphold a no-show dispute, or void its strike (lifting a pause it no longer justifies)',
        params: idParamsSchema,
        body: disputeDecisionBodySchema,
        response: { 200: disputeSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      decideDispute(
        ctx,
        await requirePrincipal(request),
        request.params.id,
        request.body.decision,
        request.body.reason,
      ),
  );

  runPeriodically(
    app,
    app.config.RESPONSIVENESS_REFRESH_SECONDS,
    () => refreshAllMentors(app.db, app.cache, responsivenessPolicyOf(app.config), app.clock(), app.log),
    'Refreshing mentor responsiveness failed; the next run retries',
  );
};
