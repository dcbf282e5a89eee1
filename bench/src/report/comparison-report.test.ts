import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Measurement } from '../measure';
import { renderComparison, type ComparisonResults } from './comparison-report';

/** A round measured at `requestsPerSecond`, costing `cpuMsPerRequest`. */
function round(requestsPerSecond: number, cpuMsPerRequest: number): Measurement {
  return {
    scenario: 'mentors',
    requestsPerSecond,
    latency: { p50: 1, p97_5: 2, p99: 3, average: 1, max: 4 },
    total: requestsPerSecond * 5,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statements: null,
    cpuMsPerRequest,
    rssMiB: 100,
    hitRatio: null,
  };
}

const machine = {
  cpu: 'test CPU',
  cores: 2,
  memoryGiB: 24,
  os: 'Linux',
  node: 'v20',
  postgres: 'PostgreSQL 15',
  redis: 'Redis 7',
  commit: 'aaaaaaa',
  loadAverage: [0, 0, 0],
};

describe('the build comparison report', () => {
  it('reads each build by the median of its rounds and its spread by its fastest over its slowest', () => {
    const results: ComparisonResults = {
      profile: 'quick',
      startedAt: '2026-12-05T03:00:00.000Z',
      finishedAt: '2026-12-05T03:10:00.000Z',
      machine,
      loadAverageAfter: [0, 0, 0],
      builds: { this: 'aaaaaaa', other: 'bbbbbbb' },
      settings: { connections: 20, rounds: 3, warmupSeconds: 1, durationSeconds: 1 },
      scenarios: [{ id: 'mentors', label: 'GET /api/mentors' }],
      runs: [
        // This build: medians 2,000 req/s and 0.5 ms; the other: 1,000 req/s and 1 ms, its rounds 800–1,200.
        {
          mode: 'cache-off',
          scenario: 'mentors',
          this: [round(1_900, 0.6), round(2_000, 0.5), round(2_100, 0.4)],
          other: [round(800, 1.2), round(1_000, 1), round(1_200, 0.9)],
        },
        { mode: 'cache-on', scenario: 'mentors', this: [round(10_000, 0.1)], other: [round(10_000, 0.1)] },
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'comparison-report-')), 'comparison.md');
    renderComparison(results, file);
    const report = readFileSync(file, 'utf8');
    expect(report).toContain(
      '| GET /api/mentors | 2,000 | 1,000 | 2.00× | ±50 % | 500 µs | 1,000 µs | 0.50× | 3.00 ms / 3.00 ms |',
    );
    expect(report).toContain(
      '| GET /api/mentors | 10,000 | 10,000 | 1.00× | ±0 % | 100 µs | 100 µs | 1.00× | 3.00 ms / 3.00 ms |',
    );
    expect(report).toContain('--quick');
  });
});
