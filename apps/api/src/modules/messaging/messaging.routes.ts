import {
  conversationCreateBodySchema,
  conversationListQuerySchema,
  conversationPageSchema,
  conversationReadBodySchema,
  conversationReadResponseSchema,
  conversationSchema,
  errorBodySchema,
  idParamsSchema,
  messageCreateBodySchema,
  messageListQuerySchema,
  messagePageSchema,
  messageSchema,
  userIdParamsSchema,
} from '@mentorhub/contracts';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { sessionRequired } from '../../infra/auth/session-security';
import { errorResponses } from '../../infra/http/error-responses';
import { runPeriodically } from '../../infra/periodic';
import { sendMessageDigests } from './digest.service';
import {
  blockUser,
  closeConversation,
  listConversations,
  listMessages,
  markConversationRead,
  openConversation,
  sendMessage,
  unblockUser,
  type MessagingContext,
} from './messaging.service';

/** What the messaging services need, from the app and its configured limits. */
export function messagingContextOf(app: FastifyInstance): MessagingContext {
  return {
    ...app.services,
    live: app.live,
    clock: app.clock,
    policy: {
      newAccountDays: app.config.MESSAGING_NEW_ACCOUNT_DAYS,
      newAccountThreadsPerDay: app.config.MESSAGING_NEW_ACCOUNT_THREADS_PER_DAY,
    },
  };
}

const blocked = errorBodySchema.describe('BLOCKED: one of you blocked the other');

export const messagingRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = messagingContextOf(app);

  app.get(
    '/api/me/conversations',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'listMyConversations',
        security: sessionRequired,
        summary:
          'Your conversations, most recent activity first, each with its last message and unread count',
        querystring: conversationListQuerySchema,
        response: { 200: conversationPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listConversations(app.db, principal.userId, request.query);
    },
  );

  app.post(
    '/api/conversations',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'openConversation',
        security: sessionRequired,
        summary: 'Open a conversation with a mentor, or get the one you already have (200)',
        body: conversationCreateBodySchema,
        response: {
          200: conversationSchema.describe('The conversation you already had with this mentor'),
          201: conversationSchema,
          ...errorResponses(400, 401, 404, 429),
          403: errorBodySchema.describe('BLOCKED, or FORBIDDEN: the mentor profile is your own'),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const { conversation, created } = await openConversation(ctx, principal.userId, request.body.mentorId);
      noStore(reply);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  app.get(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'listMessages',
        security: sessionRequired,
        summary: 'A conversation of yours and its messages, newest first (the cursor leads to older ones)',
        params: idParamsSchema,
        querystring: messageListQuerySchema,
        response: { 200: messagePageSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listMessages(ctx, principal.userId, request.params.id, request.query);
    },
  );

  app.post(
    '/api/conversations/:id/messages',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'sendMessage',
        security: sessionRequired,
        summary: 'Send a plain-text message in a conversation of yours',
        params: idParamsSchema,
        body: messageCreateBodySchema,
        response: {
          201: messageSchema,
          ...errorResponses(400, 401, 404),
          403: blocked,
          409: errorBodySchema.describe('CONVERSATION_CLOSED: the mentor closed the conversation'),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const message = await sendMessage(ctx, principal.userId, request.params.id, request.body.body);
      noStore(reply);
      return reply.code(201).send(message);
    },
  );

  app.post(
    '/api/conversations/:id/read',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'markConversationRead',
        security: sessionRequired,
        summary: 'Read receipt: you have read the conversation up to this message',
        params: idParamsSchema,
        body: conversationReadBodySchema,
        response: { 200: conversationReadResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      return markConversationRead(ctx, principal.userId, request.params.id, request.body.upToMessageId);
    },
  );

  app.post(
    '/api/conversations/:id/close',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'closeConversation',
        security: sessionRequired,
        summary: 'Close a conversation (its mentor): it keeps its history and takes no new messages',
        params: idParamsSchema,
        response: { 200: conversationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = await requirePrincipal(request);
      return closeConversation(ctx, principal.userId, request.params.id);
    },
  );

  app.post(
    '/api/me/blocks/:userId',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'blockUser',
        security: sessionRequired,
        summary: 'Block a user: neither of you can message or book the other until you unblock them',
        params: userIdParamsSchema,
        response: { 204: z.null().describe('Blocked'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      await blockUser(ctx, principal.userId, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/me/blocks/:userId',
    {
      schema: {
        tags: ['messaging'],
        operationId: 'unblockUser',
        security: sessionRequired,
        summary: 'Unblock a user you blocked (nothing happens if you had not)',
        params: userIdParamsSchema,
        response: { 204: z.null().describe('Unblocked'), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      await unblockUser(ctx, principal.userId, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  runPeriodically(
    app,
    app.config.MESSAGE_DIGEST_SWEEP_SECONDS,
    async () => {
      const mailed = await sendMessageDigests(app.db, app.clock(), app.config.MESSAGE_DIGEST_DELAY_MINUTES);
      if (mailed > 0) app.log.info({ mailed }, 'Wrote unread-message digests');
    },
    'Writing unread-message digests failed; the next run retries',
  );
};
