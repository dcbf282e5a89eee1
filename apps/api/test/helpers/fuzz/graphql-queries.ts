import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
} from 'graphql';
import { graphqlSchema } from '../../../src/modules/graphql/graphql.schema';
import { hostileJson, hostileStrings } from './values';

/** A GraphQL literal for an argument of this type: usually of the right kind, sometimes hostile. */
function argumentLiteral(type: GraphQLInputType): fc.Arbitrary<string> {
  const named = getNamedType(type);
  const list = isListType(isNonNullType(type) ? type.ofType : type);
  let scalar: fc.Arbitrary<string>;
  if (isEnumType(named)) scalar = fc.constantFrom(...named.getValues().map((value) => value.name));
  else if (named.name === 'Int') scalar = fc.constantFrom('1', '0', '-1', '20', '2147483647', '100', '101');
  else if (named.name === 'Float') scalar = fc.constantFrom('4.5', '0', '5.1', '-1');
  else if (named.name === 'Boolean') scalar = fc.constantFrom('true', 'false');
  else
    scalar = fc.constantFrom(...hostileStrings.slice(0, 30), 'a', 'go').map((text) => JSON.stringify(text));
  const value = list ? fc.array(scalar, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`) : scalar;
  return fc.oneof(
    { weight: 4, arbitrary: value },
    { weight: 1, arbitrary: fc.constantFrom('null', '"x"', '1e999', '{a: 1}') },
  );
}

/** Up to three scalar fields of an object type, nested one level for objects that have no scalars. */
function selection(type: GraphQLNamedType, depth: number): string {
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields());
  const scalars = fields.filter(
    (field) => isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)),
  );
  const nested =
    depth > 0 ? fields.filter((field) => isObjectType(getNamedType(field.type))).slice(0, 2) : [];
  const parts = [
    '__typename',
    ...scalars.slice(0, 3).map((field) => field.name),
    ...nested
      .filter((field) => field.args.every((arg) => !isNonNullType(arg.type)))
      .map((field) => `${field.name} { ${selection(getNamedType(field.type), depth - 1)} }`),
  ];
  return parts.join(' ');
}

function fieldQuery(field: GraphQLField<unknown, unknown>): fc.Arbitrary<string> {
  const args = field.args.map((arg) =>
    fc
      .option(argumentLiteral(arg.type), { nil: undefined, freq: isNonNullType(arg.type) ? 10 : 2 })
      .map((literal) => (literal === undefined ? '' : `${arg.name}: ${literal}`)),
  );
  const body = selection(getNamedType(field.type), 2);
  return fc.tuple(...args, fc.constant(null)).map((parts) => {
    const given = parts.filter((part): part is string => typeof part === 'string' && part !== '');
    return `{ ${field.name}${given.length ? `(${given.join(', ')})` : ''}${body ? ` { ${body} }` : ''} }`;
  });
}

/** `POST /api/graphql` bodies: queries over every root field with generated arguments, and broken ones. */
export function graphqlBodies(): fc.Arbitrary<unknown> {
  const schema = buildSchema(graphqlSchema);
  const root = schema.getQueryType();
  if (!root) throw new Error('the GraphQL schema has no Query type');
  const queries = fc.oneof(...Object.values(root.getFields()).map(fieldQuery));
  const broken = fc.oneof(
    fc.constantFrom(
      '123',
      'true',
      'null',
      '[]',
      '{}',
      '"x"',
      '{ nope }',
      'mutation { x }',
      '{'.repeat(50),
      '{ mentors { items { id } } } #',
    ),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  return fc.oneof(
    { weight: 4, arbitrary: queries.map((query) => ({ query })) },
    {
      weight: 1,
      arbitrary: fc.tuple(queries, hostileJson).map(([query, variables]) => ({ query, variables })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(queries, hostileJson).map(([query, operationName]) => ({ query, operationName })),
    },
    { weight: 3, arbitrary: broken.map((query) => ({ query })) },
  );
}
