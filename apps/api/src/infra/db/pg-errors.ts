/** PostgreSQL error codes the services turn into answers (the same on a server and on PGlite). */
function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/** 23505: a unique constraint refused the row. */
export const isUniqueViolation = (error: unknown): boolean => hasCode(error, '23505');

/** 23P01: an exclusion constraint refused the row (e.g. overlapping bookings). */
export const isExclusionViolation = (error: unknown): boolean => hasCode(error, '23P01');
