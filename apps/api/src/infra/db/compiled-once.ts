import type { Database } from '@mentorhub/db';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/** An argument of the call, or one item of an argument that is a list. */
interface ArgumentSource {
  argument: string;
  item?: number;
}

/** Where each parameter of a compiled statement comes from: an argument of the call, or a value fixed at build. */
type ParameterSource = ArgumentSource | { fixed: unknown };

interface Template {
  sql: string;
  parameters: ParameterSource[];
}

/**
 * Templates kept per statement and database handle. The request schemas bound the shapes, but their product (every
 * sort, page size and set of filters) is far more than requests ever use; past the cap a shape's template is made
 * for its call and not kept, so no sequence of requests makes the memory grow.
 */
export const MAX_TEMPLATES = 200;

/**
 * A hot read whose SQL text is built once per shape and then only sent with new parameters: building and compiling
 * a Kysely query tree (for a statement that serializes its answer in SQL, a large one) is most of the CPU a cache
 * miss costs the API.
 *
 * The call's `arguments` are the values that reach the statement as parameters of their own; a list argument (such
 * as a filter's slugs) reaches it as one parameter per item. Every other field of the input shapes the text (a
 * sort, a page size) and is part of the template's key, as is which arguments are given and how many items each
 * list has. `build` makes the template with a marker in place of each given argument (or item), so an argument must
 * never shape the text or be computed on: a marker that does not come out as a parameter is refused when the
 * template is made. The text is the builder's, so statement counts, the query log and the pool's statement names
 * see no difference. It is not a protocol-level prepared statement, which a transaction pooler (PgBouncer) cannot
 * keep.
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
      if (byShape.size < MAX_TEMPLATES) byShape.set(shape, template);
    }
    return template;
  };

  const compile = (db: Kysely<Database>, input: Input): CompiledQuery<Row> => {
    const { sql, parameters } = templateFor(db, input);
    return CompiledQuery.raw(
      sql,
      parameters.map((source) => ('argument' in source ? argumentValue(input, source) : source.fixed)),
    );
  };

  return {
    compile,
    execute: async (db, input) => (await db.executeQuery(compile(db, input))).rows,
  };
}

function argumentValue(input: Record<string, unknown>, { argument, item }: ArgumentSource): unknown {
  const value = input[argument];
  return item === undefined ? value : (value as readonly unknown[])[item];
}

/** What decides the text: every field that is not an argument, which arguments are given, and each list's length. */
function shapeOf(input: Record<string, unknown>, argumentNames: readonly string[]): string {
  return JSON.stringify(
    Object.entries(input).map(([name, value]) => {
      if (!argumentNames.includes(name)) return [name, value];
      return [name, Array.isArray(value) ? value.length : value !== undefined];
    }),
  );
}

function makeTemplate<Input extends Record<string, unknown>, Row>(
  db: Kysely<Database>,
  input: Input,
  argumentNames: readonly string[],
  build: (db: Kysely<Database>, input: Input) => Compilable<Row>,
): Template {
  // Each marker is the source it stands for, told apart from any value by its identity.
  const markers = new Set<ArgumentSource>();
  const mark = (source: ArgumentSource): ArgumentSource => {
    markers.add(source);
    return source;
  };
  const marked: Record<string, unknown> = { ...input };
  for (const argument of argumentNames) {
    const value = input[argument];
    if (Array.isArray(value)) marked[argument] = value.map((_, item) => mark({ argument, item }));
    else if (value !== undefined) marked[argument] = mark({ argument });
  }
  const compiled = build(db, marked as Input).compile();
  const parameters = compiled.parameters.map((value): ParameterSource =>
    markers.has(value as ArgumentSource) ? (value as ArgumentSource) : { fixed: value },
  );
  const lost = [...markers].filter((marker) => !parameters.includes(marker));
  if (lost.length > 0) {
    const names = lost.map(({ argument, item }) => (item === undefined ? argument : `${argument}[${item}]`));
    throw new Error(`compiledOnce: ${names.join(', ')} must reach the statement as parameters, unchanged`);
  }
  return { sql: compiled.sql, parameters };
}
