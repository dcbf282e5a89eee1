import {
  courseLevels,
  courseSorts,
  INT4_MAX,
  MAX_EXPERTISE_FILTERS,
  MAX_PAGE_SIZE,
  mentorSorts,
  RATING_RANGE,
} from '@mentorhub/contracts';
import type { Database } from '@mentorhub/db';
import fc from 'fast-check';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
  type QueryId,
  type RootOperationNode,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import * as availability from '../../modules/availability/availability.repository';
import * as courses from '../../modules/courses/courses.repository';
import * as mentors from '../../modules/mentors/mentors.repository';
import * as reviews from '../../modules/reviews/reviews.repository';
import * as users from '../../modules/users/users.repository';
import type { CursorKey } from '../pagination/cursor';
import { compiledOnce, MAX_TEMPLATES, type CompiledOnce } from './compiled-once';

/** A handle that compiles PostgreSQL's SQL without a server, counting the query trees it compiles. */
function compilingDatabase() {
  const counter = { trees: 0 };
  class CountingCompiler extends PostgresQueryCompiler {
    override compileQuery(node: RootOperationNode, queryId: QueryId) {
      counter.trees += 1;
      return super.compileQuery(node, queryId);
    }
  }
  const kysely = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (handle) => new PostgresIntrospector(handle),
      createQueryCompiler: () => new CountingCompiler(),
    },
  });
  return { db: kysely, counter };
}

const { db } = compilingDatabase();

function expectSameStatement<Input>(
  statement: CompiledOnce<Input, unknown>,
  input: Input,
  builder: Compilable,
  handle = db,
) {
  const built = builder.compile();
  const compiled = statement.compile(handle, input);
  expect(compiled.sql).toBe(built.sql);
  expect(compiled.parameters).toEqual(built.parameters);
}

/** A field given on every page of a shape, or on none. */
const givenOrNot = <T>(value: fc.Arbitrary<T>) =>
  fc.constantFrom<fc.Arbitrary<T | undefined>>(fc.constant(undefined), value);

/** A shape's fixed choice (a sort, a page size). */
const fixed = <T>(choice: fc.Arbitrary<T>) => choice.map((value) => fc.constant(value));

const cursorKey: fc.Arbitrary<CursorKey> = fc.tuple(
  fc.oneof(fc.string(), fc.nat()),
  fc.integer({ min: 1, max: INT4_MAX }),
);
const pageSize = fc.integer({ min: 1, max: MAX_PAGE_SIZE });
const cents = fc.nat();

/** The value arbitraries of one shape of the mentor list: its sort, size, filters and number of slugs. */
const mentorPageShape = fc.record({
  tsQuery: givenOrNot(fc.string()),
  expertise: fc
    .option(fc.integer({ min: 0, max: MAX_EXPERTISE_FILTERS }), { nil: undefined })
    .map((count) =>
      count === undefined
        ? fc.constant(undefined)
        : fc.array(fc.string(), { minLength: count, maxLength: count }),
    ),
  minPriceCents: givenOrNot(cents),
  maxPriceCents: givenOrNot(cents),
  minRating: givenOrNot(
    fc
      .double({ min: RATING_RANGE.min, max: RATING_RANGE.max, noNaN: true })
      .map((rating) => rating.toFixed(2)),
  ),
  language: givenOrNot(fc.string()),
  minResponseRate: givenOrNot(fc.integer({ min: 0, max: 100 })),
  sort: fixed(fc.constantFrom(...mentorSorts)),
  after: givenOrNot(cursorKey),
  limit: fixed(pageSize),
});

const coursePageShape = fc.record({
  tsQuery: givenOrNot(fc.string()),
  level: givenOrNot(fc.constantFrom(...courseLevels)),
  instructorId: givenOrNot(fc.integer({ min: 1, max: INT4_MAX })),
  minPriceCents: givenOrNot(cents),
  maxPriceCents: givenOrNot(cents),
  sort: fixed(fc.constantFrom(...courseSorts)),
  after: givenOrNot(cursorKey),
  limit: fixed(pageSize),
});

type FieldArbitraries<Page> = { [Field in keyof Page]: fc.Arbitrary<Page[Field]> };

/**
 * Two pages of one shape, each with values of its own, and a neighbour of the first: the same but for one field
 * drawn afresh, so that it may differ in shape by that field alone.
 */
function pagesOf<Page extends Record<string, unknown>>(shape: fc.Arbitrary<FieldArbitraries<Page>>) {
  const sameShape = shape.chain((fields) => fc.tuple(fc.record(fields), fc.record(fields)));
  const anyPage = shape.chain((fields) => fc.record(fields));
  return fc.tuple(sameShape, anyPage, fc.nat()).map(([[first, second], other, pick]) => {
    const fields = Object.keys(other);
    const field = fields[pick % fields.length] as keyof Page;
    return { first, second, neighbour: { ...first, [field]: other[field] } };
  });
}

/** What may shape a list's text, as the list statements document it. */
function shapeOf(page: Record<string, unknown>): string {
  return JSON.stringify(
    Object.entries(page).map(([name, value]) =>
      name === 'sort' || name === 'limit' ? value : Array.isArray(value) ? value.length : value !== undefined,
    ),
  );
}

/**
 * Each compiled statement is the builder's, text and parameters; the second page of a shape builds nothing; and no
 * more templates are built than there were shapes.
 */
function checkCompiledPages<Page extends Record<string, unknown>>(
  statement: CompiledOnce<Page, unknown>,
  builder: (handle: Kysely<Database>, page: Page) => Compilable,
  shape: fc.Arbitrary<FieldArbitraries<Page>>,
) {
  fc.assert(
    fc.property(pagesOf(shape), ({ first, second, neighbour }) => {
      const counting = compilingDatabase();
      expectSameStatement(statement, first, builder(db, first), counting.db);
      expectSameStatement(statement, second, builder(db, second), counting.db);
      expect(counting.counter.trees).toBe(1);
      expectSameStatement(statement, neighbour, builder(db, neighbour), counting.db);
      expect(counting.counter.trees).toBe(new Set([shapeOf(first), shapeOf(neighbour)]).size);
    }),
    // Enough that a field left out of the shape meets a neighbour that differs by it alone.
    { numRuns: 300 },
  );
}

describe('statements compiled once', () => {
  it('send what their builder writes, for each input', () => {
    for (const id of [1, 42]) {
      expectSameStatement(mentors.listedById, { id }, mentors.listedByIdQuery(db, id));
      expectSameStatement(users.publicProfile, { id }, users.publicProfileQuery(db, id));
      expectSameStatement(courses.publishedById, { id }, courses.publishedByKeyQuery(db, { id }));
    }
    for (const slug of ['go-basics', 'rust-in-depth'])
      expectSameStatement(courses.publishedBySlug, { slug }, courses.publishedByKeyQuery(db, { slug }));
  });

  it('keep one text per shape of the mentor list, every filter value and cursor key a parameter', () => {
    checkCompiledPages(
      mentors.page,
      (handle, { sort, after, limit, ...filter }) => mentors.pageQuery(handle, filter, sort, after, limit),
      mentorPageShape,
    );
  });

  it('keep one text per shape of the course list, every filter value and cursor key a parameter', () => {
    checkCompiledPages(
      courses.page,
      (handle, { sort, after, limit, ...filter }) => courses.pageQuery(handle, filter, sort, after, limit),
      coursePageShape,
    );
  });

  it('keep a bounded number of templates, building a shape past them for each call', () => {
    const counting = compilingDatabase();
    // No arguments: each id is a shape of its own.
    const byId = compiledOnce([], (kysely, { id }: { id: number }) => mentors.listedByIdQuery(kysely, id));
    for (let id = 1; id <= MAX_TEMPLATES; id += 1) byId.compile(counting.db, { id });
    byId.compile(counting.db, { id: 1 });
    expect(counting.counter.trees).toBe(MAX_TEMPLATES);
    const pastTheCap = { id: MAX_TEMPLATES + 1 };
    expectSameStatement(byId, pastTheCap, mentors.listedByIdQuery(db, pastTheCap.id), counting.db);
    byId.compile(counting.db, pastTheCap);
    expect(counting.counter.trees).toBe(MAX_TEMPLATES + 2);
  });

  it("keep one text per page size and first or later page of a mentor's reviews", () => {
    const pages = [
      { mentorId: 1, limit: 5, after: undefined },
      { mentorId: 42, limit: 5, after: undefined },
      { mentorId: 42, limit: 5, after: ['2026-01-02T03:04:05.000Z', 11] },
      { mentorId: 3, limit: 20, after: ['2025-12-31T23:59:59.999Z', 90] },
    ] as const;
    for (const { mentorId, limit, after } of pages)
      expectSameStatement(
        reviews.mentorPage,
        { mentorId, after, limit },
        reviews.pageQuery(db, mentorId, after, limit),
      );
  });

  it('send the slot inputs of an availability range with the range as parameters', () => {
    for (const [mentorId, fromDate, toDate] of [
      [1, '2026-03-27', '2026-04-26'],
      [9, '2026-10-23', '2026-10-27'],
    ] as const) {
      const range = {
        fromDate,
        toDate,
        from: new Date(`${fromDate}T00:00:00Z`),
        to: new Date(`${toDate}T00:00:00Z`),
      };
      const requestsSince = new Date('2026-03-01T12:00:00Z');
      expectSameStatement(
        availability.rangeSlotInputs,
        { mentorId, ...range, requestsSince },
        availability.slotInputs(db, mentorId, range, range, requestsSince),
      );
    }
  });

  it('refuse an argument that does not reach the statement unchanged', () => {
    const computedOn = compiledOnce(['id'], (kysely, { id }: { id: number }) =>
      mentors.listedByIdQuery(kysely, id + 1),
    );
    expect(() => computedOn.compile(db, { id: 1 })).toThrow(/id must reach the statement as parameters/);
    const itemDropped = compiledOnce(['expertise'], (kysely, { expertise }: { expertise: string[] }) =>
      mentors.pageQuery(kysely, { expertise: expertise.slice(1) }, 'rating', undefined, 20),
    );
    expect(() => itemDropped.compile(db, { expertise: ['go', 'rust'] })).toThrow(
      /expertise\[0\] must reach the statement as parameters/,
    );
  });
});
