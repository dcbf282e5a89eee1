/** What the load worker (load-worker.mjs, its own process) is asked to do and what it reports. */
/** One request of a mixed sequence; each connection cycles through the sequence in order. */
export interface SequencedRequest {
  method: 'GET' | 'PATCH' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadRequest {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Instead of GET `url`: this sequence of requests against the origin of `url`. */
  requests?: SequencedRequest[];
  /** Also report every response's arrival time and latency (to look at a window inside the run). */
  timeline?: boolean;
}

/** One response: when it arrived (epoch ms) and how long it took (ms). */
export type TimedResponse = [arrivedAt: number, latencyMs: number];

export interface LoadResult {
  requestsPerSecond: number;
  latency: { p50: number; p97_5: number; p99: number; average: number; max: number };
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  timeline?: TimedResponse[];
}
