import { z } from 'zod';
import { courseSummarySchema } from './courses';
import { mentorSummarySchema } from './mentors';
import { integerParamSchema } from './scalars';

export const MAX_RECOMMENDATIONS = 12;
export const DEFAULT_RECOMMENDATIONS = 6;

export const recommendationsQuerySchema = z.strictObject({
  limit: integerParamSchema(1, MAX_RECOMMENDATIONS)
    .default(DEFAULT_RECOMMENDATIONS)
    .describe('How many mentors, and how many courses, at most.'),
});

export const recommendedMentorSchema = z
  .object({ mentor: mentorSummarySchema, reason: z.string() })
  .meta({ id: 'RecommendedMentor' });

export const recommendedCourseSchema = z
  .object({ course: courseSummarySchema, reason: z.string() })
  .meta({ id: 'RecommendedCourse' });

/** Mentors and courses for the signed-in user, best first, each with why it was picked. */
export const recommendationsSchema = z
  .object({
    mentors: z.array(recommendedMentorSchema),
    courses: z.array(recommendedCourseSchema),
  })
  .meta({ id: 'Recommendations' });

export type RecommendationsQuery = z.infer<typeof recommendationsQuerySchema>;
export type RecommendedMentor = z.infer<typeof recommendedMentorSchema>;
export type RecommendedCourse = z.infer<typeof recommendedCourseSchema>;
export type Recommendations = z.infer<typeof recommendationsSchema>;
