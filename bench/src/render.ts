// `npm run report --workspace @mentorhub/bench` (the last step of `npm run lighthouse`): renders docs/benchmarks.md
// again from the latest full run's saved results, so a newer Lighthouse measurement (docs/lighthouse.md, which the
// report includes) shows without re-running the load tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './processes';
import { renderReport, type BenchResults } from './report/report';

const resultsDir = join(repositoryRoot, 'bench', 'results');
const latest = readdirSync(resultsDir)
  .filter((name) => name.endsWith('-full.json'))
  .sort()
  .at(-1);
if (!latest) {
  console.error(`No full benchmark results in ${resultsDir}: run npm run bench first.`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(join(resultsDir, latest), 'utf8')) as BenchResults;
const reportFile = join(repositoryRoot, 'docs', 'benchmarks.md');
renderReport(results, reportFile, join(repositoryRoot, 'docs', 'benchmarks'));
console.log(`Rendered ${reportFile} from bench/results/${latest}`);
