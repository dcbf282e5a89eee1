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
import * as courses from '../../modules/courses/courses.repository';
import * as mentors from '../../modules/mentors/mentors.repository';
import * as users from '../../modules/users/users.repository';
import { compiledOnce, type CompiledOnce } from './compiled-once';

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
        { sort, limit, afterValue: after?.[0], afterId: after?.[1] },
        mentors.pageQuery(db, {}, sort, after, limit),
      );
  });

  it('refuse an argument that does not reach the statement unchanged', () => {
    const computedOn = compiledOnce(['id'], (kysely, { id }: { id: number }) =>
      mentors.listedByIdQuery(kysely, id + 1),
    );
    expect(() => computedOn.compile(db, { id: 1 })).toThrow(/id must reach the statement as parameters/);
  });
});
