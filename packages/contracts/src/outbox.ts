import { z } from 'zod';
import { cursorSchema, limitSchema } from './common';

/** The outbox states an admin can list: waiting, parked after the last failed attempt, or settled unsent. */
export const listedOutboxStatuses = ['dead', 'pending', 'dropped'] as const;

export type ListedOutboxStatus = (typeof listedOutboxStatuses)[number];

export const outboxListQuerySchema = z.strictObject({
  status: z
    .enum(listedOutboxStatuses, { error: 'must be dead, pending or dropped' })
    .default('dead')
    .describe('dead (default): parked dead letters; pending: waiting for delivery; dropped: settled unsent.'),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

export type OutboxListQuery = z.infer<typeof outboxListQuerySchema>;

/** A message kind as the outbox names it, e.g. "booking.confirmed". */
export const outboxKindSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]{0,99}$/, { error: 'must be a message kind such as "booking.confirmed"' });

/**
 * An outbox message as admins see it: who it is for, how delivery went, never its payload (payloads may carry
 * secrets such as one-time links).
 */
export const outboxMessageSchema = z
  .object({
    id: z.number().int(),
    channel: z.enum(['email']),
    kind: z.string(),
    status: z.enum(['pending', 'sent', 'dead', 'dropped']),
    recipient: z.object({ id: z.number().int(), name: z.string(), email: z.string() }),
    attempts: z.number().int().min(0),
    lastError: z.string().nullable().describe('Why the last attempt failed, or why the message was dropped.'),
    createdAt: z.iso.datetime().describe('When the change that wrote the message committed.'),
    dueAt: z.iso
      .datetime()
      .nullable()
      .describe('Pending: when it is next tried (or when the lease of the worker trying it ends).'),
    lastAttemptAt: z.iso.datetime().nullable(),
    settledAt: z.iso.datetime().nullable().describe('When it was sent, parked as a dead letter or dropped.'),
  })
  .meta({ id: 'OutboxMessage' });

export type OutboxMessage = z.infer<typeof outboxMessageSchema>;

export const outboxPageSchema = z
  .object({ items: z.array(outboxMessageSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'OutboxPage' });

export type OutboxPage = z.infer<typeof outboxPageSchema>;

/** Retry every dead letter of one kind (after fixing what made them fail). */
export const outboxBulkRetryBodySchema = z.strictObject({ kind: outboxKindSchema });

export type OutboxBulkRetryBody = z.infer<typeof outboxBulkRetryBodySchema>;

export const outboxBulkRetryResponseSchema = z
  .object({ retried: z.number().int().min(0) })
  .meta({ id: 'OutboxBulkRetried' });

export type OutboxBulkRetryResponse = z.infer<typeof outboxBulkRetryResponseSchema>;
