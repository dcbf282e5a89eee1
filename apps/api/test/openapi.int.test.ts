import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, getJson, type TestApp } from './helpers/test-app';

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  [key: string]: unknown;
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  tags?: string[];
  summary?: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  openapi: string;
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

/** What an operation takes and needs, read off its route in apps/api/src/modules/*\/*.routes.ts. */
interface ExpectedOperation {
  /** "GET /api/users/{id}": the OpenAPI spelling of the route. */
  route: string;
  /** The operation's name in the document and in clients generated from it. */
  operationId: string;
  body?: 'json' | 'image' | 'form';
  /** The body may be left out (documented as not required). */
  optionalBody?: boolean;
  /** The success body is image bytes rather than JSON. */
  image?: boolean;
  /** The success body is an iCalendar document rather than JSON. */
  calendar?: boolean;
  /** The success body is an HTML page rather than JSON. */
  html?: boolean;
  /** Answers 401 without a signed-in user, and says so with the session security requirement. */
  session?: boolean;
  /** Serves anonymous callers and personalizes for a signed-in one (documented as optional security). */
  optionalSession?: boolean;
  /** A keyset-paginated or filtered list: its query is validated (400). */
  list?: boolean;
  /** Creates once and answers 201, then 200 with what it created: two documented successes. */
  createdOnce?: boolean;
  /** A WebSocket: succeeds with 101 Switching Protocols, which has no body. */
  upgrade?: boolean;
}

const operations: ExpectedOperation[] = [
  // health.routes.ts
  { route: 'GET /health', operationId: 'getHealth' },
  { route: 'GET /ready', operationId: 'getReadiness' },
  // auth.routes.ts
  { route: 'POST /api/auth/register', operationId: 'register', body: 'json' },
  { route: 'POST /api/auth/verify-email', operationId: 'verifyEmail', body: 'json' },
  { route: 'POST /api/auth/password-reset', operationId: 'requestPasswordReset', body: 'json' },
  { route: 'POST /api/auth/password-reset/confirm', operationId: 'confirmPasswordReset', body: 'json' },
  { route: 'POST /api/auth/email-change', operationId: 'requestEmailChange', body: 'json', session: true },
  { route: 'POST /api/auth/email-change/confirm', operationId: 'confirmEmailChange', body: 'json' },
  { route: 'POST /api/auth/login', operationId: 'login', optionalSession: true, body: 'json' },
  { route: 'POST /api/auth/password', operationId: 'changePassword', body: 'json', session: true },
  { route: 'POST /api/auth/logout', operationId: 'logout', session: true },
  { route: 'GET /api/auth/me', operationId: 'getMe', session: true },
  // users.routes.ts
  { route: 'GET /api/users/{id}', operationId: 'getUser' },
  { route: 'PATCH /api/users/{id}', operationId: 'updateUser', body: 'json', session: true },
  { route: 'PUT /api/users/{id}/avatar', operationId: 'uploadAvatar', body: 'image', session: true },
  { route: 'DELETE /api/users/{id}/avatar', operationId: 'deleteAvatar', session: true },
  // mentors.routes.ts
  { route: 'GET /api/mentors', operationId: 'listMentors', list: true },
  { route: 'GET /api/mentors/{id}', operationId: 'getMentor' },
  { route: 'GET /api/expertise', operationId: 'listExpertise' },
  { route: 'POST /api/mentors', operationId: 'applyAsMentor', body: 'json', session: true },
  { route: 'PATCH /api/mentors/{id}', operationId: 'updateMentor', body: 'json', session: true },
  { route: 'POST /api/mentors/{id}/approve', operationId: 'approveMentor', session: true },
  { route: 'POST /api/mentors/{id}/reject', operationId: 'rejectMentor', session: true },
  // availability.routes.ts
  { route: 'GET /api/mentors/{id}/availability', operationId: 'getMentorAvailability', list: true },
  {
    route: 'GET /api/mentors/{id}/availability/settings',
    operationId: 'getAvailabilitySettings',
    session: true,
  },
  {
    route: 'PUT /api/mentors/{id}/availability',
    operationId: 'setAvailability',
    body: 'json',
    session: true,
  },
  // bookings.routes.ts
  { route: 'POST /api/bookings', operationId: 'createBooking', body: 'json', session: true },
  { route: 'GET /api/me/bookings', operationId: 'listMyBookings', session: true, list: true },
  { route: 'GET /api/bookings/{id}', operationId: 'getBooking', session: true },
  { route: 'POST /api/bookings/{id}/confirm', operationId: 'confirmBooking', session: true },
  { route: 'POST /api/bookings/{id}/decline', operationId: 'declineBooking', session: true },
  {
    route: 'POST /api/bookings/{id}/cancel',
    operationId: 'cancelBooking',
    body: 'json',
    optionalBody: true,
    session: true,
  },
  { route: 'POST /api/bookings/{id}/complete', operationId: 'completeBooking', session: true },
  { route: 'POST /api/bookings/{id}/no-show', operationId: 'markBookingNoShow', session: true },
  // calendar.routes.ts
  { route: 'GET /api/calendar/feed', operationId: 'getCalendarFeed', session: true },
  { route: 'POST /api/calendar/feed', operationId: 'issueCalendarFeed', session: true },
  { route: 'GET /api/calendar/{file}', operationId: 'getCalendarFeedFile', calendar: true },
  { route: 'GET /api/mentors/{id}/meeting-room', operationId: 'getMeetingRoom', session: true },
  { route: 'POST /api/bookings/{id}/withdraw', operationId: 'withdrawBooking', session: true },
  {
    route: 'POST /api/bookings/{id}/reschedule',
    operationId: 'proposeReschedule',
    body: 'json',
    session: true,
  },
  {
    route: 'POST /api/bookings/{id}/reschedule/accept',
    operationId: 'acceptReschedule',
    body: 'json',
    session: true,
  },
  {
    route: 'POST /api/bookings/{id}/reschedule/decline',
    operationId: 'declineReschedule',
    body: 'json',
    session: true,
  },
  {
    route: 'POST /api/bookings/{id}/reschedule/withdraw',
    operationId: 'withdrawReschedule',
    body: 'json',
    session: true,
  },
  // reviews.routes.ts
  { route: 'GET /api/mentors/{id}/reviews', operationId: 'listMentorReviews', list: true },
  { route: 'POST /api/bookings/{id}/review', operationId: 'createReview', body: 'json', session: true },
  // courses.routes.ts
  { route: 'GET /api/courses', operationId: 'listCourses', list: true },
  { route: 'GET /api/courses/{id}', operationId: 'getCourse', optionalSession: true },
  { route: 'GET /api/me/courses', operationId: 'listMyCourses', session: true, list: true },
  { route: 'POST /api/courses', operationId: 'createCourse', body: 'json', session: true },
  { route: 'PATCH /api/courses/{id}', operationId: 'updateCourse', body: 'json', session: true },
  { route: 'POST /api/courses/{id}/publish', operationId: 'publishCourse', session: true },
  { route: 'POST /api/courses/{id}/unpublish', operationId: 'unpublishCourse', session: true },
  { route: 'POST /api/courses/{id}/lessons', operationId: 'addLesson', body: 'json', session: true },
  {
    route: 'PUT /api/courses/{id}/lessons/order',
    operationId: 'reorderLessons',
    body: 'json',
    session: true,
  },
  { route: 'PATCH /api/lessons/{id}', operationId: 'updateLesson', body: 'json', session: true },
  { route: 'DELETE /api/lessons/{id}', operationId: 'deleteLesson', session: true },
  // learning.routes.ts
  { route: 'POST /api/courses/{id}/enrollments', operationId: 'enrollInCourse', session: true },
  { route: 'GET /api/me/enrollments', operationId: 'listMyEnrollments', session: true, list: true },
  { route: 'GET /api/lessons/{id}', operationId: 'getLesson', optionalSession: true },
  { route: 'POST /api/lessons/{id}/complete', operationId: 'completeLesson', session: true },
  // media.routes.ts
  { route: 'GET /api/media/{id}', operationId: 'getMedia', image: true },
  { route: 'GET /api/media/{id}/{variant}', operationId: 'getMediaVariant', image: true },
  // notifications.routes.ts
  { route: 'GET /api/me/notifications', operationId: 'listMyNotifications', session: true, list: true },
  {
    route: 'POST /api/me/notifications/read',
    operationId: 'markNotificationsRead',
    body: 'json',
    session: true,
  },
  // preferences.routes.ts
  {
    route: 'GET /api/me/notification-preferences',
    operationId: 'getMyNotificationPreferences',
    session: true,
  },
  {
    route: 'PUT /api/me/notification-preferences',
    operationId: 'updateMyNotificationPreferences',
    body: 'json',
    session: true,
  },
  { route: 'GET /api/unsubscribe/{token}', operationId: 'showUnsubscribePage', html: true },
  { route: 'POST /api/unsubscribe/{token}', operationId: 'unsubscribeOneClick', body: 'form' },
  // recommendations.routes.ts
  { route: 'GET /api/me/recommendations', operationId: 'listMyRecommendations', session: true, list: true },
  // live.routes.ts
  { route: 'GET /api/ws', operationId: 'openLiveEvents', session: true, upgrade: true },
  // graphql.routes.ts
  { route: 'POST /api/graphql', operationId: 'graphql', optionalSession: true, body: 'json' },
  // mailbox.routes.ts (development only)
  { route: 'GET /api/dev/mailbox', operationId: 'listDevMailbox' },
  { route: 'GET /api/dev/mailbox/{name}', operationId: 'getDevMailboxMessage' },
  // outbox.routes.ts (admin)
  { route: 'GET /api/admin/outbox', operationId: 'listOutboxMessages', session: true, list: true },
  { route: 'POST /api/admin/outbox/{id}/retry', operationId: 'retryOutboxMessage', session: true },
  { route: 'POST /api/admin/outbox/retry', operationId: 'retryOutboxKind', body: 'json', session: true },
  // messaging.routes.ts
  { route: 'GET /api/me/conversations', operationId: 'listMyConversations', session: true, list: true },
  {
    route: 'POST /api/conversations',
    operationId: 'openConversation',
    body: 'json',
    session: true,
    createdOnce: true,
  },
  { route: 'GET /api/conversations/{id}/messages', operationId: 'listMessages', session: true, list: true },
  { route: 'POST /api/conversations/{id}/messages', operationId: 'sendMessage', body: 'json', session: true },
  {
    route: 'POST /api/conversations/{id}/read',
    operationId: 'markConversationRead',
    body: 'json',
    session: true,
  },
  { route: 'POST /api/conversations/{id}/close', operationId: 'closeConversation', session: true },
  { route: 'POST /api/me/blocks/{userId}', operationId: 'blockUser', session: true },
  { route: 'DELETE /api/me/blocks/{userId}', operationId: 'unblockUser', session: true },
  // moderation.routes.ts
  { route: 'POST /api/reports', operationId: 'createReport', body: 'json', session: true, createdOnce: true },
  { route: 'GET /api/me/reports', operationId: 'listMyReports', session: true, list: true },
  { route: 'GET /api/admin/moderation/queue', operationId: 'listModerationQueue', session: true, list: true },
  {
    route: 'POST /api/admin/moderation/cases/{id}/decisions',
    operationId: 'decideModerationCase',
    body: 'json',
    session: true,
  },
  { route: 'GET /api/admin/audit-log', operationId: 'listAuditLog', session: true, list: true },
  // reliability.routes.ts
  { route: 'GET /api/me/standing', operationId: 'getMyStanding', session: true },
  { route: 'POST /api/bookings/{id}/dispute', operationId: 'disputeNoShow', body: 'json', session: true },
  { route: 'GET /api/admin/disputes', operationId: 'listOpenDisputes', session: true, list: true },
  {
    route: 'POST /api/admin/disputes/{id}/decide',
    operationId: 'decideDispute',
    body: 'json',
    session: true,
  },
];

/** Registered on purpose without a place in the document (schema.hide): the document itself and Prometheus. */
const hiddenRoutes = ['GET /api/openapi.json', 'GET /metrics'];
/** The browsable docs (swagger-ui's own routes), checked by serving them. */
const docsUiPrefix = '/api/docs';

/** ":id" and "{id}" (and fastify's merged ":idOrSlug|:id") all become "{}", so spellings compare. */
const normalized = (route: string) =>
  route.replace(/\{[^}]+\}/g, '{}').replace(/:[A-Za-z]+(\|:[A-Za-z]+)*/g, '{}');

/** Every method and path the app registers, read from fastify's route tree (HEAD twins left out). */
function registeredRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(', ').filter(Boolean))
      if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

const isErrorSchema = (schema: Schema | undefined): boolean =>
  schema?.$ref === '#/components/schemas/Error' ||
  (schema?.allOf ?? []).some((part) => part.$ref === '#/components/schemas/Error');

let t: TestApp;
let document: OpenApiDocument;
const documented = new Map<string, Operation>();
beforeAll(async () => {
  t = await createTestApp({ seed: false });
  document = await getJson<OpenApiDocument>(t.app, '/api/openapi.json');
  for (const [path, methods] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(methods))
      documented.set(`${method.toUpperCase()} ${path}`, operation);
});
afterAll(() => t.close());

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with the shared component schemas', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Error',
        'MentorSummary',
        'MentorDetail',
        'CourseSummary',
        'CourseDetail',
        'UserSummary',
        'PublicUser',
        'Booking',
        'StudioCourse',
        'Lesson',
        'Enrollment',
        'NotificationPage',
      ]),
    );
  });

  it('declares the session cookie as its one security scheme, public unless an operation says otherwise', () => {
    expect(document.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'mh_session' }) as unknown,
    });
    expect(document.security).toEqual([]);
  });

  it('uses JSON Schema 2020-12 alone: no 3.0 nullable, no $id or $schema in the component schemas', () => {
    const text = JSON.stringify(document);
    expect(text).not.toContain('"nullable"');
    for (const schema of Object.values(document.components.schemas))
      expect(Object.keys(schema as object)).not.toEqual(expect.arrayContaining(['$id']));
    expect(text).not.toContain('"$schema"');
  });

  it('names every operation, each name once', () => {
    const ids = [...documented.values()].map((operation) => operation.operationId);
    expect(ids.sort()).toEqual(operations.map((o) => o.operationId).sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists exactly the expected operations', () => {
    expect([...documented.keys()].sort()).toEqual(operations.map((o) => o.route).sort());
  });

  it('leaves out none of the routes the app registers', () => {
    const registered = registeredRoutes(t.app.printRoutes({ commonPrefix: false }))
      .filter((route) => !route.split(' ')[1]?.startsWith(docsUiPrefix))
      .map(normalized)
      .sort();
    expect(registered).toEqual([...operations.map((o) => o.route), ...hiddenRoutes].map(normalized).sort());
    for (const { route } of operations) {
      const [method = '', path = ''] = route.split(' ');
      expect(t.app.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }), route).toBe(true);
    }
  });

  it('serves the browsable docs', async () => {
    const response = await t.app.inject('/api/docs/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });
});

describe.each(operations)(
  '$route',
  ({
    route,
    operationId,
    body,
    optionalBody,
    image,
    calendar,
    html,
    session,
    optionalSession,
    list,
    upgrade,
    createdOnce,
  }) => {
    const operation = () => {
      const found = documented.get(route);
      if (!found) throw new Error(`${route} is not in the document`);
      return found;
    };

    it(`is named ${operationId}`, () => {
      expect(operation().operationId).toBe(operationId);
    });

    it(session ? 'requires the session' : optionalSession ? 'accepts a session' : 'is public', () => {
      const expected = session ? [{ session: [] }] : optionalSession ? [{}, { session: [] }] : undefined;
      expect(operation().security).toEqual(expected);
    });

    it('has tags and a summary', () => {
      expect(operation().tags?.length ?? 0).toBeGreaterThan(0);
      expect(operation().summary?.trim().length ?? 0).toBeGreaterThan(10);
    });

    it('declares its path parameters', () => {
      const names = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation().parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort()).toEqual(names.sort());
      for (const parameter of declared) {
        expect(parameter.required, parameter.name).toBe(true);
        expect(parameter.schema, parameter.name).toBeDefined();
      }
    });

    it('documents a success response with a schema', () => {
      const successes = Object.keys(operation().responses).filter((status) => /^[12]\d\d$/.test(status));
      expect(successes).toEqual(
        upgrade ? ['101'] : createdOnce ? ['200', '201'] : [expect.stringMatching(/^2/)],
      );
      const status = successes[0] ?? '';
      if (status !== '204' && status !== '101') {
        const content = operation().responses[status]?.content ?? {};
        if (image) {
          expect(Object.keys(content)).toContain('image/webp');
          for (const type of Object.keys(content)) expect(type).toMatch(/^image\//);
        } else if (calendar) expect(Object.keys(content)).toEqual(['text/calendar']);
        else expect(Object.keys(content)).toEqual([html ? 'text/html' : 'application/json']);
        for (const media of Object.values(content)) {
          expect(media.schema).toBeDefined();
          if (image) expect(media.schema).toMatchObject({ type: 'string', format: 'binary' });
        }
      }
    });

    it('answers every documented error in the shared Error schema', () => {
      const errors = Object.entries(operation().responses).filter(([status]) => /^[45]\d\d$/.test(status));
      for (const [status, response] of errors) {
        const schemas = Object.values(response.content ?? {}).map((media) => media.schema);
        expect(schemas.length, status).toBeGreaterThan(0);
        for (const schema of schemas)
          expect(isErrorSchema(schema), `${status}: ${JSON.stringify(schema)}`).toBe(true);
      }
    });

    it(body ? `declares its ${body} request body with a schema` : 'takes no request body', () => {
      const requestBody = operation().requestBody;
      if (!body) {
        expect(requestBody).toBeUndefined();
        return;
      }
      expect(requestBody?.required).toBe(optionalBody !== true);
      const content = requestBody?.content ?? {};
      if (body === 'image')
        expect(Object.keys(content).sort()).toEqual(['image/avif', 'image/jpeg', 'image/png', 'image/webp']);
      else
        expect(Object.keys(content)).toEqual([
          body === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        ]);
      for (const media of Object.values(content)) {
        expect(media.schema).toBeDefined();
        if (body === 'image') expect(media.schema).toMatchObject({ type: 'string', format: 'binary' });
      }
    });

    if (session)
      it('documents 401 for a request without a session', () => {
        expect(operation().responses).toHaveProperty('401');
      });

    if (list)
      it('documents 400 for an invalid query', () => {
        expect(operation().responses).toHaveProperty('400');
        expect((operation().parameters ?? []).some((p) => p.in === 'query')).toBe(true);
      });

    const [method] = route.split(' ');
    if (method !== 'GET') {
      it('documents 403 for a signed-in write from a disallowed Origin', () => {
        expect(operation().responses).toHaveProperty('403');
      });
    }
  },
);
