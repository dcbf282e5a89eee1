import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody, ErrorCode, ErrorDetail } from '@mentorhub/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/pg-errors';
import { AppError, RateLimitedError, ServiceUnavailableError } from './app-error';

function send(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  details: ErrorDetail[] = [],
) {
  const body: ErrorBody = { error: { code, message, details } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

const locationNames: Record<string, string> = {
  querystring: 'query',
  params: 'params',
  body: 'body',
  headers: 'headers',
};

/** "/items/0/name" under "body" becomes "body.items.0.name". */
function detailPath(context: string | undefined, instancePath: string): string {
  const location = locationNames[context ?? ''] ?? context ?? 'request';
  const rest = instancePath.split('/').filter(Boolean).join('.');
  return rest ? `${location}.${rest}` : location;
}

function sendAppError(reply: FastifyReply, error: AppError) {
  if (error instanceof RateLimitedError || error instanceof ServiceUnavailableError)
    reply.header('retry-after', String(Math.ceil(error.retryAfterSeconds)));
  return send(reply, error.statusCode, error.code, error.message, error.details);
}

/** Fastify's own 4xx errors (body parsing, content type, size) mapped to stable codes. */
function frameworkErrorCode(error: FastifyError): ErrorCode {
  if (error.statusCode === 413) return 'PAYLOAD_TOO_LARGE';
  if (error.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (error.code.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) return 'MALFORMED_JSON';
  return error.statusCode === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
}

/**
 * What Node reports before a request exists (a body that did not arrive in time, oversized headers, bytes that
 * are not HTTP), written to the socket in the same shape before it is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'REQUEST_TIMEOUT', 'The request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'PAYLOAD_TOO_LARGE', 'The request headers are too large']
        : [400, 'VALIDATION_FAILED', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message, details: [] } } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Errors Fastify raises before routing (a URL that is not valid percent-encoding, say), in the same shape. */
export function malformedRequestHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  send(
    reply,
    400,
    'VALIDATION_FAILED',
    error.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed' : error.message,
  );
}

function decodeQueryPart(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** What is wrong with a raw query string: malformed percent-encoding (or bytes that are not UTF-8), or a NUL. */
function malformedQueryDetails(url: string): ErrorDetail[] {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return [];
  const details: ErrorDetail[] = [];
  for (const pair of url.slice(start + 1).split('&')) {
    const [rawName = '', ...rest] = pair.split('=');
    const name = decodeQueryPart(rawName);
    const value = decodeQueryPart(rest.join('='));
    const path = name === null || name.includes('\0') ? 'query' : `query.${name}`;
    if (name === null || value === null)
      details.push({ path, message: 'must be valid percent-encoded UTF-8' });
    else if (name.includes('\0') || value.includes('\0'))
      details.push({ path, message: 'must not contain control characters' });
  }
  return details;
}

/**
 * Input Fastify would otherwise repair silently (invalid UTF-8 becomes U+FFFD, a bad query escape stays as it
 * is) is refused with a 400 instead, so it never reaches a service or the database.
 */
function refuseMalformedInput(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (!isUtf8(body as Buffer)) {
      done(new AppError('MALFORMED_JSON', 'The request body is not valid UTF-8'), undefined);
      return;
    }
    void parseJson(request, (body as Buffer).toString('utf8'), done);
  });
  // At validation, like every other input check: a signed-in route has answered 401 to a stranger by then.
  // A callback hook: every request passes here, and most have nothing to refuse (no promise for them).
  app.addHook('preValidation', (request, _reply, done) => {
    const details = malformedQueryDetails(request.url);
    done(
      details.length > 0 ? new AppError('VALIDATION_FAILED', 'The request is invalid', details) : undefined,
    );
  });
}

/** One error shape for every failure; 5xx bodies never carry stack traces, SQL or internal messages. */
export function registerErrorHandling(app: FastifyInstance): void {
  refuseMalformedInput(app);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isDatabaseUnavailable(error)) {
      // An outage, not a bug: a warning with its cause, and a 503 the client may retry.
      request.log.warn({ err: error }, 'Database unavailable');
      return sendAppError(
        reply,
        new ServiceUnavailableError('The service is briefly unavailable; try again shortly'),
      );
    }
    if (error instanceof AppError) return sendAppError(reply, error);

    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: detailPath(error.validationContext, issue.instancePath),
        message: issue.message ?? 'is invalid',
      }));
      return send(reply, 400, 'VALIDATION_FAILED', 'The request is invalid', details);
    }

    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return send(reply, status, frameworkErrorCode(error), error.message);
    }

    request.log.error({ err: error }, 'Unhandled error');
    return send(reply, 500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 404, 'NOT_FOUND', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
  );
}
