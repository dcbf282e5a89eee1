import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { DOCS_CSP } from './security-headers';

/** The OpenAPI document is generated from the same zod schemas that validate requests and shape responses. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'MentorHub API',
        version: '1.0.0',
        description:
          'Mentors, sessions and courses. Errors share one shape: {"error":{"code","message","details"}}.',
      },
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => markNullableBodiesOptional(jsonSchemaTransformObject(input)),
  });
  // The UI's own policy replaces the API's deny-all one on its routes (its pages must run their scripts).
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: DOCS_CSP });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}

interface DocumentWithBodies {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: object } }>>;
}

/**
 * @fastify/swagger marks every request body required; a body the route accepts as absent (a nullish zod
 * schema, e.g. the optional reason of a cancellation) is documented as optional instead.
 */
function markNullableBodiesOptional<T>(document: T): T {
  const { paths = {} } = document as DocumentWithBodies;
  for (const operation of Object.values(paths).flatMap((methods) => Object.values(methods))) {
    const body = operation.requestBody;
    const schemas = Object.values(body?.content ?? {}) as { schema?: { nullable?: boolean } }[];
    if (body && schemas.length > 0 && schemas.every((media) => media.schema?.nullable === true))
      body.required = false;
  }
  return document;
}
