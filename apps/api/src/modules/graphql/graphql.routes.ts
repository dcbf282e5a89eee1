import {
  graphqlRequestSchema,
  graphqlResponseSchema,
  type ErrorDetail,
  type GraphqlError,
} from '@mentorhub/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { GraphQLError, type DocumentNode } from 'graphql';
import mercurius from 'mercurius';
import { noStore } from '../../infra/auth/session';
import { isDatabaseUnavailable } from '../../infra/db/pg-errors';
import { AppError, RateLimitedError } from '../../infra/errors/app-error';
import { errorResponses } from '../../infra/http/error-responses';
import { readContextOf } from '../../infra/http/expensive-reads';
import { CostBudget } from './graphql.budget';
import { queryCost, STATEMENT_FIELD_COST } from './graphql.cost';
import { bookingContextOf } from '../bookings/booking-context';
import { graphqlResolvers, type GraphqlContext } from './graphql.resolvers';
import { graphqlSchema } from './graphql.schema';
import { sessionOptional } from '../../infra/auth/session-security';

/** Deep enough for a mentor's reviews' authors' avatar sources; a deeper query is refused before it runs. */
const MAX_QUERY_DEPTH = 8;

/**
 * Whether a document came from GraphQL's parser: its root carries a Location, an instance of a class, which
 * JSON.parse cannot make (it makes plain objects only).
 */
function isParsedDocument(document: DocumentNode | null): boolean {
  return document?.loc !== undefined && Object.getPrototypeOf(document.loc) !== Object.prototype;
}

/** What mercurius throws for a query that cannot run (syntax, unknown fields, depth): its GraphQL errors. */
function graphqlErrorsOf(error: unknown): readonly GraphQLError[] | null {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return (error as { statusCode?: number } | null)?.statusCode === 400 && Array.isArray(errors)
    ? (errors as GraphQLError[])
    : null;
}

/** A query that cannot run, as a 400 whose details say where: in the query text or in the variables. */
function invalidQuery(errors: readonly GraphQLError[]): AppError {
  const details: ErrorDetail[] = errors.map((error) => {
    const at = error.locations?.[0];
    return {
      path: error.message.startsWith('Variable "') ? 'body.variables' : 'body.query',
      message: at ? `${error.message} (line ${at.line}, column ${at.column})` : error.message,
    };
  });
  return new AppError('VALIDATION_FAILED', 'The GraphQL query is invalid', details);
}

/** A failed field as the response reports it: the API's error code, and never an internal message. */
function toGraphqlError(error: GraphQLError, log: FastifyBaseLogger): GraphqlError {
  const where = {
    ...(error.path && { path: [...error.path] }),
    ...(error.locations && { locations: error.locations.map(({ line, column }) => ({ line, column })) }),
  };
  const cause = error.originalError;
  if (cause instanceof AppError) {
    return { message: cause.message, ...where, extensions: { code: cause.code, details: cause.details } };
  }
  if (!cause) {
    // Raised by GraphQL itself while running the query, e.g. a variable of the wrong type.
    return { message: error.message, ...where, extensions: { code: 'VALIDATION_FAILED', details: [] } };
  }
  log.error({ err: cause, path: error.path }, 'Unhandled error in a GraphQL resolver');
  return {
    message: 'Something went wrong on our side; it has been logged.',
    ...where,
    extensions: { code: 'INTERNAL', details: [] },
  };
}

export const graphqlRoutes: FastifyPluginAsyncZod = async (app) => {
  const bookings = bookingContextOf(app);
  // Routes off: the one endpoint is ours, so it validates, documents and answers errors like every other route.
  await app.register(mercurius, {
    schema: graphqlSchema,
    resolvers: graphqlResolvers,
    routes: false,
    graphiql: false,
    queryDepth: MAX_QUERY_DEPTH,
    // A query seen before runs compiled (graphql-jit): +45 % req/s for a mentor page's query, measured.
    jit: 1,
    // Errors reach the route as GraphQL made them (with the thrown error), and it formats them.
    errorFormatter: (execution) => ({ statusCode: 200, response: execution }),
  });
  // Text that does not parse as GraphQL is read by mercurius as a JSON syntax tree: "123" or "[]" would reach
  // validation as a number or an array, and a crafted tree would skip the parser's limits. Only a document
  // GraphQL's parser made goes on; this runs before validation, once per distinct query text.
  app.graphql.addHook('preValidation', (_schema, document: DocumentNode | null) => {
    if (!isParsedDocument(document)) {
      throw new AppError('VALIDATION_FAILED', 'The GraphQL query is invalid', [
        { path: 'body.query', message: 'must be a GraphQL document' },
      ]);
    }
  });

  const { GRAPHQL_MAX_QUERY_COST: maxQueryCost, GRAPHQL_COST_PER_MINUTE: costPerMinute } = app.config;
  const budget = new CostBudget(app.rateLimiter, costPerMinute, app.clock);
  // After parsing and validation, before any resolver: a query that costs too much, or a client known to have
  // spent its budget, runs no statement at all.
  app.graphql.addHook('preExecution', (schema, document, context, variables) => {
    let cost: number;
    try {
      cost = queryCost(schema, document, variables, context.operationName);
    } catch (error) {
      if (error instanceof GraphQLError) throw invalidQuery([error]);
      throw error;
    }
    if (cost > maxQueryCost) {
      throw new AppError('QUERY_TOO_COSTLY', 'The GraphQL query costs more than one query may', [
        { path: 'body.query', message: `costs ${cost}, at most ${maxQueryCost}` },
      ]);
    }
    budget.refuseIfSpent(context.clientAddress);
    context.queryCost = cost;
  });

  app.post(
    '/api/graphql',
    {
      schema: {
        tags: ['graphql'],
        operationId: 'graphql',
        security: sessionOptional,
        summary:
          'Query mentors, courses, reviews, expertise and, signed in, your own data with GraphQL (read-only)',
        description: `The schema is in docs/api.md. Queries deeper than ${MAX_QUERY_DEPTH} levels, or that do not parse or validate, are refused with 400 before they run. So is a query that costs more than ${maxQueryCost} (QUERY_TOO_COSTLY): a field that calls a service (each root field, \`me\`'s lists, a mentor's reviews and courses) weighs ${STATEMENT_FIELD_COST}, any other field 1, and a list's selection counts once per item its \`first\` asks for; aliases count as fields. Each client may spend ${costPerMinute} a minute on queries that reach the database; a query answered wholly from the cache costs nothing. The query that spends the budget is still answered, and the client's next queries are refused with 429 and Retry-After until its minute ends. A query that ran answers 200 with \`data\`, and \`errors\` (each with the API's error code in \`extensions.code\`) for the fields that failed. Answers come from the same cache as the REST endpoints.`,
        body: graphqlRequestSchema,
        response: { 200: graphqlResponseSchema, ...errorResponses(400, 403, 429) },
      },
    },
    async (request, reply) => {
      const { query, variables, operationName } = request.body;
      // Answers may hold the signed-in user's own data: kept by no cache.
      noStore(reply);
      const context: GraphqlContext = {
        ...readContextOf(request),
        bookings,
        principal: () => request.principal(),
        clientAddress: request.ip,
        operationName: operationName ?? undefined,
        queryCost: 0,
      };
      const statementsBefore = request.queryLog.count;
      let result;
      try {
        result = await reply.graphql(query, context, variables ?? undefined, operationName ?? undefined);
      } catch (error) {
        const refused = graphqlErrorsOf(error);
        throw refused ? invalidQuery(refused) : error;
      }
      // Only a query that reached the database spends its client's budget.
      if (request.queryLog.count > statementsBefore)
        await budget.charge(context.clientAddress, context.queryCost);
      // No data and no resolver ran: the request itself was wrong (an operation type the schema lacks, a
      // variable of the wrong type), which is a 400 like any other invalid request.
      if (result.data == null && result.errors?.every((error) => !error.originalError)) {
        throw invalidQuery(result.errors);
      }
      // A database outage fails the whole answer with 503 (retry later), not some fields with INTERNAL; a field
      // refused by the client's expensive-read budget fails it with 429 and Retry-After, like the REST endpoint.
      const causes = result.errors?.map((error) => error.originalError);
      const refusal =
        causes?.find(isDatabaseUnavailable) ?? causes?.find((cause) => cause instanceof RateLimitedError);
      if (refusal) throw refusal;
      return {
        data: (result.data as Record<string, unknown> | null | undefined) ?? null,
        ...(result.errors && { errors: result.errors.map((error) => toGraphqlError(error, request.log)) }),
      };
    },
  );
};
