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
import { responsiveImageSchema } from './images';
import { idParamSchema, idSchema, INT4_MAX, isIdParam } from './scalars';
import { multiLine, singleLine } from './text';
import { userSummarySchema } from './users';

export const courseLevels = ['beginner', 'intermediate', 'advanced'] as const;
export const courseStatuses = ['draft', 'published', 'archived'] as const;
export const courseSorts = ['newest', 'popular', 'price', 'price_desc'] as const;
export type CourseSort = (typeof courseSorts)[number];

export const courseListQuerySchema = z
  .strictObject({
    q: searchTextSchema.optional(),
    level: z.enum(courseLevels, { error: `must be one of ${courseLevels.join(', ')}` }).optional(),
    instructorId: idParamSchema.optional(),
    ...priceRangeFields,
    sort: z.enum(courseSorts, { error: `must be one of ${courseSorts.join(', ')}` }).default('newest'),
    cursor: cursorSchema.optional(),
    limit: limitSchema,
  })
  .refine(priceRangeIsOrdered, priceRangeOrderError);

export type CourseListQuery = z.infer<typeof courseListQuerySchema>;

/** A key of digits only is an id; it never falls through to a slug lookup. */
const isCourseId = (idOrSlug: string) => /^\d+$/.test(idOrSlug);

/** A course is addressed by its numeric id or by its slug. */
export const courseKeySchema = z
  .string()
  .max(120, { error: 'is too long' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be a numeric id or a course slug' })
  .refine((key) => !isCourseId(key) || isIdParam(key), { error: `must be an id from 1 to ${INT4_MAX}` });

/** Named `id` like every other parameter at that place in a course URL, so the paths stay unambiguous. */
export const courseKeyParamsSchema = z.strictObject({
  id: courseKeySchema.describe('The course’s numeric id or its slug'),
});

/** The lookup a valid course key stands for. */
export function courseKeyOf(idOrSlug: string): { id: number } | { slug: string } {
  return isCourseId(idOrSlug) ? { id: Number(idOrSlug) } : { slug: idOrSlug };
}

export const courseSummarySchema = z
  .object({
    id: z.number().int(),
    slug: z.string(),
    title: z.string(),
    summary: z.string(),
    level: z.enum(courseLevels),
    price: moneySchema,
    coverUrl: z.string().nullable(),
    cover: responsiveImageSchema.nullable(),
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
    /** Always `published` for the public; a draft is shown (as `draft`) to its instructor and admins only. */
    status: z.enum(courseStatuses),
    description: z.string(),
    lessons: z.array(lessonOutlineSchema),
  })
  .meta({ id: 'CourseDetail' });

export const coursePageSchema = pageSchema(courseSummarySchema).meta({ id: 'CoursePage' });

export type CourseSummary = z.infer<typeof courseSummarySchema>;
export type CourseDetail = z.infer<typeof courseDetailSchema>;
export type LessonOutline = z.infer<typeof lessonOutlineSchema>;

// Authoring: mentors (and admins) write their own courses and lessons.

/** A course slug: lowercase words joined by single dashes, with at least one letter so it never reads as an id. */
export const courseSlugSchema = z
  .string()
  .max(120, { error: 'must be at most 120 characters' })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'must be lowercase letters and digits joined by dashes' })
  .regex(/[a-z]/, { error: 'must contain a letter (an all-digit slug would read as an id)' });

const courseFields = {
  title: singleLine(160),
  slug: courseSlugSchema,
  summary: multiLine(500),
  description: multiLine(20_000),
  level: z.enum(courseLevels, { error: `must be one of ${courseLevels.join(', ')}` }),
  priceCents: centsSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as "USD"' }),
};

const mustChangeSomething = {
  error: 'must change at least one field',
};

/** A new draft; the slug is derived from the title (and made unique) unless given. */
export const courseCreateBodySchema = z.strictObject({
  ...courseFields,
  slug: courseFields.slug.optional(),
  summary: courseFields.summary.default(''),
  description: courseFields.description.default(''),
  priceCents: courseFields.priceCents.default(0),
  currency: courseFields.currency.default('USD'),
});

export const courseUpdateBodySchema = z
  .strictObject(courseFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, mustChangeSomething);

const lessonFields = {
  title: singleLine(160),
  content: multiLine(100_000),
  durationMinutes: z.number().int({ error: 'must be a whole number of minutes' }).min(0).max(1440),
  isPreview: z.boolean(),
};

/** A new lesson, appended after the course's last one. */
export const lessonCreateBodySchema = z.strictObject({
  ...lessonFields,
  content: lessonFields.content.default(''),
  durationMinutes: lessonFields.durationMinutes.default(0),
  isPreview: lessonFields.isPreview.default(false),
});

export const lessonUpdateBodySchema = z
  .strictObject(lessonFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, mustChangeSomething);

/** The course's lessons, every one exactly once, in their new order. */
export const lessonOrderBodySchema = z.strictObject({
  lessonIds: z
    .array(idSchema)
    .min(1, { error: 'must list the course’s lessons' })
    .max(1000, { error: 'must list at most 1000 lessons' })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat a lesson' }),
});

/** The instructor's studio list: their own courses, drafts included (keyset-paginated, newest first). */
export const studioCourseListQuerySchema = z.strictObject({
  status: z.enum(courseStatuses, { error: `must be one of ${courseStatuses.join(', ')}` }).optional(),
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

const studioFields = {
  status: z.enum(courseStatuses),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const studioCourseSummarySchema = courseSummarySchema
  .extend(studioFields)
  .meta({ id: 'StudioCourseSummary' });

/** A course as its instructor sees it: any status, with its ordered lessons. */
export const studioCourseSchema = courseDetailSchema.extend(studioFields).meta({ id: 'StudioCourse' });

export const studioCoursePageSchema = pageSchema(studioCourseSummarySchema).meta({ id: 'StudioCoursePage' });

/** A lesson with its content. */
export const lessonSchema = lessonOutlineSchema
  .extend({ courseId: z.number().int(), content: z.string() })
  .meta({ id: 'Lesson' });

export type CourseStatus = (typeof courseStatuses)[number];
export type CourseCreateBody = z.infer<typeof courseCreateBodySchema>;
export type CourseUpdateBody = z.infer<typeof courseUpdateBodySchema>;
export type LessonCreateBody = z.infer<typeof lessonCreateBodySchema>;
export type LessonUpdateBody = z.infer<typeof lessonUpdateBodySchema>;
export type LessonOrderBody = z.infer<typeof lessonOrderBodySchema>;
export type StudioCourseListQuery = z.infer<typeof studioCourseListQuerySchema>;
export type StudioCourseSummary = z.infer<typeof studioCourseSummarySchema>;
export type StudioCourse = z.infer<typeof studioCourseSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
