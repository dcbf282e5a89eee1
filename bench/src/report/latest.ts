import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../processes';
import { latestOutboxResults, renderOutboxReport } from './outbox-report';
import { renderReport, type BenchResults } from './report';

/** Renders docs/benchmarks.md (and docs/outbox-delivery.md) from the latest saved full runs; returns what it wrote. */
export function renderLatestFullReport(): string {
  const resultsDir = join(repositoryRoot, 'bench', 'results');
  const latest = readdirSync(resultsDir)
    .filter((name) => name.endsWith('-full.json'))
    .sort()
    .at(-1);
  if (!latest) throw new Error(`No full benchmark results in ${resultsDir}: run npm run bench first.`);
  const results = JSON.parse(readFileSync(join(resultsDir, latest), 'utf8')) as BenchResults;
  const reportFile = join(repositoryRoot, 'docs', 'benchmarks.md');
  renderReport(results, reportFile, join(repositoryRoot, 'docs', 'benchmarks'));
  const outbox = latestOutboxResults(resultsDir);
  if (outbox) renderOutboxReport(outbox, join(repositoryRoot, 'docs', 'outbox-delivery.md'));
  return `${reportFile} from bench/results/${latest}`;
}
