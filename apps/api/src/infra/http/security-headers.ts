import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The API answers JSON and images only: no response may run script, load anything, or be framed, so the policy
 * denies everything (it only matters when a response is opened as a document, e.g. an SVG or a crafted JSON).
 */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Images may be SVG: opened on their own they may style themselves, and still run nothing. */
const MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

/** The unsubscribe confirmation page: plain HTML whose one form posts back to its own URL. */
export const UNSUBSCRIBE_PAGE_CSP =
  "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The one `<style>` element swagger-ui's bundle renders, allowed by its hash (the browser test of the docs UI fails
 * if another version renders a different one).
 */
const SWAGGER_UI_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/**
 * The docs UI loads its own scripts, styles, images and fonts and fetches the OpenAPI document from this origin;
 * its page has no inline script, so nothing else is allowed.
 */
export const DOCS_CSP =
  `default-src 'none'; script-src 'self'; style-src 'self' ${SWAGGER_UI_STYLE}; img-src 'self' data:; ` +
  "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface SecurityHeaderOptions {
  /** Served over HTTPS (SECURE_COOKIES): browsers are told to use HTTPS only from then on. */
  https: boolean;
}

/**
 * The same headers on every answer, so they are built once and copied onto each reply. Media may be embedded by
 * the web app from another origin (another port in development), so they are the one cross-origin resource.
 */
export function securityHeaders(options: SecurityHeaderOptions) {
  const common: Record<string, string> = {
    'content-security-policy': API_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
  };
  if (options.https) common['strict-transport-security'] = 'max-age=31536000';
  return {
    api: Object.freeze(common),
    media: Object.freeze({
      ...common,
      'content-security-policy': MEDIA_CSP,
      'cross-origin-resource-policy': 'cross-origin',
    }),
  };
}

export type SecurityHeaders = ReturnType<typeof securityHeaders>;

const MEDIA_PREFIX = '/api/media/';

/** Headers for an answer to `url`; also used by the handler of requests Fastify refuses before routing. */
export function setSecurityHeaders(reply: FastifyReply, headers: SecurityHeaders, url: string): void {
  reply.headers(url.startsWith(MEDIA_PREFIX) ? headers.media : headers.api);
}

/**
 * Sets the headers as the first hook of every request, so errors, 304s and cached replies carry them too. The docs
 * UI replaces the policy with DOCS_CSP on its own routes.
 */
export function registerSecurityHeaders(app: FastifyInstance, headers: SecurityHeaders): void {
  app.addHook('onRequest', (request, reply, done) => {
    setSecurityHeaders(reply, headers, request.url);
    done();
  });
}
