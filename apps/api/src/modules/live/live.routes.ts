import websocket from '@fastify/websocket';
import { errorBodySchema, liveEventSchema } from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireAllowedOrigin, requirePrincipal } from '../../infra/auth/session';
import { AppError } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';
import { sessionRequired } from '../../infra/auth/session-security';

export const liveRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(websocket, {
    // Clients only listen; a frame from them is at most a small control message.
    options: { maxPayload: 1024 },
    preClose: async () => {
      await app.live.close();
    },
  });

  app.route({
    method: 'GET',
    url: '/api/ws',
    schema: {
      tags: ['live'],
      operationId: 'openLiveEvents',
      security: sessionRequired,
      summary:
        'Live events for the signed-in user over a WebSocket: booking status changes and new notifications',
      description: `Upgrade with the session cookie from an allowed Origin. Each text frame is one JSON event (the 101 schema, \`LiveEvent\`), sent after the change committed. The server pings every ${app.config.LIVE_HEARTBEAT_SECONDS} s and drops sockets that do not answer; more than ${app.config.LIVE_MAX_CONNECTIONS_PER_USER} open sockets per account are closed with code 4429; shutdown closes with 1001.`,
      response: {
        // Not a body: the shape of every message the open socket then carries, so clients can generate types.
        101: liveEventSchema.describe(
          'Switching Protocols: the WebSocket is open; each text frame it then carries is one LiveEvent',
        ),
        ...errorResponses(401, 403),
        426: errorBodySchema.describe('UPGRADE_REQUIRED: a plain GET, without the WebSocket upgrade'),
      },
    },
    // Before the upgrade, so a refusal is a plain JSON error response: the same Origin rule as signed-in writes.
    preValidation: async (request) => {
      if (request.cookies[app.sessionCookie.name]) requireAllowedOrigin(request, app.config.ALLOWED_ORIGINS);
      await requirePrincipal(request);
    },
    handler: () => {
      throw new AppError('UPGRADE_REQUIRED', 'Open this URL as a WebSocket');
    },
    wsHandler: async (socket, request) => {
      const principal = await requirePrincipal(request); // looked up once, in preValidation
      app.live.hub.add(principal, socket);
    },
  });
};
