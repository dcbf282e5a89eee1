import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { graphqlBodies } from './graphql-queries';
import type { JsonSchema, Operation, Parameter } from './operations';
import { brokenObject, hostileJson, hostileText, validValue } from './values';

/** A query parameter as sent: a value, several (the key repeated), or the key alone without `=`. */
type QueryValue = string | string[] | { keyOnly: true };

/** One generated request, with its inputs kept apart for the schema check. */
export interface FuzzInput {
  path: Record<string, string>;
  query: [string, QueryValue][];
  headers: Record<string, string>;
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; text: string | Buffer; contentType: string };
}

/** The ids of real objects, so generated requests reach rows and not only 404s. */
export interface Hints {
  ids: number[];
}

function wtf8Encode(text: string): string {
  // encodeURIComponent throws on a lone surrogate; a hostile client sends its bytes anyway.
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const isLone =
      unit >= 0xd800 &&
      unit <= 0xdfff &&
      !(unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) &&
      !(unit >= 0xdc00 && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800);
    if (isLone) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      const pair = unit >= 0xd800 && unit <= 0xdbff ? text.slice(i, i + 2) : text.charAt(i);
      out += encodeURIComponent(pair);
      i += pair.length - 1;
    }
  }
  return out;
}

export function urlOf(operation: Operation, input: FuzzInput): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => wtf8Encode(input.path[name] ?? ''));
  const pairs = input.query.flatMap(([name, value]) => {
    const key = wtf8Encode(name);
    if (typeof value === 'string') return [`${key}=${wtf8Encode(value)}`];
    if (Array.isArray(value)) return value.map((item) => `${key}=${wtf8Encode(item)}`);
    return [key];
  });
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}

/** Header values a client can put on the wire at all (no line breaks, Latin-1). */
const isHeaderValue = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

function textFor(parameter: Parameter, hints: Hints): fc.Arbitrary<string> {
  const idHints = [fc.constantFrom(...hints.ids.map(String))];
  const valid = validValue(parameter.schema, idHints).map((value) => String(value));
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 2, arbitrary: hostileText });
}

function queryArbitrary(parameters: Parameter[], hints: Hints): fc.Arbitrary<[string, QueryValue][]> {
  const pairs = (values: fc.Arbitrary<QueryValue | undefined>[]) =>
    fc
      .tuple(...values)
      .map((given) =>
        given.flatMap((value, i): [string, QueryValue][] =>
          value === undefined ? [] : [[parameters[i]?.name ?? '', value]],
        ),
      );
  // Mostly well-formed query strings (so requests get past validation), the rest with hostile values.
  const wellFormed = pairs(
    parameters.map((parameter) =>
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: validValue(parameter.schema, [fc.constantFrom(...hints.ids.map(String))]).map(String),
        },
      ),
    ),
  );
  const hostile = pairs(
    parameters.map((parameter) =>
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: textFor(parameter, hints) },
        { weight: 1, arbitrary: fc.array(textFor(parameter, hints), { minLength: 2, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.constant({ keyOnly: true as const }) },
      ),
    ),
  );
  const extra = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('__proto__', 'constructor', 'extra', 'toString', 'limit[]'),
        hostileText,
      ),
    },
  );
  return fc
    .tuple(fc.oneof(wellFormed, hostile), extra)
    .map(([given, more]): [string, QueryValue][] => [...given, ...(more ? [more] : [])]);
}

const rawBodies = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '"text"',
    '{"__proto__":{"admin":true}}',
    '{"a":1,"a":2}',
    'not json',
  ),
  fc.string({ unit: 'binary', maxLength: 50 }),
);

function bodyArbitrary(operation: Operation, hints: Hints): fc.Arbitrary<FuzzInput['body']> {
  const none = fc.constant({ kind: 'none' as const });
  const raw = (contentTypes: string[]) =>
    fc
      .tuple(rawBodies, fc.constantFrom(...contentTypes))
      .map(([text, contentType]) => ({ kind: 'raw' as const, text, contentType }));
  const wrongTypes = [
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
  ];
  const json = (value: fc.Arbitrary<unknown>) => value.map((v) => ({ kind: 'json' as const, value: v }));
  const schema = operation.jsonBody;
  if (schema) {
    const idHints = [fc.constantFrom(...hints.ids)];
    const special =
      operation.path === '/api/graphql' ? [{ weight: 6, arbitrary: json(graphqlBodies()) }] : [];
    return fc.oneof(
      ...special,
      { weight: 3, arbitrary: json(validValue(schema, idHints)) },
      { weight: 3, arbitrary: json(schema.properties ? brokenObject(schema, idHints) : hostileJson) },
      { weight: 1, arbitrary: json(hostileJson) },
      { weight: 1, arbitrary: raw(wrongTypes) },
      { weight: 1, arbitrary: none },
    );
  }
  if (operation.otherBodyTypes.length > 0) {
    const bytes = fc
      .tuple(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(...operation.otherBodyTypes, 'application/json'),
      )
      .map(([data, contentType]) => ({ kind: 'raw' as const, text: Buffer.from(data), contentType }));
    return fc.oneof(bytes, none);
  }
  return fc.oneof({ weight: 4, arbitrary: none }, { weight: 1, arbitrary: raw(wrongTypes) });
}

/** Requests for one operation: valid and invalid paths, query strings, headers and bodies. */
export function requestArbitrary(operation: Operation, hints: Hints): fc.Arbitrary<FuzzInput> {
  const byPlace = (place: Parameter['in']) =>
    operation.parameters.filter((parameter) => parameter.in === place);
  // An empty segment would name another route (`/api/mentors/` is the list), not this one with a bad id.
  const path = fc.record(
    Object.fromEntries(byPlace('path').map((p) => [p.name, textFor(p, hints).filter((text) => text !== '')])),
  );
  const headers = fc.tuple(
    ...byPlace('header').map((parameter) =>
      fc
        .option(textFor(parameter, hints).filter(isHeaderValue), { freq: 2 })
        .map((value) => [parameter.name, value] as const),
    ),
    fc.constant(null),
  );
  return fc
    .tuple(path, queryArbitrary(byPlace('query'), hints), headers, bodyArbitrary(operation, hints))
    .map(([pathValues, query, headerPairs, body]) => ({
      path: pathValues,
      query,
      headers: Object.fromEntries(
        headerPairs.filter((pair): pair is readonly [string, string] => pair !== null && pair[1] !== null),
      ),
      body,
    }));
}

/** Whether a request's inputs conform to the operation's documented schemas. */
export class DocumentedSchemas {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allowUnionTypes: true });
  private readonly compiled = new Map<JsonSchema, ValidateFunction>();

  private check(schema: JsonSchema, value: unknown): boolean {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate(value);
  }

  /** Whether the documented schema accepts the request. */
  accepts(operation: Operation, input: FuzzInput): boolean {
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path' && !this.check(parameter.schema, input.path[parameter.name] ?? ''))
        return false;
      if (parameter.in === 'header') {
        const value = input.headers[parameter.name];
        if (value === undefined ? parameter.required : !this.check(parameter.schema, value)) return false;
      }
    }
    const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
    if (queryParameters.length > 0) {
      const given = new Map<string, QueryValue[]>();
      for (const [name, value] of input.query) given.set(name, [...(given.get(name) ?? []), value]);
      for (const name of given.keys())
        if (!queryParameters.some((parameter) => parameter.name === name)) return false;
      for (const parameter of queryParameters) {
        const values = given.get(parameter.name);
        if (!values) {
          if (parameter.required) return false;
          continue;
        }
        const [value] = values;
        if (values.length > 1 || Array.isArray(value)) return false;
        if (!this.check(parameter.schema, typeof value === 'string' ? value : '')) return false;
      }
    }
    if (operation.jsonBody) {
      if (input.body.kind === 'none') return !operation.bodyRequired;
      if (input.body.kind === 'raw') {
        if (!input.body.contentType.startsWith('application/json')) return false;
        try {
          return this.check(operation.jsonBody, JSON.parse(input.body.text.toString()));
        } catch {
          return false;
        }
      }
      return this.check(operation.jsonBody, input.body.value);
    }
    return true;
  }
}
