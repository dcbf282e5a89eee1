import { z } from 'zod';
import { errorCodes, errorDetailSchema } from './errors';
import { singleLine } from './text';

/** `POST /api/graphql`: one query (GraphQL over HTTP, JSON body). */
export const graphqlRequestSchema = z
  .strictObject({
    query: z.string().min(1, { error: 'must not be empty' }).max(10_000, { error: 'is too long' }),
    variables: z.record(z.string(), z.unknown()).nullish(),
    operationName: singleLine(100).nullish(),
  })
  .meta({ id: 'GraphqlRequest' });

/** An error of a query that ran: where in the query it happened, and the API's error code and details. */
export const graphqlErrorSchema = z
  .object({
    message: z.string(),
    path: z.array(z.union([z.string(), z.number()])).optional(),
    locations: z.array(z.object({ line: z.number().int(), column: z.number().int() })).optional(),
    extensions: z.object({ code: z.enum(errorCodes), details: z.array(errorDetailSchema) }),
  })
  .meta({ id: 'GraphqlError' });

/** The result of a query that ran: `data`, and `errors` for the fields that failed (null in `data`). */
export const graphqlResponseSchema = z
  .object({
    data: z.record(z.string(), z.unknown()).nullable(),
    errors: z.array(graphqlErrorSchema).optional(),
  })
  .meta({ id: 'GraphqlResponse' });

export type GraphqlRequest = z.infer<typeof graphqlRequestSchema>;
export type GraphqlResponse = z.infer<typeof graphqlResponseSchema>;
export type GraphqlError = z.infer<typeof graphqlErrorSchema>;
