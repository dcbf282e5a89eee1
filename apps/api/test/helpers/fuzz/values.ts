import fc from 'fast-check';
import type { JsonSchema } from './operations';

/** Strings that have broken parsers before, or should: empty, blank, control characters, lone surrogates,
 * numbers in other notations, dates that are not dates, timestamps where dates go, huge and prototype keys. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202e\u200b',
  '😀',
  '\n\r\t',
  '0',
  '-1',
  '+5',
  ' 1 ',
  '1e3',
  '1e0',
  '0x10',
  '1.5',
  '.5',
  'NaN',
  'Infinity',
  '2147483647',
  '2147483648',
  '99999999999999999999999',
  'true',
  'null',
  '[]',
  '{}',
  '2026-13-01',
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '2026-01-01T00:00:00Z',
  '2026-01-01T25:00:00+99:00',
  'abc',
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%',
  'x'.repeat(10_001),
];

export const hostileNumbers = [
  0,
  -1,
  -0,
  1.5,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  5e-324,
];

/** Any hostile value a JSON field can hold, scalars and containers alike. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom(true, false, null, [], [1], ['a'], {}, { __proto__: null, x: 1 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

/**
 * Opaque tokens (keyset cursors) as a client could forge them: base64url JSON of a sort name, a sort value and
 * an id, each possibly hostile, so the decoding behind the opaque text is tried as well as the text itself.
 */
const forgedTokens: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('newest', 'rating', 'price', 'price_desc', 'popular', 'starts'),
    fc.constantFrom(...hostileStrings, ...hostileNumbers, '2026-01-01T00:00:00.000Z', '4.50'),
    fc.constantFrom(1, 2, 2_147_483_648, 1e300, 0, 1.5),
  )
  .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url'));

/** The pattern of an opaque base64url token (a keyset cursor) in the document. */
const TOKEN_PATTERN = '^[A-Za-z0-9_-]+$';

/** A text value for the query string or the path: mostly hostile strings, sometimes random or forged ones. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^-?\d{1,25}$/) },
  { weight: 1, arbitrary: forgedTokens },
);

function patternOf(schema: JsonSchema): RegExp | undefined {
  return schema.pattern === undefined ? undefined : new RegExp(schema.pattern, 'u');
}

function stringWithin(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, minLength + 40);
  const pattern = patternOf(schema);
  const lengthOk = (value: string) =>
    value.length >= minLength && value.length <= (schema.maxLength ?? Infinity);
  if (pattern) {
    try {
      return fc.stringMatching(pattern).filter(lengthOk);
    } catch {
      // fast-check reads a subset of regular expression syntax (no \p{…}): draw and keep what matches.
      return fc.string({ minLength, maxLength }).filter((value) => pattern.test(value));
    }
  }
  return fc.string({ minLength, maxLength });
}

function dateText(kind: 'date' | 'date-time'): fc.Arbitrary<string> {
  const dates = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  return kind === 'date'
    ? dates.map((date) => date.toISOString().slice(0, 10))
    : dates.map((date) => `${date.toISOString().slice(0, 13)}:00:00.000Z`);
}

/**
 * Values the schema accepts, as far as a generator can tell (bounds, patterns, enums, required fields); the
 * server may still refuse some for rules a schema cannot say, and that is fine.
 */
export function validValue(schema: JsonSchema, hints: fc.Arbitrary<unknown>[] = []): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => validValue(alternative, hints)));
  if (schema.allOf?.[0]) return validValue(schema.allOf[0], hints);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const base = validOfType(schema, hints);
  return schema.nullable
    ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) })
    : base;
}

function validOfType(schema: JsonSchema, hints: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date' || schema.format === 'date-time') return dateText(schema.format);
      // A forged token matches the pattern and reaches the decoding behind it.
      if (schema.pattern === TOKEN_PATTERN) {
        return fc.oneof(
          { weight: 3, arbitrary: forgedTokens },
          { weight: 1, arbitrary: stringWithin(schema) },
        );
      }
      // Integers as text: the ids of real rows and small numbers reach past the bounds; long ones test them.
      return schema.pattern === '^\\d{1,10}$'
        ? fc.oneof(...(hints as fc.Arbitrary<string>[]), fc.nat(120).map(String), stringWithin(schema))
        : stringWithin(schema);
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      const step = schema.multipleOf ?? 1;
      const ints = fc
        .integer({ min: Math.ceil(min / step), max: Math.floor(max / step) })
        .map((n) => n * step);
      const numeric =
        hints.length > 0 && min >= 1 ? fc.oneof(...(hints as fc.Arbitrary<number>[]), ints) : ints;
      return type === 'integer' ? numeric : fc.oneof(numeric, fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(schema.items ?? {}, hints), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, (schema.minItems ?? 0) + 3),
      });
    case 'object':
      return validObject(schema, hints);
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 1 });
  }
}

function validObject(
  schema: JsonSchema,
  hints: fc.Arbitrary<unknown>[],
): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, child]) => [name, validValue(child, hints)]),
  );
  return fc.record(model, { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) });
}

/** A valid object with one thing wrong: a field of the wrong kind, a required one missing, an extra one. */
export function brokenObject(schema: JsonSchema, hints: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> {
  const names = Object.keys(schema.properties ?? {});
  const valid = validObject(schema, hints);
  const wrongField =
    names.length > 0
      ? fc
          .tuple(valid, fc.constantFrom(...names), hostileJson)
          .map(([object, name, value]) => ({ ...object, [name]: value }))
      : valid;
  const missingField =
    names.length > 0
      ? fc.tuple(valid, fc.constantFrom(...names)).map(([object, name]) => {
          const copy = { ...object };
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- the point is a field gone
          delete copy[name];
          return copy;
        })
      : valid;
  const extraField = fc
    .tuple(valid, fc.constantFrom('extra', 'id', 'role', 'userId', 'constructor', 'prototype'), hostileJson)
    .map(([object, name, value]) => ({ ...object, [name]: value }));
  const scalarForArray = fc
    .tuple(valid, fc.constantFrom(...(names.length ? names : ['x'])))
    .map(([object, name]) => ({ ...object, [name]: [object[name] ?? 1] }));
  return fc.oneof(wrongField, missingField, extraField, scalarForArray);
}
