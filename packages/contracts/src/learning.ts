import { z } from 'zod';
import { cursorSchema, limitSchema, pageSchema } from './common';
import { courseSummarySchema, lessonSchema } from './courses';

export const courseProgressSchema = z
  .object({
    completedLessons: z.number().int(),
    totalLessons: z.number().int(),
    /** Whole percent, 0–100. */
    percent: z.number().int().min(0).max(100),
  })
  .meta({ id: 'CourseProgress' });

/** One of the signed-in user's enrollments: the course card and how far they are. */
export const enrollmentSchema = z
  .object({
    id: z.number().int(),
    course: courseSummarySchema,
    progress: courseProgressSchema,
    enrolledAt: z.iso.datetime(),
    /** When every lesson was first completed; null until then. */
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Enrollment' });

export const enrollmentPageSchema = pageSchema(enrollmentSchema).meta({ id: 'EnrollmentPage' });

/** The signed-in user's enrollments, newest first (keyset-paginated). */
export const enrollmentListQuerySchema = z.strictObject({
  cursor: cursorSchema.optional(),
  limit: limitSchema,
});

/** A lesson as a learner opens it, with whether the signed-in user has completed it. */
export const lessonViewSchema = lessonSchema.extend({ completed: z.boolean() }).meta({ id: 'LessonView' });

export const lessonCompletionSchema = z
  .object({
    lessonId: z.number().int(),
    courseId: z.number().int(),
    progress: courseProgressSchema,
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'LessonCompletion' });

export type CourseProgress = z.infer<typeof courseProgressSchema>;
export type Enrollment = z.infer<typeof enrollmentSchema>;
export type EnrollmentListQuery = z.infer<typeof enrollmentListQuerySchema>;
export type LessonView = z.infer<typeof lessonViewSchema>;
export type LessonCompletion = z.infer<typeof lessonCompletionSchema>;
