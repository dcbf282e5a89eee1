// openapi [file] — writes the OpenAPI document (default: dist/openapi.json) from the routes themselves: the app is
// built on an empty in-memory database and never listens, so neither a server nor a database server is needed.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openDatabase } from '@mentorhub/db';
import { buildApp } from '../app';
import { loadConfig } from '../config/config';

const file = process.argv[2] ?? 'dist/openapi.json';
// The defaults, not this shell's environment: the document describes the API as shipped.
const app = await buildApp(loadConfig({ LOG_LEVEL: 'warn' }), {
  database: await openDatabase({ dataDir: 'memory://' }),
});
try {
  await app.ready();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  console.log(`Wrote ${file}`);
} finally {
  await app.close();
}
