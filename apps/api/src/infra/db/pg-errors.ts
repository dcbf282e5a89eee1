/** PostgreSQL error codes the services turn into answers (the same on a server and on PGlite). */
function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/** 23505: a unique constraint (any, or the one named) refused the row. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return (
    hasCode(error, '23505') &&
    (constraint === undefined || (error as { constraint?: unknown }).constraint === constraint)
  );
}

/** 23P01: an exclusion constraint refused the row (e.g. overlapping bookings). */
export const isExclusionViolation = (error: unknown): boolean => hasCode(error, '23P01');

/** SQLSTATEs of a server that is gone, shutting down, starting up or refusing connections (class 08 too). */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);
/** Socket errors of a server that cannot be reached or dropped the connection. */
const unreachableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** node-postgres and its pool report a lost or unobtainable connection with a plain Error and one of these. */
const lostConnectionMessages = [
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'timeout exceeded when trying to connect',
  'Postgres connection has been discarded',
];

/**
 * The database is unreachable or going through a restart (not the request's fault, and not a bug): the
 * request can be retried in a moment. Looks through AggregateError (a host with several addresses) and causes.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors, cause } = error as {
    code?: unknown;
    message?: unknown;
    errors?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string') {
    if (code.startsWith('08') && code.length === 5) return true;
    if (unavailableStates.has(code) || unreachableSocketCodes.has(code)) return true;
  }
  if (typeof message === 'string' && lostConnectionMessages.some((lost) => message.startsWith(lost)))
    return true;
  if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}
