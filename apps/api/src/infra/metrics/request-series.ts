import type { Metric, Registry } from 'prom-client';

type RequestLabels = { method: string; route: string; status_code: string };

/** One (method, route, status) series: the count of requests per latency bucket, their total and their number. */
export class RequestSeries {
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: RequestLabels,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = bounds.map(() => 0);
  }

  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    const bucket = this.bounds.findIndex((bound) => seconds <= bound);
    if (bucket >= 0) this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
  }
}

interface ExportedValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * `http_request_duration_seconds` (a histogram) and `http_requests_total` (its count), kept per series resolved
 * once per (method, route, status): a request adds to its series' numbers, where prom-client's labelled observe
 * would validate and hash the labels and look the bucket up by name on every request. Both metrics are exported in
 * prom-client's text, from the same series.
 */
export class RequestMetrics {
  private readonly series = new Map<string, RequestSeries>();

  constructor(
    registry: Registry,
    private readonly bounds: readonly number[],
  ) {
    this.register(registry, {
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      type: 'histogram',
      values: () => [...this.series.values()].flatMap((series) => this.histogramValues(series)),
    });
    this.register(registry, {
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      type: 'counter',
      values: () =>
        [...this.series.values()].map((series) => ({
          metricName: 'http_requests_total',
          labels: series.labels,
          value: series.count,
        })),
    });
  }

  /** The series of (method, route, status), made on its first request. */
  seriesOf(method: string, route: string, statusCode: number): RequestSeries {
    const key = `${method} ${statusCode} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = new RequestSeries({ method, route, status_code: String(statusCode) }, this.bounds);
      this.series.set(key, series);
    }
    return series;
  }

  private histogramValues(series: RequestSeries): ExportedValue[] {
    const name = 'http_request_duration_seconds';
    let cumulative = 0;
    return [
      ...this.bounds.map((bound, index) => {
        cumulative += series.buckets[index] ?? 0;
        return { metricName: `${name}_bucket`, labels: { ...series.labels, le: bound }, value: cumulative };
      }),
      { metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count },
      { metricName: `${name}_sum`, labels: series.labels, value: series.sum },
      { metricName: `${name}_count`, labels: series.labels, value: series.count },
    ];
  }

  /** A metric as the registry reads it (`get`, `reset`), exported from the series. */
  private register(
    registry: Registry,
    metric: { name: string; help: string; type: 'histogram' | 'counter'; values: () => ExportedValue[] },
  ): void {
    const { name, help, type, values } = metric;
    const exported = {
      name,
      help,
      type,
      aggregator: 'sum',
      get: () => Promise.resolve({ name, help, type, aggregator: 'sum', values: values() }),
      reset: () => {
        this.series.clear();
      },
    };
    registry.registerMetric(exported as unknown as Metric);
  }
}
