import {
  bookingActions,
  bookingCancelBodySchema,
  bookingCreateBodySchema,
  bookingPageSchema,
  bookingSchema,
  errorBodySchema,
  idempotencyHeadersSchema,
  idParamsSchema,
  myBookingsQuerySchema,
  rescheduleAnswerBodySchema,
  rescheduleProposalBodySchema,
} from '@mentorhub/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { noStore, requirePrincipal, requirePrincipalNoStore } from '../../infra/auth/session';
import { errorResponses } from '../../infra/http/error-responses';
import {
  answerReschedule,
  createBooking,
  getBooking,
  proposeReschedule,
  listMyBookings,
  sweepExpiredRequests,
  transitionBooking,
  type RescheduleAnswer,
} from './bookings.service';
import { sessionRequired } from '../../infra/auth/session-security';
import { runPeriodically } from '../../infra/periodic';
import { bookingContextOf } from './booking-context';

const actionSummaries = {
  confirm: 'Confirm a requested session (the mentor)',
  decline: 'Decline a requested session (the mentor)',
  cancel: 'Cancel a confirmed session before the cancellation window (either party)',
  complete: 'Mark a session that has ended as completed (the mentor)',
  'no-show': 'Mark a started session as a no-show (the mentor)',
  withdraw: 'Withdraw a request the mentor has not answered yet (the mentee)',
} as const;

const actionOperationIds = {
  confirm: 'confirmBooking',
  decline: 'declineBooking',
  cancel: 'cancelBooking',
  complete: 'completeBooking',
  'no-show': 'markBookingNoShow',
  withdraw: 'withdrawBooking',
} as const;

const rescheduleAnswers = {
  accept: {
    operationId: 'acceptReschedule',
    summary: 'Accept the other party’s proposed time: the session moves there (at the version shown)',
  },
  decline: {
    operationId: 'declineReschedule',
    summary: 'Decline the other party’s proposed time: the session keeps its time',
  },
  withdraw: {
    operationId: 'withdrawReschedule',
    summary: 'Withdraw your own proposed time before it is answered',
  },
} as const satisfies Record<RescheduleAnswer, { operationId: string; summary: string }>;

const staleOrRefused = errorBodySchema.describe(
  'BOOKING_CHANGED (the booking changed since the version sent), INVALID_TRANSITION or CANCELLATION_WINDOW_CLOSED',
);

export const bookingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = bookingContextOf(app);

  app.post(
    '/api/bookings',
    {
      schema: {
        tags: ['bookings'],
        operationId: 'createBooking',
        security: sessionRequired,
        summary: 'Request a session in one of the mentor’s open slots (Idempotency-Key supported)',
        headers: idempotencyHeadersSchema,
        body: bookingCreateBodySchema,
        response: {
          201: bookingSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe('SLOT_TAKEN: another booking holds this time'),
          422: errorBodySchema.describe('SLOT_UNAVAILABLE, or IDEMPOTENCY_KEY_REUSED with a different body'),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const { booking, replayed } = await createBooking(
        ctx,
        principal,
        request.body,
        request.headers['idempotency-key'],
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      noStore(reply);
      return reply.code(201).send(booking);
    },
  );

  app.get(
    '/api/me/bookings',
    {
      schema: {
        tags: ['bookings'],
        operationId: 'listMyBookings',
        security: sessionRequired,
        summary: 'My sessions as mentee (default) or as mentor, latest first',
        querystring: myBookingsQuerySchema,
        response: { 200: bookingPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return listMyBookings(ctx, principal, request.query);
    },
  );

  app.get(
    '/api/bookings/:id',
    {
      schema: {
        tags: ['bookings'],
        operationId: 'getBooking',
        security: sessionRequired,
        summary: 'One of my bookings, with the actions I can take',
        params: idParamsSchema,
        response: { 200: bookingSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipalNoStore(request, reply);
      return getBooking(ctx, principal, request.params.id);
    },
  );

  for (const action of bookingActions) {
    app.post(
      `/api/bookings/:id/${action}`,
      {
        schema: {
          tags: ['bookings'],
          operationId: actionOperationIds[action],
          security: sessionRequired,
          summary: actionSummaries[action],
          params: idParamsSchema,
          ...(action === 'cancel' ? { body: bookingCancelBodySchema } : {}),
          response: {
            200: bookingSchema,
            ...errorResponses(400, 401, 403, 404),
            409: errorBodySchema.describe('INVALID_TRANSITION or CANCELLATION_WINDOW_CLOSED'),
          },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(request);
        const reason =
          action === 'cancel' ? (request.body as { reason?: string } | null | undefined)?.reason : undefined;
        return transitionBooking(ctx, principal, request.params.id, action, reason);
      },
    );
  }

  app.post(
    '/api/bookings/:id/reschedule',
    {
      schema: {
        tags: ['bookings'],
        operationId: 'proposeReschedule',
        security: sessionRequired,
        summary:
          'Propose a new time for a requested or confirmed session (either party; Idempotency-Key supported)',
        headers: idempotencyHeadersSchema,
        params: idParamsSchema,
        body: rescheduleProposalBodySchema,
        response: {
          200: bookingSchema,
          ...errorResponses(400, 401, 403, 404),
          409: errorBodySchema.describe(
            'BOOKING_CHANGED, INVALID_TRANSITION, CANCELLATION_WINDOW_CLOSED, or SLOT_TAKEN: another booking holds this time',
          ),
          422: errorBodySchema.describe('SLOT_UNAVAILABLE, or IDEMPOTENCY_KEY_REUSED with a different body'),
        },
      },
    },
    async (request, reply) => {
      const principal = await requirePrincipal(request);
      const { booking, replayed } = await proposeReschedule(
        ctx,
        principal,
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      noStore(reply);
      return booking;
    },
  );

  for (const [answer, { operationId, summary }] of Object.entries(rescheduleAnswers) as [
    RescheduleAnswer,
    (typeof rescheduleAnswers)[RescheduleAnswer],
  ][]) {
    app.post(
      `/api/bookings/:id/reschedule/${answer}`,
      {
        schema: {
          tags: ['bookings'],
          operationId,
          security: sessionRequired,
          summary,
          params: idParamsSchema,
          body: rescheduleAnswerBodySchema,
          response: { 200: bookingSchema, ...errorResponses(400, 401, 403, 404), 409: staleOrRefused },
        },
      },
      async (request) => {
        const principal = await requirePrincipal(request);
        return answerReschedule(ctx, principal, request.params.id, answer, request.body);
      },
    );
  }

  runPeriodically(
    app,
    app.config.BOOKING_EXPIRY_SWEEP_SECONDS,
    () => sweepExpiredRequests(ctx, app.log),
    'Expiring booking requests failed; the next sweep retries',
  );
};
