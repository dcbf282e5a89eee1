import {
  notificationPreferencesSchema,
  oneClickUnsubscribeBodySchema,
  unsubscribedSchema,
  unsubscribeParamsSchema,
} from '@mentorhub/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { errorResponses } from '../../infra/http/error-responses';
import { UNSUBSCRIBE_PAGE_CSP } from '../../infra/http/security-headers';
import { getPreferences, readUnsubscribeToken, unsubscribe, updatePreferences } from './preferences.service';
import { confirmationPage, unsubscribedPage } from './unsubscribe-page';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * An unsubscribe page: its own CSP lets its one form post back, and its referrer policy keeps the Origin header of
 * that post (under the API's no-referrer a browser sends `Origin: null`, which the CSRF check refuses to a
 * visitor who is signed in).
 */
function sendPage(reply: FastifyReply, html: string) {
  noStore(reply);
  return reply
    .header('content-security-policy', UNSUBSCRIBE_PAGE_CSP)
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(html);
}

export const preferencesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'getMyNotificationPreferences',
        security: sessionRequired,
        summary: 'Which messages reach you in the app and by email, and when session reminders come',
        response: { 200: notificationPreferencesSchema, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return getPreferences(app.db, principal.userId);
    },
  );

  app.put(
    '/api/me/notification-preferences',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'updateMyNotificationPreferences',
        security: sessionRequired,
        summary:
          'Replace your notification preferences; upcoming confirmed sessions follow new reminder offsets at once',
        body: notificationPreferencesSchema,
        response: { 200: notificationPreferencesSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      return updatePreferences(app.db, principal.userId, request.body, app.clock());
    },
  );

  await app.register(unsubscribeRoutes);
};

/** The one-click unsubscribe URL of every mail that is not security mail (RFC 8058); no session is involved. */
const unsubscribeRoutes: FastifyPluginAsyncZod = async (scope) => {
  // Mail providers post the RFC 8058 body form-encoded; this scope is the only one that reads such bodies.
  scope.addContentTypeParser(
    FORM_CONTENT_TYPE,
    { parseAs: 'string', bodyLimit: 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  scope.get(
    '/api/unsubscribe/:token',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'showUnsubscribePage',
        summary:
          'The page an unsubscribe link opens: asks for confirmation and changes nothing (link scanners fetch it)',
        params: unsubscribeParamsSchema,
        produces: ['text/html'],
        response: { 200: z.string().describe('The confirmation page'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { group } = readUnsubscribeToken(scope.config.UNSUBSCRIBE_SECRET, request.params.token);
      return sendPage(reply, confirmationPage(group, scope.config.WEB_APP_URL));
    },
  );

  scope.post(
    '/api/unsubscribe/:token',
    {
      schema: {
        tags: ['notifications'],
        operationId: 'unsubscribeOneClick',
        summary:
          'RFC 8058 one-click unsubscribe: the body List-Unsubscribe=One-Click (form-encoded) switches off the ' +
          "email of the link's group for the link's user. No session or CSRF token; a browser (Accept: text/html) " +
          'gets a page instead of JSON',
        consumes: [FORM_CONTENT_TYPE],
        params: unsubscribeParamsSchema,
        body: oneClickUnsubscribeBodySchema,
        response: { 200: unsubscribedSchema, ...errorResponses(400, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const result = await unsubscribe(scope.db, scope.config.UNSUBSCRIBE_SECRET, request.params.token);
      if (request.headers.accept?.includes('text/html'))
        return sendPage(reply, unsubscribedPage(result.group, scope.config.WEB_APP_URL));
      return result;
    },
  );
};
