import type { ErrorBody } from '@mentorhub/contracts';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { generate } from 'json-schema-faker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signUp } from './helpers/accounts';
import { createTestApp, getJson, type TestApp } from './helpers/test-app';

type SchemaObject = Record<string, unknown>;

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: SchemaObject;
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}
interface OpenApiDocument {
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
}
interface DocumentedOperation {
  method: string;
  path: string;
  operation: Operation;
}

const ACCOUNT = 'reader@example.com';

let t: TestApp;
let document: OpenApiDocument;
let operations: DocumentedOperation[];
beforeAll(async () => {
  t = await createTestApp({ seed: false });
  await signUp(t.app, ACCOUNT);
  document = await getJson<OpenApiDocument>(t.app, '/api/openapi.json');
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );
});
afterAll(() => t.close());

const nameOf = ({ method, path, operation }: DocumentedOperation) =>
  `${operation.operationId ?? '?'} (${method} ${path})`;

/** The operation's security as the document states it: its own, else the document's default. */
const declaresRequiredSession = ({ operation }: DocumentedOperation): boolean => {
  const security = operation.security ?? document.security ?? [];
  return security.length > 0 && security.every((requirement) => 'session' in requirement);
};

const urlOf = (path: string, parameter: (name: string) => string) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(parameter(name)));

const isRefusedAsAnonymous = (response: LightMyRequestResponse): boolean =>
  response.statusCode === 401 && response.json<ErrorBody>().error.code === 'UNAUTHENTICATED';

// Over every body limit, the avatar upload's included.
const oversizedBody = `"${'x'.repeat(6 * 1024 * 1024)}"`;

/** Hostile anonymous requests: each would be refused for its input (400, 404, 413, 415) if it got that far. */
const hostileRequests: { what: string; request: (url: string) => Omit<InjectOptions, 'method'> }[] = [
  { what: 'no body and invalid path parameters', request: (url) => ({ url }) },
  {
    what: 'malformed JSON',
    request: (url) => ({ url, headers: { 'content-type': 'application/json' }, payload: '{"' }),
  },
  {
    what: 'a body that fits no schema, and an invalid query',
    request: (url) => ({
      url: `${url}?limit=abc&unknown=1`,
      headers: { 'content-type': 'application/json' },
      payload: '{"unexpected":[1],"__proto__":{"role":"admin"},"rating":"x"}',
    }),
  },
  {
    what: 'an unsupported content type',
    request: (url) => ({ url, headers: { 'content-type': 'text/plain' }, payload: 'hello' }),
  },
  {
    what: 'a body over the size limit',
    request: (url) => ({
      url,
      headers: { 'content-type': 'application/json' },
      payload: oversizedBody,
    }),
  },
];

describe('authentication before validation', () => {
  it('the document declares a required session on the signed-in operations', () => {
    const declared = operations.filter(declaresRequiredSession).map(nameOf);
    expect(declared.length).toBeGreaterThan(30);
    expect(declared).toContain('createBooking (POST /api/bookings)');
    expect(declared).not.toContain('listMentors (GET /api/mentors)');
  });

  it.each(hostileRequests)(
    'every operation that declares a session answers $what from an anonymous caller with 401',
    async ({ request }) => {
      const wrong: string[] = [];
      for (const documented of operations.filter(declaresRequiredSession)) {
        const url = urlOf(documented.path, () => 'not-an-id');
        const response = await t.app.inject({ method: documented.method, ...request(url) });
        const body = response.json<ErrorBody>();
        expect(Object.keys(body)).toEqual(['error']);
        expect(Object.keys(body.error).sort()).toEqual(['code', 'details', 'message']);
        if (!isRefusedAsAnonymous(response))
          wrong.push(`${nameOf(documented)} → ${response.statusCode} ${response.body}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('the operations that declare a session are exactly those that refuse an anonymous valid request', async () => {
    // What a schema cannot say: a registered account, a date range, a GraphQL query, an id that exists
    // for a route to look up. The rest is generated from the document's own schemas.
    const known: Record<string, string> = {
      email: ACCOUNT,
      password: PASSWORD,
      currentPassword: PASSWORD,
      query: '{ __typename }',
      from: '2030-01-07',
      to: '2030-01-13',
      id: '1',
    };
    const sample = async (schema: SchemaObject) =>
      generate(
        { ...schema, components: document.components },
        {
          seed: 12,
          optionalsProbability: 0,
        },
      );
    const refusing: string[] = [];
    for (const documented of operations) {
      const { method, path, operation } = documented;
      const parameters = operation.parameters ?? [];
      const values = new Map<string, string>();
      for (const parameter of parameters.filter((p) => p.required))
        values.set(parameter.name, known[parameter.name] ?? String(await sample(parameter.schema)));
      const query = parameters
        .filter((p) => p.in === 'query' && values.has(p.name))
        .map((p) => `${p.name}=${encodeURIComponent(values.get(p.name) ?? '')}`)
        .join('&');
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const body = bodySchema ? await sample(bodySchema) : undefined;
      const payload =
        body !== null && typeof body === 'object' && !Array.isArray(body)
          ? {
              ...body,
              ...Object.fromEntries(Object.keys(body).flatMap((k) => (known[k] ? [[k, known[k]]] : []))),
            }
          : body;
      const response = await t.app.inject({
        method,
        url: urlOf(path, (name) => values.get(name) ?? '') + (query ? `?${query}` : ''),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      if (isRefusedAsAnonymous(response)) refusing.push(nameOf(documented));
    }
    expect(refusing.sort()).toEqual(operations.filter(declaresRequiredSession).map(nameOf).sort());
  });
});
