import {
  bookingStatuses,
  centsSchema,
  courseKeySchema,
  courseLevels,
  courseSorts,
  cursorSchema,
  DEFAULT_PAGE_SIZE,
  DEFAULT_RECOMMENDATIONS,
  expertiseFilterSchema,
  idSchema,
  languageCodeSchema,
  MAX_PAGE_SIZE,
  MAX_RECOMMENDATIONS,
  mentorSorts,
  priceRangeIsOrdered,
  priceRangeOrderError,
  RATING_RANGE,
  searchTextSchema,
  wholeNumberSchema,
} from '@mentorhub/contracts';
import { z } from 'zod';
import { AppError } from '../../infra/errors/app-error';

/**
 * The arguments of each GraphQL field, as typed values (GraphQL has checked their types), under the REST
 * endpoint's bounds and rules, and turned into the same typed input the REST query parses to: one cache key for
 * the same request through either API.
 */

const pageFields = {
  first: wholeNumberSchema(1, MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  after: cursorSchema.optional(),
};

/** GraphQL's paging arguments as the list query's. */
const asPageQuery = <Args extends { first: number; after?: string | undefined }>({
  first,
  after,
  ...rest
}: Args) => ({ ...rest, limit: first, cursor: after });

const priceBoundFields = { minPriceCents: centsSchema.optional(), maxPriceCents: centsSchema.optional() };

export const mentorsArgsSchema = z
  .strictObject({
    q: searchTextSchema.optional(),
    expertise: expertiseFilterSchema.optional(),
    language: languageCodeSchema.optional(),
    minRating: z.number().min(RATING_RANGE.min).max(RATING_RANGE.max).optional(),
    minResponseRate: z.number().int().min(0).max(100).optional(),
    ...priceBoundFields,
    sort: z.enum(mentorSorts).default('rating'),
    ...pageFields,
  })
  .refine(priceRangeIsOrdered, priceRangeOrderError)
  .transform(asPageQuery);

export const coursesArgsSchema = z
  .strictObject({
    q: searchTextSchema.optional(),
    level: z.enum(courseLevels).optional(),
    instructorId: idSchema.optional(),
    ...priceBoundFields,
    sort: z.enum(courseSorts).default('newest'),
    ...pageFields,
  })
  .refine(priceRangeIsOrdered, priceRangeOrderError)
  .transform(asPageQuery);

export const mentorArgsSchema = z.strictObject({ id: idSchema });
export const courseArgsSchema = z.strictObject({ slugOrId: courseKeySchema });
export const pageArgsSchema = z.strictObject(pageFields).transform(asPageQuery);

export const recommendationsArgsSchema = z.strictObject({
  limit: wholeNumberSchema(1, MAX_RECOMMENDATIONS).default(DEFAULT_RECOMMENDATIONS),
});

export const bookingsArgsSchema = z
  .strictObject({
    as: z.enum(['mentee', 'mentor']).default('mentee'),
    status: z.enum(bookingStatuses).optional(),
    ...pageFields,
  })
  .transform(asPageQuery);

export const notificationsArgsSchema = z
  .strictObject({ unread: z.boolean().optional(), ...pageFields })
  .transform(asPageQuery);

/**
 * A field's arguments checked by its schema (an argument given as null counts as absent). A refusal is a
 * VALIDATION_FAILED error whose details name the argument.
 */
export function parseArgs<S extends z.ZodType>(schema: S, args: Record<string, unknown>): z.output<S> {
  const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value != null));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'VALIDATION_FAILED',
    'The arguments are invalid',
    parsed.error.issues.map((issue) => ({
      path: ['args', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}
