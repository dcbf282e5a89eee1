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

/**
 * Costs computed so far, per parsed document (mercurius keeps one per distinct query text, so a query sent again
 * arrives as the same object) and variables: a document's cost is the same whenever its variables are. Only short
 * variables are remembered, and all are forgotten together past a bound, so no client can grow it without end.
 */
let costsByDocument = new WeakMap<DocumentNode, Map<string, number>>();
const MAX_REMEMBERED_COSTS = 10_000;
const MAX_REMEMBERED_KEY_LENGTH = 256;
let rememberedCosts = 0;

function computeCost(
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

/** The cost of the operation a request runs; throws a GraphQLError for variables that do not fit the query. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  const key = JSON.stringify([operationName ?? null, variables ?? null]);
  let costs = costsByDocument.get(document);
  const known = costs?.get(key);
  if (known !== undefined) return known;
  const cost = computeCost(schema, document, variables, operationName);
  if (key.length <= MAX_REMEMBERED_KEY_LENGTH) {
    if (rememberedCosts >= MAX_REMEMBERED_COSTS) {
      costsByDocument = new WeakMap();
      rememberedCosts = 0;
      costs = undefined;
    }
    if (!costs) costsByDocument.set(document, (costs = new Map<string, number>()));
    costs.set(key, cost);
    rememberedCosts += 1;
  }
  return cost;
}
