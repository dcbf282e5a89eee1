import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { sessionScheme } from '../auth/session-security';
import { DOCS_CSP } from './security-headers';

/** The OpenAPI document is generated from the same zod schemas that validate requests and shape responses. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, which is what zod emits (null types, const).
      openapi: '3.1.0',
      info: {
        title: 'MentorHub API',
        version: '1.0.0',
        description:
          'Mentors, sessions and courses. Errors share one shape: {"error":{"code","message","details"}}.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      },
      servers: [{ url: '/', description: 'The origin that serves this document' }],
      // Public unless an operation says otherwise: signed-in operations declare the session scheme.
      security: [],
      components: {
        securitySchemes: {
          [sessionScheme]: {
            type: 'apiKey',
            in: 'cookie',
            name: app.sessionCookie.name,
            description:
              'The session cookie set by register and login: `__Host-mh_session` when the API runs with SECURE_COOKIES (HTTPS), `mh_session` otherwise. A signed-in write must also come from an allowed Origin.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) =>
      withoutUnusedSchemas(markNullableBodiesOptional(jsonSchemaTransformObject(input))),
  });
  // The UI's own policy replaces the API's deny-all one on its routes (its pages must run their scripts).
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
}

interface DocumentShape {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: object } }>>;
  components?: { schemas?: Record<string, unknown> };
}

const acceptsNull = (schema: JsonSchema | undefined): boolean =>
  schema !== undefined &&
  (schema.type === 'null' ||
    (Array.isArray(schema.type) && schema.type.includes('null')) ||
    (schema.anyOf ?? []).some(acceptsNull));

/**
 * @fastify/swagger marks every request body required; a body the route accepts as absent (a nullish zod
 * schema, e.g. the optional reason of a cancellation) is documented as optional instead.
 */
function markNullableBodiesOptional<T>(document: T): T {
  const { paths = {} } = document as DocumentShape;
  for (const operation of Object.values(paths).flatMap((methods) => Object.values(methods))) {
    const body = operation.requestBody;
    const schemas = Object.values(body?.content ?? {}) as { schema?: JsonSchema }[];
    if (body && schemas.length > 0 && schemas.every((media) => acceptsNull(media.schema)))
      body.required = false;
  }
  return document;
}

/** Every `#/components/schemas/…` name referenced anywhere inside a value. */
function referencedSchemas(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) referencedSchemas(item, found);
  else if (value !== null && typeof value === 'object')
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/'))
        found.add(inner.slice('#/components/schemas/'.length));
      else referencedSchemas(inner, found);
    }
  return found;
}

/**
 * The zod registry yields every named schema twice (as read and as written), and a route may inline a
 * variant of one; only the schemas the operations reach, directly or through each other, are kept. Each loses
 * its `$id` ("#/components/schemas/…", a fragment 2020-12 forbids there) and `$schema` (3.1's default already).
 */
function withoutUnusedSchemas<T>(document: T): T {
  const { paths, components } = document as DocumentShape;
  const all = components?.schemas;
  if (!all) return document;
  const reached = referencedSchemas(paths, new Set());
  for (const name of reached) referencedSchemas(all[name], reached);
  components.schemas = Object.fromEntries(
    Object.entries(all)
      .filter(([name]) => reached.has(name))
      .map(([name, schema]) => [
        name,
        Object.fromEntries(
          Object.entries(schema as object).filter(([key]) => key !== '$id' && key !== '$schema'),
        ),
      ]),
  );
  return document;
}
