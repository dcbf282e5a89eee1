// `npm run report --workspace @mentorhub/bench` (the last step of `npm run lighthouse`): renders docs/benchmarks.md
// again from the latest full run's saved results, so a newer Lighthouse or outbox measurement (which the report
// includes) shows without re-running the load tests.
import { renderLatestFullReport } from './report/latest';

try {
  console.log(`Rendered ${renderLatestFullReport()}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
