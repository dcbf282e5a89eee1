import { z } from 'zod';
import { cursorSchema, limitSchema, pageSchema } from './common';
import { messageIdSchema } from './messaging';
import { INT4_MAX, instantSchema } from './scalars';
import { multiLine } from './text';

/** What can be reported. The API's registry of reportable kinds has one entry per kind listed here. */
export const reportableKinds = ['review', 'mentor', 'course', 'user', 'message'] as const;
export type ReportableKind = (typeof reportableKinds)[number];

export const reportReasons = ['spam', 'harassment', 'inappropriate', 'misleading', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** The decision that closed a case, as the reporter and the admins see it. */
export const moderationOutcomes = ['dismissed', 'hidden', 'warned', 'suspended', 'reinstated'] as const;
export type ModerationOutcome = (typeof moderationOutcomes)[number];

/** Messages have bigint ids; every other reportable kind has integer ones. */
const fitsItemId = (body: { kind: ReportableKind; itemId: number }) =>
  body.kind === 'message' || body.itemId <= INT4_MAX;

export const reportCreateBodySchema = z
  .strictObject({
    kind: z.enum(reportableKinds),
    itemId: messageIdSchema.describe(
      `Up to 2^53 − 1 for a message; at most ${INT4_MAX} for every other kind.`,
    ),
    reason: z.enum(reportReasons),
    details: multiLine(1000).default('').describe('What is wrong, in the reporter’s words (optional).'),
  })
  .refine(fitsItemId, { path: ['itemId'], error: `must be at most ${INT4_MAX} for this kind` })
  .meta({ id: 'ReportCreate' });

export const reportSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(reportableKinds),
    itemId: z.number().int(),
    reason: z.enum(reportReasons),
    details: z.string(),
    createdAt: z.iso.datetime(),
    status: z.enum(['open', 'closed']).describe('open: waiting for an admin; closed: decided.'),
    outcome: z.enum(moderationOutcomes).nullable().describe('The decision, once the report is closed.'),
    decidedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Report' });

export const reportListQuerySchema = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema });
export const reportPageSchema = pageSchema(reportSchema).meta({ id: 'ReportPage' });

/** A reported item as the queue shows it: enough to judge it without opening it. */
export const moderationItemSchema = z
  .object({
    kind: z.enum(reportableKinds),
    id: z.number().int(),
    title: z.string(),
    excerpt: z.string(),
    hidden: z.boolean(),
    /** Where the web app shows the item publicly while it is visible (null: nowhere). */
    path: z.string().nullable(),
  })
  .meta({ id: 'ModerationItem' });

export const moderationCaseSchema = z
  .object({
    id: z.number().int(),
    item: moderationItemSchema.nullable().describe('Null once the item itself was deleted.'),
    owner: z.object({
      id: z.number().int(),
      name: z.string(),
      role: z.enum(['mentee', 'mentor', 'admin']),
      suspension: z
        .object({ until: z.iso.datetime().nullable().describe('Null: for good.') })
        .nullable()
        .describe('Set while a suspension is in force.'),
    }),
    reportCount: z.number().int(),
    reasons: z.array(z.object({ reason: z.enum(reportReasons), count: z.number().int() })),
    /** The reporters' own words, newest first (at most 5). */
    details: z.array(z.string()),
    openedAt: z.iso.datetime(),
  })
  .meta({ id: 'ModerationCase' });

export const moderationQueueQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});
export const moderationQueuePageSchema = pageSchema(moderationCaseSchema).meta({ id: 'ModerationQueuePage' });

export const moderationActions = ['dismiss', 'hide', 'warn', 'suspend', 'reinstate'] as const;
export type ModerationAction = (typeof moderationActions)[number];

export const moderationDecisionBodySchema = z
  .strictObject({
    action: z
      .enum(moderationActions)
      .describe(
        'dismiss, hide (the item), warn (its owner), suspend (its owner) close an open case; reinstate undoes ' +
          'the hide or the suspension a case was closed with.',
      ),
    reason: multiLine(1000).min(1, { error: 'must say why' }),
    suspendedUntil: instantSchema
      .optional()
      .describe('suspend only: when the suspension ends (in the future); omitted: for good.'),
  })
  .meta({ id: 'ModerationDecision' });

export const moderationDecisionResultSchema = z
  .object({
    caseId: z.number().int(),
    outcome: z.enum(moderationOutcomes),
    decidedAt: z.iso.datetime(),
  })
  .meta({ id: 'ModerationDecisionResult' });

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    actor: z.object({ id: z.number().int(), name: z.string().nullable() }),
    action: z.string(),
    subject: z.object({ kind: z.string(), id: z.number().int() }),
    reason: z.string(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export const auditLogQuerySchema = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema });
export const auditLogPageSchema = pageSchema(auditEntrySchema).meta({ id: 'AuditLogPage' });

export type ReportCreateBody = z.infer<typeof reportCreateBodySchema>;
export type Report = z.infer<typeof reportSchema>;
export type ReportListQuery = z.infer<typeof reportListQuerySchema>;
export type ModerationItem = z.infer<typeof moderationItemSchema>;
export type ModerationCase = z.infer<typeof moderationCaseSchema>;
export type ModerationQueueQuery = z.infer<typeof moderationQueueQuerySchema>;
export type ModerationDecisionBody = z.infer<typeof moderationDecisionBodySchema>;
export type ModerationDecisionResult = z.infer<typeof moderationDecisionResultSchema>;
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;
