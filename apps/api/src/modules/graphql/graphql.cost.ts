import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** What a field that calls a service weighs: it may run a statement, which is what the cost limit bounds. */
export const STATEMENT_FIELD_COST = 100;

/** The fields whose resolvers call a service; every other field reads what its parent already returned. */
const statementFields = new Set([
  'Query.mentors',
  'Query.mentor',
  'Query.expertise',
  'Query.courses',
  'Query.course',
  'Query.me',
  'Me.bookings',
  'Me.enrollments',
  'Me.recommendations',
  'Me.notifications',
  'Me.conversations',
  'Mentor.reviews',
  'Mentor.courses',
]);

/**
 * A field weighs 1, or STATEMENT_FIELD_COST if it calls a service, plus its selection once per item it may
 * return (a page's `first`, recommendations' `limit`). Aliases are fields of their own, so each one counts.
 */
const fieldCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const own = statementFields.has(`${type.name}.${field.name}`) ? STATEMENT_FIELD_COST : 1;
  const size: unknown = args.first ?? args.limit;
  const items = typeof size === 'number' ? Math.max(1, size) : 1;
  return own + items * childComplexity;
};

/** The cost of the operation a request runs; throws a GraphQLError for variables that do not fit the query. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  return getComplexity({
    schema,
    query: document,
    estimators: [fieldCost],
    ...(variables && { variables }),
    ...(operationName && { operationName }),
  });
}
