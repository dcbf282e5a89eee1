import type { Database } from '@mentorhub/db';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/** Where each parameter of a compiled statement comes from: an argument of the call, or a value fixed at build. */
type ParameterSource = { argument: string } | { fixed: unknown };

interface Template {
  sql: string;
  parameters: ParameterSource[];
}

/**
 * A hot read whose SQL text is built once per shape and then only sent with new parameters: building and compiling
 * a Kysely query tree (for a statement that serializes its answer in SQL, a large one) is most of the CPU a cache
 * miss costs the API.
 *
 * The call's `arguments` are the values that reach the statement as parameters of their own; every other field of
 * the input shapes the text (a sort, a page size) and is part of the template's key, as is which arguments are
 * given. `build` makes the template with a marker in place of each given argument, so an argument must never
 * shape the text or be computed on: a marker that does not come out as a parameter is refused when the template is
 * made. The text is the builder's, so statement counts, the query log and the pool's statement names see no
 * difference. It is not a protocol-level prepared statement, which a transaction pooler (PgBouncer) cannot keep.
 */
export interface CompiledOnce<Input, Row> {
  /** The statement for `input`, as the builder would have compiled it. */
  compile(db: Kysely<Database>, input: Input): CompiledQuery<Row>;
  execute(db: Kysely<Database>, input: Input): Promise<Row[]>;
}

export function compiledOnce<Input extends Record<string, unknown>, Row>(
  argumentNames: readonly (keyof Input & string)[],
  build: (db: Kysely<Database>, input: Input) => Compilable<Row>,
): CompiledOnce<Input, Row> {
  // Per database handle, since the text is its dialect's (every handle of the app speaks PostgreSQL's).
  const templates = new WeakMap<Kysely<Database>, Map<string, Template>>();

  const templateFor = (db: Kysely<Database>, input: Input): Template => {
    let byShape = templates.get(db);
    if (!byShape) templates.set(db, (byShape = new Map<string, Template>()));
    const shape = shapeOf(input, argumentNames);
    let template = byShape.get(shape);
    if (!template) {
      template = makeTemplate(db, input, argumentNames, build);
      byShape.set(shape, template);
    }
    return template;
  };

  const compile = (db: Kysely<Database>, input: Input): CompiledQuery<Row> => {
    const { sql, parameters } = templateFor(db, input);
    return CompiledQuery.raw(
      sql,
      parameters.map((source) => ('argument' in source ? input[source.argument] : source.fixed)),
    );
  };

  return {
    compile,
    execute: async (db, input) => (await db.executeQuery(compile(db, input))).rows,
  };
}

/** What decides the text: every field that is not an argument, and which arguments are given. */
function shapeOf(input: Record<string, unknown>, argumentNames: readonly string[]): string {
  return JSON.stringify(
    Object.entries(input).map(([name, value]) =>
      argumentNames.includes(name) ? [name, value !== undefined] : [name, value],
    ),
  );
}

function makeTemplate<Input extends Record<string, unknown>, Row>(
  db: Kysely<Database>,
  input: Input,
  argumentNames: readonly string[],
  build: (db: Kysely<Database>, input: Input) => Compilable<Row>,
): Template {
  const given = argumentNames.filter((name) => input[name] !== undefined);
  const markers = new Map(given.map((name) => [{ argument: name }, name] as const));
  const marked = { ...input };
  for (const [marker, name] of markers) Object.assign(marked, { [name]: marker });
  const compiled = build(db, marked).compile();
  const parameters = compiled.parameters.map((value): ParameterSource => {
    const name = markers.get(value as { argument: string });
    return name === undefined ? { fixed: value } : { argument: name };
  });
  const passed = new Set(parameters.flatMap((source) => ('argument' in source ? [source.argument] : [])));
  const lost = given.filter((name) => !passed.has(name));
  if (lost.length > 0)
    throw new Error(`compiledOnce: ${lost.join(', ')} must reach the statement as parameters, unchanged`);
  return { sql: compiled.sql, parameters };
}
