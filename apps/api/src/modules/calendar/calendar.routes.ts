import { createHash } from 'node:crypto';
import {
  calendarFeedIssuedSchema,
  calendarFeedParamsSchema,
  calendarFeedStatusSchema,
  idParamsSchema,
  meetingRoomSchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { matchesEtag } from '../../infra/http/cached-reply';
import { errorResponses } from '../../infra/http/error-responses';
import { limitExpensiveReads } from '../../infra/http/expensive-reads';
import { feedStatus, issueFeed, meetingRoomOf, renderFeed, type CalendarContext } from './calendar.service';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx: CalendarContext = {
    db: app.db,
    webAppUrl: app.config.WEB_APP_URL,
    mailFrom: app.config.MAIL_FROM,
    meetingBaseUrl: app.config.MEETING_BASE_URL,
  };

  app.get(
    '/api/calendar/feed',
    {
      schema: {
        tags: ['calendar'],
        operationId: 'getCalendarFeed',
        security: sessionRequired,
        summary: 'Whether I have a personal calendar feed (its URL is shown only when issued)',
        response: { 200: calendarFeedStatusSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => feedStatus(ctx, await requirePrincipalNoStore(request, reply)),
  );

  app.post(
    '/api/calendar/feed',
    {
      schema: {
        tags: ['calendar'],
        operationId: 'issueCalendarFeed',
        security: sessionRequired,
        summary:
          'Create my calendar feed, or rotate its secret: returns the new URL once, the old one stops working',
        response: { 200: calendarFeedIssuedSchema, ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      noStore(reply);
      return issueFeed(ctx, principal);
    },
  );

  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags: ['calendar'],
        operationId: 'getCalendarFeedFile',
        summary:
          'A personal calendar feed (iCalendar): the owner’s sessions from 30 days back on; the secret is the credential',
        params: calendarFeedParamsSchema,
        produces: ['text/calendar'],
        response: {
          200: z.any().meta({ type: 'string', description: 'An iCalendar (RFC 5545) document' }),
          304: z.null().describe('Not modified: the copy the calendar has is current'),
          ...errorResponses(400, 404, 429),
        },
      },
      // Anonymous: bounded per client address like other reads a cache does not answer.
      preHandler: limitExpensiveReads(app),
    },
    async (request, reply) => {
      const body = await renderFeed(ctx, request.params.file, app.clock());
      const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
      // Private: the URL is a credential; revalidated every time, so a rotated secret stops working at once.
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      return reply.type(CALENDAR_TYPE).send(body);
    },
  );

  app.get(
    '/api/mentors/:id/meeting-room',
    {
      schema: {
        tags: ['mentors'],
        operationId: 'getMeetingRoom',
        security: sessionRequired,
        summary:
          'My default video room as a mentor (null: a room is generated per booking); set it with PATCH /api/mentors/:id',
        params: idParamsSchema,
        response: { 200: meetingRoomSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      meetingRoomOf(ctx, await requirePrincipalNoStore(request, reply), request.params.id),
  );
};
