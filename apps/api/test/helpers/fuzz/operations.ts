import type { FastifyInstance } from 'fastify';

/** A JSON Schema as the OpenAPI document gives it (zod's output, OpenAPI 3.0 flavour). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  multipleOf?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. `/api/mentors/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The documented JSON body, if the operation takes one. */
  jsonBody: JsonSchema | undefined;
  /** Other documented body media types (e.g. images). */
  otherBodyTypes: string[];
  bodyRequired: boolean;
  /** The document says a session is required (`security: [{ session: [] }]`). */
  needsSession: boolean;
}

interface OpenApiOperation {
  parameters?: (Omit<Parameter, 'schema'> & { schema?: JsonSchema })[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, string[]>[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
  security?: Record<string, string[]>[];
}

const methods = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** Replaces every `$ref` to a component with the component itself (request schemas are not recursive). */
function inline(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nests too deep to inline');
  if (schema.$ref) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) throw new Error(`unknown $ref ${schema.$ref}`);
    return inline(target, components, depth + 1);
  }
  const out: Record<string, unknown> = { ...schema };
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value) {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [
          name,
          inline(child, components, depth + 1),
        ]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      out[key] = inline(value as JsonSchema, components, depth + 1);
    } else if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      out[key] = (value as JsonSchema[]).map((child) => inline(child, components, depth + 1));
    }
  }
  return out;
}

/** Whether a security requirement list demands a session (an empty object in it means "or anonymous"). */
function requiresSession(security: Record<string, string[]>[] | undefined): boolean {
  return !!security && security.length > 0 && security.every((requirement) => 'session' in requirement);
}

/** Every operation of the app's own OpenAPI document, with its schemas inlined. */
export async function readOperations(app: FastifyInstance): Promise<Operation[]> {
  const response = await app.inject('/api/openapi.json');
  if (response.statusCode !== 200) throw new Error(`no OpenAPI document: ${response.statusCode}`);
  const document = response.json<OpenApiDocument>();
  const components = document.components?.schemas ?? {};
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.has(method)) continue;
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: parameter.required,
          schema: inline(parameter.schema ?? {}, components),
        })),
        jsonBody: json ? inline(json, components) : undefined,
        otherBodyTypes: Object.keys(content).filter((type) => type !== 'application/json'),
        bodyRequired: operation.requestBody?.required ?? false,
        needsSession: requiresSession(operation.security ?? document.security),
      });
    }
  }
  return operations;
}
