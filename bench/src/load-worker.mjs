// Runs one autocannon measurement in its own process (never in the server's) and prints a LoadResult
// (see load.ts) as JSON. Plain JavaScript so it starts in milliseconds. argv[2]: a LoadRequest as JSON.
import autocannon from 'autocannon';

const request = JSON.parse(process.argv[2] ?? '{}');
const run = autocannon({
  url: request.url,
  connections: request.connections,
  duration: request.durationSeconds,
  ...(request.requests ? { requests: request.requests } : {}),
});
const timeline = [];
if (request.timeline)
  run.on('response', (_client, _status, _bytes, latencyMs) => timeline.push([Date.now(), latencyMs]));
const result = await run;
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    latency: {
      p50: result.latency.p50,
      p97_5: result.latency.p97_5,
      p99: result.latency.p99,
      average: result.latency.average,
      max: result.latency.max,
    },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(request.timeline ? { timeline } : {}),
  }),
);
