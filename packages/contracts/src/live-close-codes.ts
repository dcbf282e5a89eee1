// Without zod, so the browser's live client can import it (as `@mentorhub/contracts/live-close-codes`) alone.

/** Close codes of the live socket besides the standard ones (1001: the server is shutting down). */
export const liveCloseCodes = {
  /** This account already has the maximum number of open live connections; retry later. */
  tooManyConnections: 4429,
  /** The socket's session ended (signed out, rotated by a new sign-in, password changed, expired): sign in again. */
  sessionEnded: 4401,
} as const;
