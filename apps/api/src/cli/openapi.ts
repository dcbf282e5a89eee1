// openapi — writes the OpenAPI document to dist/openapi.json (what `npm run openapi:lint` lints) and the client
// types generated from it to test/generated/openapi.ts.
import { mkdir, writeFile } from 'node:fs/promises';
import { buildOpenApiDocument, clientTypesFile, documentFile, renderClientTypes } from './openapi-document';

const document = await buildOpenApiDocument();
await mkdir(new URL('.', documentFile), { recursive: true });
await writeFile(documentFile, `${JSON.stringify(document, null, 2)}\n`);
await writeFile(clientTypesFile, await renderClientTypes(document));
console.log('Wrote apps/api/dist/openapi.json and apps/api/test/generated/openapi.ts');
