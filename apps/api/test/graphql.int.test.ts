import {
  courseLevels,
  courseSorts,
  mentorSorts,
  type Booking,
  type CourseDetail,
  type Enrollment,
  type ErrorBody,
  type GraphqlResponse,
  type NotificationPage,
  type MentorDetail,
  type MentorSummary,
  type Page,
  type Recommendations,
  type Review,
} from '@mentorhub/contracts';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlSchema } from '../src/modules/graphql/graphql.schema';
import { ORIGIN, signUp, write } from './helpers/accounts';
import { hourFromNow, signUpBookableMentor } from './helpers/availability';
import { createTestApp, getJson, queryCount, type TestApp } from './helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function graphql(query: string, variables?: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/graphql', payload: { query, variables } });
}

async function data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, variables);
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json<GraphqlResponse>();
  expect(body.errors, response.body).toBeUndefined();
  return body.data as T;
}

/** A listed mentor with reviews and a published course, picked in SQL. */
async function richMentor(): Promise<{ id: number; user_id: number }> {
  const { rows } = await sql<{ id: number; user_id: number }>`
    SELECT m.id, m.user_id FROM mentors m
    WHERE m.status = 'approved' AND m.is_active AND m.rating_count >= 2
      AND EXISTS (SELECT 1 FROM courses c WHERE c.instructor_id = m.user_id AND c.status = 'published' AND c.is_active)
    ORDER BY m.id LIMIT 1`.execute(t.database.db);
  if (!rows[0]) throw new Error('the seed has no mentor with reviews and a course');
  return rows[0];
}

describe('POST /api/graphql', () => {
  it('answers exactly the fields asked for, with the REST endpoint’s items and order', async () => {
    const result = await data<{ mentors: { items: Partial<MentorSummary>[]; nextCursor: string } }>(`{
      mentors(first: 4, sort: price) { items { id headline hourlyRate { amountCents currency } } nextCursor }
    }`);
    const rest = await getJson<Page<MentorSummary>>(t.app, '/api/mentors?limit=4&sort=price');
    expect(result.mentors.items).toEqual(
      rest.items.map(({ id, headline, hourlyRate }) => ({ id, headline, hourlyRate })),
    );
    // The cursor is the REST one: the next page is the same either way.
    expect(result.mentors.nextCursor).toBe(rest.nextCursor);
    const next = await data<{ mentors: { items: { id: number }[] } }>(
      `query Next($after: String) { mentors(first: 4, sort: price, after: $after) { items { id } } }`,
      { after: result.mentors.nextCursor },
    );
    const restNext = await getJson<Page<MentorSummary>>(
      t.app,
      `/api/mentors?limit=4&sort=price&cursor=${rest.nextCursor ?? ''}`,
    );
    expect(next.mentors.items.map((m) => m.id)).toEqual(restNext.items.map((m) => m.id));
  });

  it('filters like the REST list', async () => {
    const result = await data<{ mentors: { items: { id: number; expertise: { slug: string }[] }[] } }>(`{
      mentors(expertise: ["typescript"], minRating: 4, first: 50) { items { id expertise { slug } } }
    }`);
    const rest = await getJson<Page<MentorSummary>>(
      t.app,
      '/api/mentors?expertise=typescript&minRating=4&limit=50',
    );
    expect(result.mentors.items.map((m) => m.id)).toEqual(rest.items.map((m) => m.id));
    expect(result.mentors.items.length).toBeGreaterThan(0);
    for (const mentor of result.mentors.items)
      expect(mentor.expertise.map((tag) => tag.slug)).toContain('typescript');
  });

  it('gives a mentor with reviews, rating distribution and courses in one request, from the shared cache', async () => {
    const mentor = await richMentor();
    const query = `query Mentor($id: Int!) {
      mentor(id: $id) {
        headline bio sessionsCompleted
        rating { average count distribution }
        reviews(first: 2) { items { rating body author { name } } nextCursor }
        courses(first: 3) { items { slug title instructor { id } } }
      }
    }`;
    const first = await graphql(query, { id: mentor.id });
    expect(first.statusCode, first.body).toBe(200);
    // The detail (1 statement), a reviews page (1) and a course list (1): what the three REST calls cost.
    expect(queryCount(first)).toBe(3);
    const result = (first.json<GraphqlResponse>().data as { mentor: Record<string, unknown> }).mentor;

    const detail = await getJson<MentorDetail>(t.app, `/api/mentors/${mentor.id}`);
    const reviews = await getJson<Page<Review>>(t.app, `/api/mentors/${mentor.id}/reviews?limit=2`);
    const courses = await getJson<Page<CourseDetail>>(
      t.app,
      `/api/courses?instructorId=${mentor.user_id}&limit=3`,
    );
    expect(result).toEqual({
      headline: detail.headline,
      bio: detail.bio,
      sessionsCompleted: detail.sessionsCompleted,
      rating: {
        average: detail.rating.average,
        count: detail.rating.count,
        distribution: [1, 2, 3, 4, 5].map((stars) => detail.rating.distribution[stars as 1 | 2 | 3 | 4 | 5]),
      },
      reviews: {
        items: reviews.items.map((r) => ({
          rating: r.rating,
          body: r.body,
          author: { name: r.author.name },
        })),
        nextCursor: reviews.nextCursor,
      },
      courses: {
        items: courses.items.map((c) => ({
          slug: c.slug,
          title: c.title,
          instructor: { id: mentor.user_id },
        })),
      },
    });
    expect(courses.items.length).toBeGreaterThan(0);

    // Every part is now cached, by GraphQL or by REST: the same query costs no statement.
    const again = await graphql(query, { id: mentor.id });
    expect(queryCount(again)).toBe(0);
    expect(again.json()).toEqual(first.json());
  });

  it('costs one statement per list, whatever the page size, and has no nested lists on list items', async () => {
    for (const first of [1, 50]) {
      const response = await graphql(
        `{ courses(first: ${first}, sort: popular, level: beginner) { items { id } } }`,
      );
      expect(queryCount(response), response.body).toBe(1);
    }
    const nested = await graphql(`
      {
        mentors {
          items {
            reviews {
              items {
                id
              }
            }
          }
        }
      }
    `);
    expect(nested.statusCode).toBe(400);
    expect(nested.json<ErrorBody>().error.details[0]?.message).toContain(
      'Cannot query field "reviews" on type "MentorSummary"',
    );
  });

  it('returns a course with its syllabus', async () => {
    const { items } = await getJson<Page<CourseDetail>>(t.app, '/api/courses?limit=1&sort=popular');
    const slug = items[0]?.slug ?? '';
    const result = await data<{ course: { title: string; lessons: { position: number }[] } }>(
      `query Course($slug: String!) { course(slugOrId: $slug) { title lessons { position title } } }`,
      { slug },
    );
    const rest = await getJson<CourseDetail>(t.app, `/api/courses/${slug}`);
    expect(result.course.title).toBe(rest.title);
    expect(result.course.lessons.map((l) => l.position)).toEqual(rest.lessons.map((l) => l.position));
  });

  it('lists expertise with mentor counts', async () => {
    const result = await data<{ expertise: { slug: string; mentorCount: number }[] }>(
      '{ expertise { slug mentorCount } }',
    );
    const rest = await getJson<{ items: { slug: string; mentorCount: number }[] }>(t.app, '/api/expertise');
    expect(result.expertise).toEqual(rest.items.map(({ slug, mentorCount }) => ({ slug, mentorCount })));
  });
});

describe('me', () => {
  const meQuery = `{
    me {
      email
      bookings { items { id status mentor { user { name } } actions } nextCursor }
      enrollments { items { course { slug } progress { percent } } }
      recommendations(limit: 2) { mentors { mentor { id } reason } courses { course { id } reason } }
    }
  }`;

  async function signedIn(token: string, query: string) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: token },
      headers: { origin: ORIGIN },
      payload: { query },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response;
  }

  it('is null when signed out, at no cost', async () => {
    const response = await graphql('{ me { id bookings { items { id } } } }');
    expect(response.json()).toEqual({ data: { me: null } });
    expect(queryCount(response)).toBe(0);
  });

  it('gives the dashboard in one request: the same bookings, enrollments and recommendations as REST', async () => {
    const mentor = await signUpBookableMentor(t.app, 'graphql.mentor@example.com');
    const mentee = await signUp(t.app, 'graphql.mentee@example.com');
    const booked = await write(t.app, mentee.token, 'POST', '/api/bookings', {
      mentorId: mentor.mentorId,
      startsAt: hourFromNow(30),
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const { items } = await getJson<Page<CourseDetail>>(t.app, '/api/courses?limit=1&sort=popular');
    const enrolled = await write(
      t.app,
      mentee.token,
      'POST',
      `/api/courses/${items[0]?.id ?? 0}/enrollments`,
    );
    expect(enrolled.statusCode, enrolled.body).toBe(201);

    const response = await signedIn(mentee.token, meQuery);
    expect(response.headers['cache-control']).toBe('private, no-store');
    const me = (response.json<GraphqlResponse>().data as { me: Record<string, unknown> }).me;
    const rest = async <T>(url: string) =>
      (await t.app.inject({ url, cookies: { mh_session: mentee.token } })).json<T>();
    const bookings = await rest<Page<Booking>>('/api/me/bookings');
    const enrollments = await rest<Page<Enrollment>>('/api/me/enrollments');
    const recommendations = await rest<Recommendations>('/api/me/recommendations?limit=2');
    expect(me).toEqual({
      email: 'graphql.mentee@example.com',
      bookings: {
        items: bookings.items.map((b) => ({
          id: b.id,
          status: b.status,
          mentor: { user: { name: b.mentor.user.name } },
          actions: b.actions,
        })),
        nextCursor: null,
      },
      enrollments: {
        items: enrollments.items.map((e) => ({ course: { slug: e.course.slug }, progress: { percent: 0 } })),
      },
      recommendations: {
        mentors: recommendations.mentors.map((r) => ({ mentor: { id: r.mentor.id }, reason: r.reason })),
        courses: recommendations.courses.map((r) => ({ course: { id: r.course.id }, reason: r.reason })),
      },
    });
    expect((me.bookings as { items: unknown[] }).items).toHaveLength(1);
    expect((me.enrollments as { items: unknown[] }).items).toHaveLength(1);

    // The mentor sees the same booking from their side, with the actions they can take.
    const asMentor = await signedIn(mentor.token, '{ me { bookings(as: mentor) { items { id actions } } } }');
    expect(asMentor.json<GraphqlResponse>().data).toEqual({
      me: {
        bookings: { items: [{ id: bookings.items[0]?.id, actions: ['confirm', 'decline', 'reschedule'] }] },
      },
    });

    // The mentor was notified of the request: the same notification as REST, its payload typed by kind.
    const notificationsQuery = `query Unread($unread: Boolean) {
      me {
        notifications(unread: $unread) {
          unreadCount
          items { type payload { __typename ... on BookingNotificationPayload { bookingId otherPartyName } } }
        }
      }
    }`;
    const notified = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: mentor.token },
      headers: { origin: ORIGIN },
      payload: { query: notificationsQuery, variables: { unread: true } },
    });
    const restNotifications = (
      await t.app.inject({ url: '/api/me/notifications?unread=true', cookies: { mh_session: mentor.token } })
    ).json<NotificationPage>();
    expect(notified.json<GraphqlResponse>().data).toEqual({
      me: {
        notifications: {
          unreadCount: 1,
          items: restNotifications.items.map((n) => ({
            type: n.type,
            payload: {
              __typename: 'BookingNotificationPayload',
              bookingId: n.payload.bookingId,
              otherPartyName: 'otherPartyName' in n.payload ? n.payload.otherPartyName : null,
            },
          })),
        },
      },
    });
    expect(restNotifications.items.map((n) => n.type)).toEqual(['booking.requested']);

    // Signed out, the same cookie gets nothing.
    expect((await write(t.app, mentee.token, 'POST', '/api/auth/logout')).statusCode).toBe(204);
    expect((await signedIn(mentee.token, meQuery)).json()).toEqual({ data: { me: null } });
  });

  it('types a review notification’s payload as one', async () => {
    const { token, userId } = await signUp(t.app, 'graphql.reviewed@example.com');
    await sql`INSERT INTO notifications (user_id, type, payload)
      VALUES (${userId}, 'review.created', ${JSON.stringify({ bookingId: 1, reviewId: 2, rating: 5 })}::jsonb)`.execute(
      t.app.db,
    );
    const response = await signedIn(
      token,
      '{ me { notifications { items { type payload { ... on ReviewNotificationPayload { reviewId rating } } } } } }',
    );
    expect(response.json<GraphqlResponse>().data).toEqual({
      me: { notifications: { items: [{ type: 'review.created', payload: { reviewId: 2, rating: 5 } }] } },
    });
  });

  it('checks its arguments like the REST lists', async () => {
    const { token } = await signUp(t.app, 'graphql.args@example.com');
    const response = await signedIn(token, '{ me { email bookings(first: 0) { items { id } } } }');
    const body = response.json<GraphqlResponse>();
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'args.first' }],
    });
  });
});

describe('POST /api/graphql refusals', () => {
  // Twice: the second run of a query is compiled (JIT) and must answer the same.
  it.each([1, 2])(
    'reports a missing object as null with a NOT_FOUND error at its path (run %i)',
    async () => {
      const response = await graphql(
        '{ mentor(id: 999999) { headline } course(slugOrId: "no-such-course") { title } }',
      );
      expect(response.statusCode).toBe(200);
      const body = response.json<GraphqlResponse>();
      expect(body.data).toEqual({ mentor: null, course: null });
      // Both fields resolve at once, so their errors come in either order.
      const errors = [...(body.errors ?? [])].sort((a, b) => String(a.path).localeCompare(String(b.path)));
      expect(errors.map((e) => [e.path, e.extensions.code])).toEqual([
        [['course'], 'NOT_FOUND'],
        [['mentor'], 'NOT_FOUND'],
      ]);
    },
  );

  it.each([1, 2])('checks arguments with the REST rules, naming the argument (run %i)', async () => {
    const response = await graphql('{ mentors(first: 500, q: "a\\u0000b") { items { id } } }');
    const body = response.json<GraphqlResponse>();
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
    expect(body.errors?.[0]?.extensions.details.map((d) => d.path).sort()).toEqual(['args.first', 'args.q']);
    const inverted = await graphql('{ mentors(minPriceCents: 500, maxPriceCents: 100) { items { id } } }');
    expect(inverted.json<GraphqlResponse>().errors?.[0]?.extensions.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['a syntax error', '{ mentors { items { id } '],
    ['an unknown field', '{ mentors { items { email } } }'],
    ['a missing argument', '{ mentor { headline } }'],
    ['a mutation (the schema is read-only)', 'mutation { deleteEverything }'],
    [
      'a query nested deeper than 8 levels',
      '{ mentor(id: 1) { reviews { items { author { avatar { sources { type { nope } } } } } } } }',
    ],
  ])('refuses %s with 400 before running it', async (_, query) => {
    const response = await graphql(query);
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details[0]?.path).toBe('body.query');
    expect(queryCount(response)).toBe(0);
  });

  it('refuses a body without a query, and a variable of the wrong type, with 400', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/api/graphql', payload: { variables: {} } });
    expect([empty.statusCode, empty.json<ErrorBody>().error.details[0]?.path]).toEqual([400, 'body.query']);
    const wrongType = await graphql('query M($id: Int!) { mentor(id: $id) { headline } }', { id: 'seven' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json<ErrorBody>().error.details[0]?.path).toBe('body.variables');
  });

  it('refuses a signed-in request from another origin, as every POST', async () => {
    const { token } = await signUp(t.app, 'graphql.user@example.com');
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: token },
      headers: { origin: 'https://evil.example' },
      payload: { query: '{ expertise { slug } }' },
    });
    expect(response.statusCode).toBe(403);
    const sameSite = await t.app.inject({
      method: 'POST',
      url: '/api/graphql',
      cookies: { mh_session: token },
      headers: { origin: ORIGIN },
      payload: { query: '{ expertise { slug } }' },
    });
    expect(sameSite.statusCode).toBe(200);
  });
});

describe('a failing resolver', () => {
  it('reports INTERNAL without the database’s message, and logs it', async () => {
    const broken = await createTestApp({ seed: false, env: { CACHE_ENABLED: 'false' } });
    try {
      await sql`ALTER TABLE expertise_tags RENAME TO expertise_tags_away`.execute(broken.app.db);
      const response = await broken.app.inject({
        method: 'POST',
        url: '/api/graphql',
        payload: { query: '{ expertise { slug } }' },
      });
      expect(response.statusCode).toBe(200);
      const body = response.json<GraphqlResponse>();
      expect(body.errors?.[0]?.extensions.code).toBe('INTERNAL');
      expect(response.body).not.toMatch(/expertise_tags|relation|select|stack/i);
      expect(broken.logs.some((line) => line.msg === 'Unhandled error in a GraphQL resolver')).toBe(true);
    } finally {
      await broken.close();
    }
  });
});

describe('the GraphQL schema', () => {
  it('offers exactly the sorts and levels the REST API accepts', () => {
    const schema = buildSchema(graphqlSchema);
    const values = (name: string) =>
      (schema.getType(name) as GraphQLEnumType).getValues().map((value) => value.name);
    expect(values('MentorSort')).toEqual([...mentorSorts]);
    expect(values('CourseSort')).toEqual([...courseSorts]);
    expect(values('CourseLevel')).toEqual([...courseLevels]);
  });
});
