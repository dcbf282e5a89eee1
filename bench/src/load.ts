/** What the load worker (load-worker.mjs, its own process) is asked to do and what it reports. */
export interface LoadRequest {
  url: string;
  connections: number;
  durationSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  latency: { p50: number; p97_5: number; p99: number; average: number; max: number };
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
