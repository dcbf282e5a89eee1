import { z } from 'zod';
import {
  centsSchema,
  cursorSchema,
  limitSchema,
  moneySchema,
  pageSchema,
  priceRangeFields,
  priceRangeIsOrdered,
  priceRangeOrderError,
  searchTextSchema,
} from './common';
import { meetingUrlInputSchema } from './calendar';
import { decimalParamSchema, integerParamSchema } from './scalars';
import { multiLine, singleLine, timezoneSchema } from './text';
import { userSummarySchema } from './users';

/** `responsive`: highest response rate first. */
export const mentorSorts = ['rating', 'price', 'price_desc', 'newest', 'responsive'] as const;
export type MentorSort = (typeof mentorSorts)[number];

/** A mentor list filters on up to this many expertise slugs (a mentor must have all of them). */
export const MAX_EXPERTISE_FILTERS = 5;
const expertiseSlug = '[a-z0-9-]+';

const slugListSchema = z
  .string()
  .max(200)
  .regex(new RegExp(`^${expertiseSlug}(,${expertiseSlug}){0,${MAX_EXPERTISE_FILTERS - 1}}$`), {
    error: `must be up to ${MAX_EXPERTISE_FILTERS} comma-separated expertise slugs`,
  })
  .transform((list) => [...new Set(list.split(','))]);

/** The expertise filter as a list (GraphQL): the same slugs, the same bound, duplicates dropped. */
export const expertiseFilterSchema = z
  .array(
    z
      .string()
      .max(200)
      .regex(new RegExp(`^${expertiseSlug}$`), { error: 'must be an expertise slug' }),
  )
  .max(MAX_EXPERTISE_FILTERS, { error: `must be up to ${MAX_EXPERTISE_FILTERS} expertise slugs` })
  .transform((slugs) => [...new Set(slugs)]);

export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2,3}$/, { error: 'must be an ISO 639 language code such as "en"' });

/** The bounds of the minimum rating filter. */
export const RATING_RANGE = { min: 0, max: 5 } as const;

export const mentorListQuerySchema = z
  .strictObject({
    q: searchTextSchema.optional(),
    expertise: slugListSchema.optional().describe('Comma-separated slugs; a mentor must have all of them.'),
    ...priceRangeFields,
    minRating: decimalParamSchema(RATING_RANGE.min, RATING_RANGE.max).optional(),
    language: languageCodeSchema.optional(),
    minResponseRate: integerParamSchema(0, 100)
      .optional()
      .describe('Percent: only mentors who answered at least this share of requests in the last 90 days.'),
    sort: z.enum(mentorSorts, { error: `must be one of ${mentorSorts.join(', ')}` }).default('rating'),
    cursor: cursorSchema.optional(),
    limit: limitSchema,
  })
  .refine(priceRangeIsOrdered, priceRangeOrderError);

export type MentorListQuery = z.infer<typeof mentorListQuerySchema>;

export const expertiseTagSchema = z
  .object({ slug: z.string(), name: z.string() })
  .meta({ id: 'ExpertiseTag' });

export const ratingSchema = z.object({
  average: z.number().min(0).max(5),
  count: z.number().int().min(0),
});

export const mentorSummarySchema = z
  .object({
    id: z.number().int(),
    headline: z.string(),
    hourlyRate: moneySchema,
    languages: z.array(z.string()),
    timezone: z.string(),
    yearsExperience: z.number().int(),
    rating: ratingSchema,
    expertise: z.array(expertiseTagSchema),
    user: userSummarySchema,
    /**
     * Over the last 90 days: the percent of booking requests answered (confirmed or declined; expired ones count
     * as unanswered) and the median time to answer. Null without requests (or timed answers) yet.
     */
    responsiveness: z.object({
      rate: z.number().int().min(0).max(100).nullable(),
      medianMinutes: z.number().int().min(0).nullable(),
    }),
    /** Reliability strikes keep the mentor from being booked until then (null: bookable). */
    pausedUntil: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'MentorSummary' });

export const mentorDetailSchema = mentorSummarySchema
  .extend({
    bio: z.string(),
    sessionMinutes: z.number().int(),
    sessionsCompleted: z.number().int(),
    rating: ratingSchema.extend({
      /** Review counts by star, "1" to "5". */
      distribution: z.object({ 1: z.number(), 2: z.number(), 3: z.number(), 4: z.number(), 5: z.number() }),
    }),
  })
  .meta({ id: 'MentorDetail' });

export const mentorPageSchema = pageSchema(mentorSummarySchema).meta({ id: 'MentorPage' });

/** Every expertise tag with the number of listed (approved, active) mentors who have it, most common first. */
export const expertiseListSchema = z
  .object({
    items: z.array(expertiseTagSchema.extend({ mentorCount: z.number().int().min(0) })),
  })
  .meta({ id: 'ExpertiseList' });

export type ExpertiseTag = z.infer<typeof expertiseTagSchema>;
export type ExpertiseList = z.infer<typeof expertiseListSchema>;
export type MentorSummary = z.infer<typeof mentorSummarySchema>;
export type MentorDetail = z.infer<typeof mentorDetailSchema>;

const mentorProfileFields = {
  headline: singleLine(160),
  bio: multiLine(8000),
  hourlyRateCents: centsSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' }),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/, { error: 'must be an ISO 639 code such as "en"' }))
    .min(1, { error: 'must list at least one language' })
    .max(10, { error: 'must list at most 10 languages' }),
  timezone: timezoneSchema,
  expertise: z
    .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be an expertise slug' }))
    .min(1, { error: 'must name at least one expertise' })
    .max(5, { error: 'must name at most 5' }),
  sessionMinutes: z.union([z.literal(30), z.literal(45), z.literal(60), z.literal(90)]),
};

/** What a user submits to become a mentor; an admin approves it before the profile is listed. */
export const mentorApplicationBodySchema = z.strictObject({
  ...mentorProfileFields,
  currency: mentorProfileFields.currency.default('USD'),
  sessionMinutes: mentorProfileFields.sessionMinutes.default(60),
});

/**
 * A mentor's edit of their own profile: any subset of the fields; expertise, when given, replaces the list;
 * `meetingUrl` sets their own video room for all sessions, null goes back to a generated room per booking.
 */
export const mentorProfileUpdateBodySchema = z
  .strictObject({ ...mentorProfileFields, meetingUrl: meetingUrlInputSchema })
  .partial()
  .refine((body) => Object.keys(body).length > 0, { error: 'must change at least one field' });

export const mentorApplicationSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['pending', 'approved', 'rejected', 'suspended']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'MentorApplication' });

export type MentorApplicationBody = z.infer<typeof mentorApplicationBodySchema>;
export type MentorProfileUpdateBody = z.infer<typeof mentorProfileUpdateBodySchema>;
export type MentorApplication = z.infer<typeof mentorApplicationSchema>;
