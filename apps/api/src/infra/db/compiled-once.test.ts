import type { Database } from '@mentorhub/db';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import * as availability from '../../modules/availability/availability.repository';
import * as courses from '../../modules/courses/courses.repository';
import * as mentors from '../../modules/mentors/mentors.repository';
import * as reviews from '../../modules/reviews/reviews.repository';
import * as users from '../../modules/users/users.repository';
import { compiledOnce, type CompiledOnce } from './compiled-once';
import { cursorArguments } from './keyset';

/** Compiles PostgreSQL's SQL without a server. */
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

function expectSameStatement<Input>(
  statement: CompiledOnce<Input, unknown>,
  input: Input,
  builder: Compilable,
) {
  const built = builder.compile();
  const compiled = statement.compile(db, input);
  expect(compiled.sql).toBe(built.sql);
  expect(compiled.parameters).toEqual(built.parameters);
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

  it('keep one text per shape of the mentor list: sort, page size, first or later page', () => {
    const pages = [
      { sort: 'rating', limit: 20, after: undefined },
      { sort: 'rating', limit: 20, after: ['4.50', 7] },
      { sort: 'rating', limit: 20, after: ['3.25', 9] },
      { sort: 'rating', limit: 5, after: undefined },
      { sort: 'price', limit: 20, after: [1500, 3] },
      { sort: 'newest', limit: 100, after: ['2026-01-02T03:04:05.000Z', 11] },
    ] as const;
    for (const { sort, limit, after } of pages)
      expectSameStatement(
        mentors.unfilteredPage,
        { sort, limit, ...cursorArguments(after) },
        mentors.pageQuery(db, {}, sort, after, limit),
      );
  });

  it('keep one text per shape of the course list filtered by instructor at most', () => {
    const pages = [
      { sort: 'newest', limit: 20, instructorId: undefined, after: undefined },
      { sort: 'newest', limit: 20, instructorId: undefined, after: ['2026-01-02T03:04:05.000Z', 11] },
      { sort: 'newest', limit: 3, instructorId: 7, after: undefined },
      { sort: 'popular', limit: 3, instructorId: 8, after: [120, 4] },
      { sort: 'price', limit: 50, instructorId: 7, after: [0, 2] },
    ] as const;
    for (const { sort, limit, instructorId, after } of pages)
      expectSameStatement(
        courses.instructorPage,
        { sort, limit, instructorId, ...cursorArguments(after) },
        courses.pageQuery(db, { instructorId }, sort, after, limit),
      );
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
        { mentorId, limit, ...cursorArguments(after) },
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
  });
});
