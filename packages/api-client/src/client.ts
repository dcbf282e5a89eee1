import type {
  Availability,
  AvailabilityQuery,
  AvailabilitySettings,
  Booking,
  BookingAction,
  BookingCreateBody,
  CalendarFeedIssued,
  CalendarFeedStatus,
  Conversation,
  ConversationCreateBody,
  ConversationPage,
  ConversationReadBody,
  ConversationReadResponse,
  Message,
  MessageCreateBody,
  MessagePage,
  RescheduleProposalBody,
  CourseCreateBody,
  CourseDetail,
  CourseListQuery,
  CourseSummary,
  CourseUpdateBody,
  Enrollment,
  ErrorBody,
  ErrorCode,
  ErrorDetail,
  ExpertiseList,
  Lesson,
  LessonCompletion,
  LessonCreateBody,
  LessonUpdateBody,
  LessonView,
  MarkNotificationsReadBody,
  MeetingRoom,
  MarkNotificationsReadResponse,
  MentorApplication,
  MentorApplicationBody,
  MentorDetail,
  MentorListQuery,
  MentorProfileUpdateBody,
  MentorSummary,
  NotificationPage,
  AuditEntry,
  ModerationCase,
  ModerationDecisionBody,
  ModerationDecisionResult,
  Standing,
  Dispute,
  DisputeDecision,
  OutboxBulkRetryBody,
  Report,
  ReportCreateBody,
  OutboxBulkRetryResponse,
  OutboxMessage,
  OutboxPage,
  NotificationPreferences,
  Page,
  PublicUser,
  Recommendations,
  Review,
  ReviewCreateBody,
  SessionUser,
  StudioCourse,
  StudioCourseSummary,
  UpdateProfileBody,
} from '@mentorhub/contracts';

/** A query parameter value: `undefined` and empty strings are left out, arrays are comma-joined. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

/** Query types as a caller writes them: every field optional, lists as arrays. */
type QueryOf<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly string[] ? readonly string[] | string : T[K];
};

export interface ApiClientOptions {
  /** Where the API listens, e.g. `http://localhost:4000` (no trailing slash, no `/api`). */
  baseUrl: string;
  /** The caller's `Cookie` header, forwarded so the API sees the signed-in user. */
  cookie?: string | undefined;
  /** The caller's page origin: the API refuses signed-in writes from origins it does not allow (CSRF). */
  origin?: string | undefined;
  /**
   * The visitor's `X-Forwarded-For` chain, for a server calling on their behalf: the API takes the client
   * address from it when this server is one of its trusted proxies (per-client limits), and ignores it otherwise.
   */
  forwardedFor?: string | undefined;
  fetch?: typeof fetch;
}

/** An error answer of the API in its one JSON shape, or a transport failure (`status` 0 / 502). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** Field messages keyed by the field name (the last segment of each detail's path, e.g. `body.email` → `email`). */
  fieldErrors(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const detail of this.details) {
      const field = detail.path.split('.').slice(1).join('.') || detail.path;
      fields[field] ??= detail.message;
    }
    return fields;
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    const text = typeof value === 'object' ? value.join(',') : String(value);
    if (text !== '') params.set(key, text);
  }
  return params;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Sent as is (e.g. multipart `FormData`); `body` is sent as JSON. */
  rawBody?: RequestInit['body'];
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  data: T;
  /** `Set-Cookie` headers of the answer (sign-in and sign-out set or clear the session cookie). */
  setCookies: string[];
}

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? fetch;

  async function send<T>(
    method: string,
    path: string,
    request: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const search = request.query ? toSearchParams(request.query).toString() : '';
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin && method !== 'GET') headers.origin = options.origin;
    if (options.forwardedFor) headers['x-forwarded-for'] = options.forwardedFor;
    let body: RequestInit['body'] = request.rawBody;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}${search ? `?${search}` : ''}`, {
        method,
        headers,
        body: body ?? null,
      });
    } catch (cause) {
      throw new ApiError(
        502,
        'SERVICE_UNAVAILABLE',
        `The API is not reachable (${cause instanceof Error ? cause.message : 'network error'})`,
      );
    }
    const setCookies = response.headers.getSetCookie();
    if (response.status === 204) return { data: undefined as T, setCookies };
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ApiError(
        response.status,
        'INTERNAL',
        `The API answered ${response.status} with a body that is not JSON`,
      );
    }
    if (!response.ok) {
      const error = (json as Partial<ErrorBody> | undefined)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'INTERNAL',
        error?.message ?? `The API answered ${response.status}`,
        error?.details ?? [],
      );
    }
    return { data: json as T, setCookies };
  }

  const get = async <T>(path: string, query?: Query) =>
    (await send<T>('GET', path, query ? { query } : {})).data;
  const post = async <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    (await send<T>('POST', path, { body, ...(headers ? { headers } : {}) })).data;
  const patch = async <T>(path: string, body: unknown) => (await send<T>('PATCH', path, { body })).data;
  const put = async <T>(path: string, body: unknown) => (await send<T>('PUT', path, { body })).data;

  return {
    send,
    auth: {
      me: () => get<{ user: SessionUser }>('/api/auth/me'),
      login: (body: { email: string; password: string }) =>
        send<{ user: SessionUser }>('POST', '/api/auth/login', { body }),
      /** Starts a sign-up: the same answer whatever the address; the mailed link leads to verifyEmail. */
      register: (body: { email: string; name: string; timezone?: string }) =>
        post<{ status: 'verification-sent' }>('/api/auth/register', body),
      /** Chooses the password with the token of the sign-up link, and signs in. */
      verifyEmail: (body: { token: string; password: string }) =>
        send<{ user: SessionUser }>('POST', '/api/auth/verify-email', { body }),
      requestPasswordReset: (body: { email: string }) =>
        post<{ status: 'reset-sent' }>('/api/auth/password-reset', body),
      confirmPasswordReset: (body: { token: string; password: string }) =>
        post<undefined>('/api/auth/password-reset/confirm', body),
      requestEmailChange: (body: { newEmail: string; currentPassword: string }) =>
        post<{ status: 'confirmation-sent' }>('/api/auth/email-change', body),
      confirmEmailChange: (body: { token: string }) =>
        post<{ email: string }>('/api/auth/email-change/confirm', body),
      logout: () => send<undefined>('POST', '/api/auth/logout'),
    },
    users: {
      get: (id: number) => get<PublicUser>(`/api/users/${id}`),
      update: (id: number, body: UpdateProfileBody) => patch<PublicUser>(`/api/users/${id}`, body),
      /** The image bytes as the body, with their Content-Type (PNG, JPEG, WebP or AVIF). */
      uploadAvatar: async (id: number, bytes: Blob, contentType: string) =>
        (
          await send<PublicUser>('PUT', `/api/users/${id}/avatar`, {
            rawBody: bytes,
            headers: { 'content-type': contentType },
          })
        ).data,
    },
    mentors: {
      list: (query: QueryOf<MentorListQuery> = {}) => get<Page<MentorSummary>>('/api/mentors', query),
      get: (id: number) => get<MentorDetail>(`/api/mentors/${id}`),
      /** Every expertise tag with its number of listed mentors, most common first. */
      expertise: () => get<ExpertiseList>('/api/expertise'),
      reviews: (id: number, query: { cursor?: string; limit?: number } = {}) =>
        get<Page<Review>>(`/api/mentors/${id}/reviews`, query),
      availability: (id: number, query: AvailabilityQuery) =>
        get<Availability>(`/api/mentors/${id}/availability`, query),
      availabilitySettings: (id: number) =>
        get<AvailabilitySettings>(`/api/mentors/${id}/availability/settings`),
      /** The mentor's own default video room (the mentor only); set it with `update`. */
      meetingRoom: (id: number) => get<MeetingRoom>(`/api/mentors/${id}/meeting-room`),
      setAvailability: (id: number, body: AvailabilitySettings) =>
        put<AvailabilitySettings>(`/api/mentors/${id}/availability`, body),
      apply: (body: MentorApplicationBody) => post<MentorApplication>('/api/mentors', body),
      update: (id: number, body: MentorProfileUpdateBody) =>
        patch<MentorApplication>(`/api/mentors/${id}`, body),
    },
    courses: {
      list: (query: QueryOf<CourseListQuery> = {}) => get<Page<CourseSummary>>('/api/courses', query),
      get: (idOrSlug: number | string) => get<CourseDetail>(`/api/courses/${idOrSlug}`),
      mine: (query: { status?: string; cursor?: string; limit?: number } = {}) =>
        get<Page<StudioCourseSummary>>('/api/me/courses', query),
      /** Any course of the signed-in instructor, drafts included (same route as the public detail). */
      studio: (id: number) => get<CourseDetail>(`/api/courses/${id}`),
      create: (body: Partial<CourseCreateBody> & { title: string; level: string }) =>
        post<StudioCourse>('/api/courses', body),
      update: (id: number, body: CourseUpdateBody) => patch<StudioCourse>(`/api/courses/${id}`, body),
      publish: (id: number) => post<StudioCourse>(`/api/courses/${id}/publish`),
      unpublish: (id: number) => post<StudioCourse>(`/api/courses/${id}/unpublish`),
      addLesson: (courseId: number, body: Partial<LessonCreateBody> & { title: string }) =>
        post<Lesson>(`/api/courses/${courseId}/lessons`, body),
      updateLesson: (lessonId: number, body: LessonUpdateBody) =>
        patch<Lesson>(`/api/lessons/${lessonId}`, body),
      reorderLessons: (courseId: number, lessonIds: number[]) =>
        put<undefined>(`/api/courses/${courseId}/lessons/order`, { lessonIds }),
    },
    learning: {
      enroll: (courseId: number) => post<Enrollment>(`/api/courses/${courseId}/enrollments`),
      enrollments: (query: { cursor?: string; limit?: number } = {}) =>
        get<Page<Enrollment>>('/api/me/enrollments', query),
      lesson: (lessonId: number) => get<LessonView>(`/api/lessons/${lessonId}`),
      complete: (lessonId: number) => post<LessonCompletion>(`/api/lessons/${lessonId}/complete`),
    },
    calendar: {
      /** Whether I have a personal calendar feed (never its URL). */
      feed: () => get<CalendarFeedStatus>('/api/calendar/feed'),
      /** Creates my feed or rotates its secret: the new URL, shown this once. */
      issueFeed: () => post<CalendarFeedIssued>('/api/calendar/feed'),
    },
    bookings: {
      create: (body: BookingCreateBody, idempotencyKey?: string) =>
        post<Booking>(
          '/api/bookings',
          body,
          idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
        ),
      mine: (query: { as?: 'mentee' | 'mentor'; status?: string; cursor?: string; limit?: number } = {}) =>
        get<Page<Booking>>('/api/me/bookings', query),
      get: (id: number) => get<Booking>(`/api/bookings/${id}`),
      act: (id: number, action: BookingAction, body?: { reason?: string }) =>
        post<Booking>(`/api/bookings/${id}/${action}`, body),
      /** Proposes a new time at the booking's version; the key makes a double submit one proposal. */
      reschedule: (id: number, body: RescheduleProposalBody, idempotencyKey?: string) =>
        post<Booking>(
          `/api/bookings/${id}/reschedule`,
          body,
          idempotencyKey ? { 'idempotency-key': idempotencyKey } : undefined,
        ),
      answerReschedule: (id: number, answer: 'accept' | 'decline' | 'withdraw', sequence: number) =>
        post<Booking>(`/api/bookings/${id}/reschedule/${answer}`, { sequence }),
      review: (id: number, body: ReviewCreateBody) => post<Review>(`/api/bookings/${id}/review`, body),
    },
    discovery: {
      /** Mentors and courses for the signed-in user, each with the reason it was picked. */
      recommendations: (query: { limit?: number } = {}) =>
        get<Recommendations>('/api/me/recommendations', query),
    },
    notifications: {
      list: (query: { unread?: 'true' | 'false'; cursor?: string; limit?: number } = {}) =>
        get<NotificationPage>('/api/me/notifications', query),
      markRead: (body: MarkNotificationsReadBody) =>
        post<MarkNotificationsReadResponse>('/api/me/notifications/read', body),
      preferences: () => get<NotificationPreferences>('/api/me/notification-preferences'),
      updatePreferences: (body: NotificationPreferences) =>
        put<NotificationPreferences>('/api/me/notification-preferences', body),
    },
    /** Conversations with mentors and mentees: only their two participants can read or write one. */
    conversations: {
      list: (query: { cursor?: string; limit?: number } = {}) =>
        get<ConversationPage>('/api/me/conversations', query),
      open: (body: ConversationCreateBody) => post<Conversation>('/api/conversations', body),
      messages: (id: number, query: { cursor?: string; limit?: number } = {}) =>
        get<MessagePage>(`/api/conversations/${id}/messages`, query),
      send: (id: number, body: MessageCreateBody) => post<Message>(`/api/conversations/${id}/messages`, body),
      markRead: (id: number, body: ConversationReadBody) =>
        post<ConversationReadResponse>(`/api/conversations/${id}/read`, body),
      close: (id: number) => post<Conversation>(`/api/conversations/${id}/close`),
      /** 204: nothing to answer. */
      block: async (userId: number): Promise<void> => {
        await send<null>('POST', `/api/me/blocks/${userId}`);
      },
      unblock: async (userId: number): Promise<void> => {
        await send<null>('DELETE', `/api/me/blocks/${userId}`);
      },
    },
    /** Reliability: my standing, disputing a no-show, and (admins) deciding disputes. */
    reliability: {
      standing: () => get<Standing>('/api/me/standing'),
      dispute: (bookingId: number, reason: string) =>
        post<Dispute>(`/api/bookings/${bookingId}/dispute`, { reason }),
      openDisputes: (query: { cursor?: string; limit?: number } = {}) =>
        get<Page<Dispute>>('/api/admin/disputes', query),
      decide: (id: number, decision: DisputeDecision, reason: string) =>
        post<Dispute>(`/api/admin/disputes/${id}/decide`, { decision, reason }),
    },
    /** Admin only: dead letters (the default status), pending and dropped messages, and their retry. */
    outbox: {
      list: (query: { status?: 'dead' | 'pending' | 'dropped'; cursor?: string; limit?: number } = {}) =>
        get<OutboxPage>('/api/admin/outbox', query),
      retry: (id: number) => post<OutboxMessage>(`/api/admin/outbox/${id}/retry`),
      retryKind: (body: OutboxBulkRetryBody) =>
        post<OutboxBulkRetryResponse>('/api/admin/outbox/retry', body),
    },
    reports: {
      create: (body: ReportCreateBody) => post<Report>('/api/reports', body),
      mine: (query: { cursor?: string; limit?: number } = {}) => get<Page<Report>>('/api/me/reports', query),
    },
    moderation: {
      queue: (query: { cursor?: string; limit?: number } = {}) =>
        get<Page<ModerationCase>>('/api/admin/moderation/queue', query),
      decide: (caseId: number, body: ModerationDecisionBody) =>
        post<ModerationDecisionResult>(`/api/admin/moderation/cases/${caseId}/decisions`, body),
      auditLog: (query: { cursor?: string; limit?: number } = {}) =>
        get<Page<AuditEntry>>('/api/admin/audit-log', query),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
