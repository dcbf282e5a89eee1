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
