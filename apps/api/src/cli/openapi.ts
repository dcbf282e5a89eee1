// openapi — writes the OpenAPI document to dist/openapi.json (what `npm run openapi:lint` lints).
// openapi --client — writes the client types generated from it to test/generated/openapi.ts instead (committed).
import { mkdir, writeFile } from 'node:fs/promises';
import { buildOpenApiDocument, clientTypesFile, documentFile, renderClientTypes } from './openapi-document';

const document = await buildOpenApiDocument();
if (process.argv.includes('--client')) {
  await writeFile(clientTypesFile, await renderClientTypes(document));
  console.log('Wrote apps/api/test/generated/openapi.ts');
} else {
  await mkdir(new URL('.', documentFile), { recursive: true });
  await writeFile(documentFile, `${JSON.stringify(document, null, 2)}\n`);
  console.log('Wrote apps/api/dist/openapi.json');
}
