// db:explain — EXPLAIN (ANALYZE, BUFFERS) of every hot query on the configured database; flags sequential
// scans of large tables. `--strict` exits 1 when any is found; `--large-table-rows N` sets what "large" means;
// `--json` prints the reports as one JSON array (for the benchmark report) instead of text.
import { parseArgs } from 'node:util';
import { openDatabase, pgliteDataDir } from '@mentorhub/db';
import { loadConfig } from '../config/config';
import { explainHotQuery, tableSizes } from '../infra/profiler/explain';
import { hotQueries } from '../modules/hot-queries';

const { values } = parseArgs({
  options: {
    strict: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'large-table-rows': { type: 'string', default: '10000' },
  },
});
const largeTableRows = Number(values['large-table-rows']);
const config = loadConfig();
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: pgliteDataDir(config),
  poolSize: 1,
  transactionPooling: config.DATABASE_TRANSACTION_POOLING,
});
let flagged = 0;
try {
  const sizes = await tableSizes(database.db);
  const reports = [];
  for (const hotQuery of hotQueries) {
    const report = await explainHotQuery(database.db, hotQuery, sizes, largeTableRows);
    reports.push(report);
    if (report.largeSeqScans.length > 0) flagged += 1;
    if (values.json) continue;
    const verdict =
      report.largeSeqScans.length > 0 ? `⚠ SEQ SCAN on ${report.largeSeqScans.join(', ')}` : '✓ indexed';
    console.log(`\n${report.name} — ${report.executionMs.toFixed(3)} ms — ${verdict}`);
    console.log(`  indexes: ${report.indexesUsed.join(', ') || '(none)'}`);
    console.log(report.text.replace(/^/gm, '  '));
  }
  if (values.json) console.log(JSON.stringify(reports));
  else {
    console.log(
      `\n${hotQueries.length} hot queries, ${flagged} with a sequential scan of a table over ${largeTableRows} rows.`,
    );
  }
} finally {
  await database.close();
}
if (values.strict && flagged > 0) process.exitCode = 1;
