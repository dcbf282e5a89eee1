import { z } from 'zod';
import {
  cursorSchema,
  idSchema,
  limitSchema,
  moneySchema,
  pageSchema,
  priceRangeFields,
  priceRangeIsOrdered,
  priceRangeOrderError,
  searchTextSchema,
} from './common';
import { userSummarySchema } from './users';

export const courseLevels = ['beginner', 'intermediate', 'advanced'] as const;
export const courseSorts = ['newest', 'popular', 'price', 'price_desc'] as const;
export type CourseSort = (typeof courseSorts)[number];

export const courseListQuerySchema = z
  .strictObject({
    q: searchTextSchema.optional(),
    level: z.enum(courseLevels, { error: `must be one of ${courseLevels.join(', ')}` }).optional(),
    instructorId: idSchema.optional(),
    ...priceRangeFields,
    sort: z.enum(courseSorts, { error: `must be one of ${courseSorts.join(', ')}` }).default('newest'),
    cursor: cursorSchema.optional(),
    limit: limitSchema,
  })
  .refine(priceRangeIsOrdered, priceRangeOrderError);

export type CourseListQuery = z.infer<typeof courseListQuerySchema>;

/** A course is addressed by its numeric id or by its slug. */
export const courseKeyParamsSchema = z.strictObject({
  idOrSlug: z
    .string()
    .max(120, { error: 'is too long' })
    .regex(/^(\d{1,10}|[a-z0-9]+(-[a-z0-9]+)*)$/, { error: 'must be a numeric id or a course slug' }),
});

export const courseSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    level: z.enum(courseLevels),
    price: moneySchema,
    coverUrl: z.string().nullable(),
    lessonsCount: z.number().int(),
    durationMinutes: z.number().int(),
    enrollmentsCount: z.number().int(),
    publishedAt: z.iso.datetime().nullable(),
    instructor: userSummarySchema,
  })
  .meta({ id: 'CourseSummary' });

export const lessonOutlineSchema = z
  .object({
    id: z.number().int(),
    position: z.number().int(),
    title: z.string(),
    durationMinutes: z.number().int(),
    isPreview: z.boolean(),
  })
  .meta({ id: 'LessonOutline' });

export const courseDetailSchema = courseSummarySchema
  .extend({
    description: z.string(),
    lessons: z.array(lessonOutlineSchema),
  })
  .meta({ id: 'CourseDetail' });

export const coursePageSchema = pageSchema(courseSummarySchema).meta({ id: 'CoursePage' });

export type CourseSummary = z.infer<typeof courseSummarySchema>;
export type CourseDetail = z.infer<typeof courseDetailSchema>;
export type LessonOutline = z.infer<typeof lessonOutlineSchema>;
