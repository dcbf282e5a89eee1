import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { requirePrincipal } from './session';

type SecurityRequirements = readonly Readonly<Record<string, readonly string[]>>[];

/** The name of the session cookie's security scheme in the OpenAPI document. */
export const sessionScheme = 'session';

/**
 * A route schema's `security` for a route that needs a signed-in user: @fastify/swagger copies it into the
 * operation, and `registerSessionSecurity` turns it into the check itself, so document and behaviour agree.
 */
export const sessionRequired: SecurityRequirements = [{ [sessionScheme]: [] }];

/** For a route that serves anonymous callers and personalizes for a signed-in one: documented, never enforced. */
export const sessionOptional: SecurityRequirements = [{}, { [sessionScheme]: [] }];

/** Required when every alternative names the session; an empty alternative means anonymous callers are served. */
function requiresSession(security: SecurityRequirements | undefined): boolean {
  return (
    security !== undefined &&
    security.length > 0 &&
    security.every((requirement) => sessionScheme in requirement)
  );
}

// The principal is memoized on the request, so the handler's own requirePrincipal runs no second query.
const requireSession: onRequestAsyncHookHandler = async (request) => {
  await requirePrincipal(request);
};

/**
 * Gives every route whose schema declares `sessionRequired` a route-level onRequest check: an anonymous caller
 * gets 401 before the body is read or any schema is validated (a 400 would tell a stranger what the route
 * accepts). Register it before the modules: onRoute sees only routes added after it.
 */
export function registerSessionSecurity(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!requiresSession(route.schema?.security)) return;
    const existing = route.onRequest ?? [];
    route.onRequest = [requireSession, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
