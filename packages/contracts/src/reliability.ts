import { z } from 'zod';
import { cursorSchema, limitSchema, pageSchema } from './common';
import { multiLine } from './text';

export const strikeKinds = ['no_show', 'late_cancel'] as const;
export type StrikeKind = (typeof strikeKinds)[number];

export const disputeStatuses = ['open', 'upheld', 'voided'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

/** A strike in effect: a no-show the other party reported, or a cancellation inside the late window. */
export const strikeSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(strikeKinds),
    bookingId: z.number().int(),
    givenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    /** The caller's dispute of this no-show, if they filed one. */
    dispute: z.object({ status: z.enum(disputeStatuses) }).nullable(),
  })
  .meta({ id: 'Strike' });

/** The rules strikes follow, so a notice can explain them. */
export const reliabilityRulesSchema = z
  .object({
    noShowGraceMinutes: z.number().int(),
    lateCancelHours: z.number().int(),
    strikeExpiryDays: z.number().int(),
    strikesToPause: z.number().int(),
    strikeWindowDays: z.number().int(),
    pauseDays: z.number().int(),
    disputeWindowDays: z.number().int(),
  })
  .meta({ id: 'ReliabilityRules' });

/**
 * The caller's standing: strikes in effect, until when they are paused (null: not paused) and, for a mentor hidden
 * from the directory for leaving requests unanswered, since when.
 */
export const standingSchema = z
  .object({
    strikes: z.array(strikeSchema),
    pausedUntil: z.iso.datetime().nullable(),
    hiddenSince: z.iso.datetime().nullable(),
    rules: reliabilityRulesSchema,
  })
  .meta({ id: 'Standing' });

export const disputeBodySchema = z.strictObject({
  reason: multiLine(2000).min(1, { error: 'must not be empty' }),
});

export const disputeSchema = z
  .object({
    id: z.number().int(),
    bookingId: z.number().int(),
    status: z.enum(disputeStatuses),
    reason: z.string(),
    /** Who filed the dispute, and who the strike was given to. */
    filedBy: z.object({ id: z.number().int(), name: z.string() }),
    struck: z.object({ id: z.number().int(), name: z.string() }),
    /** The booking's two parties. */
    mentor: z.object({ id: z.number().int(), name: z.string() }),
    mentee: z.object({ id: z.number().int(), name: z.string() }),
    strikeKind: z.enum(strikeKinds),
    startsAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    decidedAt: z.iso.datetime().nullable(),
    decisionReason: z.string().nullable(),
  })
  .meta({ id: 'NoShowDispute' });

export const disputePageSchema = pageSchema(disputeSchema).meta({ id: 'NoShowDisputePage' });

export const disputeListQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

/** uphold: the strike stands; void: it no longer counts, and a pause it caused is lifted if no longer justified. */
export const disputeDecisions = ['uphold', 'void'] as const;
export type DisputeDecision = (typeof disputeDecisions)[number];

export const disputeDecisionBodySchema = z.strictObject({
  decision: z.enum(disputeDecisions, { error: `must be one of ${disputeDecisions.join(', ')}` }),
  reason: multiLine(2000).min(1, { error: 'must not be empty' }),
});

export type Strike = z.infer<typeof strikeSchema>;
export type Standing = z.infer<typeof standingSchema>;
export type DisputeBody = z.infer<typeof disputeBodySchema>;
export type Dispute = z.infer<typeof disputeSchema>;
export type DisputeListQuery = z.infer<typeof disputeListQuerySchema>;
export type DisputeDecisionBody = z.infer<typeof disputeDecisionBodySchema>;
