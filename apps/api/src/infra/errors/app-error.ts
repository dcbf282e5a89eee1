import type { ErrorCode, ErrorDetail } from '@mentorhub/contracts';

const statusByCode: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SLOT_TAKEN: 409,
  SLOT_UNAVAILABLE: 422,
  INVALID_TRANSITION: 409,
  CANCELLATION_WINDOW_CLOSED: 409,
  ACCOUNT_PAUSED: 403,
  MENTOR_PAUSED: 409,
  BOOKING_CHANGED: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  ALREADY_ENROLLED: 409,
  BLOCKED: 403,
  CONVERSATION_CLOSED: 409,
  NOT_ENROLLED: 403,
  COURSE_NOT_PUBLISHED: 409,
  ALREADY_REVIEWED: 409,
  REVIEW_NOT_ALLOWED: 409,
  ACCOUNT_SUSPENDED: 403,
  INVALID_IMAGE: 422,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  QUERY_TOO_COSTLY: 400,
  UPGRADE_REQUIRED: 426,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** The one error type services throw; the error handler turns it into the JSON error body. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.statusCode = statusByCode[code];
  }
}

export function notFound(what: string): AppError {
  return new AppError('NOT_FOUND', `${what} was not found`);
}

export function invalidField(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'The request is invalid', [{ path, message }]);
}

/** A 429 that tells the client when to come back (sent as Retry-After). */
export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'RATE_LIMITED',
      `Too many attempts: try again in ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} minutes`,
    );
  }
}

/** A 503 for a dependency outage: the request was fine and can be sent again after Retry-After. */
export class ServiceUnavailableError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super('SERVICE_UNAVAILABLE', message);
  }
}
