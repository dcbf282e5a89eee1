import { z } from 'zod';
import { cursorSchema, limitSchema, pageSchema } from './common';
import { multiLine } from './text';
import { userSummarySchema } from './users';

export const reviewCreateBodySchema = z
  .strictObject({
    rating: z.number().int().min(1).max(5),
    body: multiLine(4000).default(''),
  })
  .meta({ id: 'ReviewCreate' });

export const reviewSchema = z
  .object({
    id: z.number().int(),
    bookingId: z.number().int(),
    rating: z.number().int(),
    body: z.string(),
    author: userSummarySchema,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Review' });

export const reviewListQuerySchema = z.strictObject({ cursor: cursorSchema.optional(), limit: limitSchema });
export const reviewPageSchema = pageSchema(reviewSchema).meta({ id: 'ReviewPage' });

export type ReviewCreateBody = z.infer<typeof reviewCreateBodySchema>;
export type Review = z.infer<typeof reviewSchema>;
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;
