import { describe, expect, it } from 'vitest';
import { groupedBarChart, lineChart, type GroupedBarChart, type LineChart } from './svg-charts';

/** Stack-based tag matcher; enough for our output because every text node is escaped. */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" ')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  for (const match of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = match;
    if (name === undefined) continue;
    if (selfClosing === '/') continue;
    if (closing === '/') expect(stack.pop()).toBe(name);
    else stack.push(name);
  }
  expect(stack).toEqual([]);
  // Bare ampersands (not an entity) would make the document invalid XML.
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Visible text of every <text class="…"> element, tooltip children stripped. */
function textsOf(svg: string, className: string): string[] {
  const pattern = new RegExp(`<text class="${className}"[^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>`, 'g');
  return Array.from(svg.matchAll(pattern), (m) => decode(m[1] ?? ''));
}

function parseCompact(label: string): number {
  const multipliers: Record<string, number> = { k: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  const suffix = label.slice(-1);
  const multiplier = multipliers[suffix];
  return multiplier === undefined ? Number(label) : Number(label.slice(0, -1)) * multiplier;
}

function expectNiceTicks(ticks: number[]): void {
  expect(ticks.length).toBeGreaterThanOrEqual(4);
  expect(ticks.length).toBeLessThanOrEqual(6);
  const step = (ticks[1] ?? NaN) - (ticks[0] ?? NaN);
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
  ticks.forEach((tick, i) => {
    expect(tick).toBeCloseTo((ticks[0] ?? NaN) + i * step, 9);
  });
}

function barChart(overrides: Partial<GroupedBarChart> = {}): GroupedBarChart {
  return {
    title: 'Throughput',
    unit: 'req/s',
    categories: ['GET /api/mentors', 'GET /api/courses', 'POST /api/sessions'],
    series: [
      { name: 'baseline', values: [28464, 0.73, 1234567] },
      { name: 'optimized', values: [31000, 1.5, 1300000] },
    ],
    ...overrides,
  };
}

function growthChart(overrides: Partial<LineChart> = {}): LineChart {
  return {
    title: 'Lesson list latency',
    xLabel: 'lessons',
    yLabel: 'p95 latency (ms)',
    logX: true,
    series: [
      {
        name: 'seq scan',
        points: [
          { x: 10_000, y: 12.4 },
          { x: 100_000, y: 118 },
          { x: 1_000_000, y: 1234.5 },
        ],
      },
      {
        name: 'index',
        points: [
          { x: 10_000, y: 2.1 },
          { x: 100_000, y: 2.6 },
          { x: 1_000_000, y: 3.4 },
        ],
      },
    ],
    ...overrides,
  };
}

describe('groupedBarChart', () => {
  it('renders a well-formed standalone SVG with an opaque background', () => {
    const svg = groupedBarChart(barChart());
    expectWellFormed(svg);
    expect(svg).toMatch(/^<svg [^>]*width="900" height="\d+(\.\d)?" viewBox="0 0 900 \d+(\.\d)?"/);
    expect(svg).toContain('fill="#ffffff"');
    expect(svg).toContain('fill="#1f2937"');
  });

  it('labels legend, categories and bars with compact values', () => {
    const svg = groupedBarChart(barChart());
    expect(textsOf(svg, 'legend')).toEqual(['baseline', 'optimized']);
    expect(textsOf(svg, 'category')).toEqual(['GET /api/mentors', 'GET /api/courses', 'POST /api/sessions']);
    expect(textsOf(svg, 'value')).toEqual(['28.5k', '31k', '0.73', '1.5', '1.23M', '1.3M']);
    expect(textsOf(svg, 'axis-label')).toEqual(['req/s']);
    // Every text element is one of the labels above, plus the title.
    const labelCount = 1 + 2 + 3 + 6 + 1 + textsOf(svg, 'tick').length;
    expect(svg.match(/<text /g)).toHaveLength(labelCount);
  });

  it('escapes XML special characters everywhere', () => {
    const svg = groupedBarChart(
      barChart({
        title: 'Before <b>& after',
        unit: '"ms" & \'p95\'',
        categories: ['<b>&', 'a', 'b'],
        series: [{ name: 'x < y & "z"', values: [1, 2, 3] }],
      }),
    );
    expectWellFormed(svg);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('Before &lt;b&gt;&amp; after');
    expect(svg).toContain('&quot;ms&quot; &amp; &apos;p95&apos;');
    expect(textsOf(svg, 'category')[0]).toBe('<b>&');
    expect(textsOf(svg, 'legend')).toEqual(['x < y & "z"']);
  });

  it.each([[0.73], [1], [7], [99], [101], [28464], [1234567], [0.0042]])(
    'uses nice ticks for max %d',
    (max) => {
      const svg = groupedBarChart(barChart({ series: [{ name: 's', values: [max / 3, max, max / 2] }] }));
      expectNiceTicks(textsOf(svg, 'tick').map(parseCompact));
    },
  );

  it('survives all-zero, NaN, Infinity and missing values', () => {
    const zeros = groupedBarChart(barChart({ series: [{ name: 's', values: [0, 0, 0] }] }));
    expectWellFormed(zeros);
    expectNiceTicks(textsOf(zeros, 'tick').map(parseCompact));
    expect(textsOf(zeros, 'value')).toEqual(['0', '0', '0']);

    const gaps = groupedBarChart(barChart({ series: [{ name: 's', values: [NaN, 5, Infinity] }] }));
    expectWellFormed(gaps);
    // Only the finite value becomes a bar; the others are flagged rather than drawn as zero.
    expect(gaps.match(/class="bar"/g)).toHaveLength(1);
    expect(textsOf(gaps, 'value')).toEqual(['n/a', '5', 'n/a']);

    const short = groupedBarChart(barChart({ series: [{ name: 's', values: [3] }] }));
    expect(textsOf(short, 'value')).toEqual(['3', 'n/a', 'n/a']);
  });

  it('handles a single category, no categories and no series', () => {
    const single = groupedBarChart(barChart({ categories: ['only'], series: [{ name: 's', values: [42] }] }));
    expectWellFormed(single);
    expect(textsOf(single, 'value')).toEqual(['42']);
    expectWellFormed(groupedBarChart(barChart({ categories: [] })));
    expectWellFormed(groupedBarChart(barChart({ series: [] })));
  });

  it('supports a log scale and skips values it cannot place', () => {
    const svg = groupedBarChart(
      barChart({ logScale: true, series: [{ name: 's', values: [1200, 0, 0.8] }], unit: 'ms' }),
    );
    expectWellFormed(svg);
    expect(textsOf(svg, 'tick')).toEqual(['0.1', '1', '10', '100', '1k', '10k']);
    expect(textsOf(svg, 'axis-label')).toEqual(['ms (log scale)']);
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
  });

  it('truncates long category labels and keeps the full text as a tooltip', () => {
    const long = 'GET /api/mentors?q=typescript&expertise=go,rust&minPriceCents=1000 (search)';
    const svg = groupedBarChart(barChart({ categories: [long, 'b', 'c'] }));
    const shown = textsOf(svg, 'category')[0] ?? '';
    expect(Array.from(shown)).toHaveLength(40);
    expect(shown.endsWith('…')).toBe(true);
    expect(long.startsWith(shown.slice(0, -1))).toBe(true);
    expect(svg).toContain(`<title>${long.replace(/&/g, '&amp;')}</title>`);
  });

  it('grows taller with more categories and series', () => {
    const height = (svg: string): number => Number(/height="([\d.]+)"/.exec(svg)?.[1]);
    const small = height(groupedBarChart(barChart()));
    const moreCategories = height(
      groupedBarChart(barChart({ categories: ['a', 'b', 'c', 'd', 'e', 'f'], series: barChart().series })),
    );
    const moreSeries = height(
      groupedBarChart(barChart({ series: [...barChart().series, { name: 'third', values: [1, 2, 3] }] })),
    );
    expect(moreCategories).toBeGreaterThan(small);
    expect(moreSeries).toBeGreaterThan(small);
  });

  it('does not hang on extreme magnitudes', () => {
    const svg = groupedBarChart(
      barChart({ series: [{ name: 's', values: [Number.MAX_VALUE, -Number.MAX_VALUE, 1] }] }),
    );
    expectWellFormed(svg);
  });

  it('is deterministic and leaves its input untouched', () => {
    const input = barChart();
    const snapshot = structuredClone(input);
    expect(groupedBarChart(input)).toBe(groupedBarChart(input));
    expect(input).toEqual(snapshot);
  });
});

describe('lineChart', () => {
  it('renders markers, a value label per point, legend and log-x ticks', () => {
    const svg = lineChart(growthChart());
    expectWellFormed(svg);
    expect(textsOf(svg, 'legend')).toEqual(['seq scan', 'index']);
    expect(textsOf(svg, 'value')).toEqual(['12.4', '118', '1.23k', '2.1', '2.6', '3.4']);
    expect(textsOf(svg, 'axis-label')).toEqual(['lessons (log scale)', 'p95 latency (ms)']);
    const xTicks = textsOf(svg, 'tick').filter((t) => t.endsWith('k') || t.endsWith('M'));
    expect(xTicks).toEqual(expect.arrayContaining(['10k', '100k', '1M']));
    expect(svg.match(/<polyline /g)).toHaveLength(2);
  });

  it('uses nice y ticks and a nice linear x axis', () => {
    const svg = lineChart(
      growthChart({
        logX: false,
        series: [
          {
            name: 'a',
            points: [
              { x: 1, y: 3 },
              { x: 64, y: 87 },
            ],
          },
        ],
      }),
    );
    const ticks = textsOf(svg, 'tick').map(parseCompact);
    // Y ticks come first (right-aligned column), then x ticks.
    const split = ticks.findIndex((t, i) => i > 0 && t < (ticks[i - 1] ?? 0));
    expectNiceTicks(ticks.slice(0, split));
    expectNiceTicks(ticks.slice(split));
  });

  it('keeps labels of clustered points apart', () => {
    const svg = lineChart(
      growthChart({
        series: ['a', 'b', 'c', 'd'].map((name, i) => ({
          name,
          points: [
            { x: 10_000, y: 1 + i * 0.1 },
            { x: 1_000_000, y: 2 + i * 0.1 },
          ],
        })),
      }),
    );
    const boxes = Array.from(svg.matchAll(/<text class="value" x="([\d.]+)" y="([\d.]+)"/g), (m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
    }));
    expect(boxes).toHaveLength(8);
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = Math.abs(a.x - b.x) > 30 || Math.abs(a.y - b.y) >= 11;
        expect(apart).toBe(true);
      }
    }
  });

  it('makes room above the plot when a cluster of labels at the top would reach the legend', () => {
    const svg = lineChart(
      growthChart({
        logX: true,
        series: Array.from({ length: 6 }, (_, i) => ({
          name: `s${i}`,
          points: [
            { x: 1000, y: 50 },
            { x: 20_000, y: 100 - i * 0.2 },
          ],
        })),
      }),
    );
    const legendBottom = Math.max(
      ...Array.from(svg.matchAll(/<text class="legend" x="[\d.]+" y="([\d.]+)"/g), (m) => Number(m[1])),
    );
    const labelTops = Array.from(
      svg.matchAll(/<text class="value" x="[\d.]+" y="([\d.]+)"/g),
      (m) => Number(m[1]) - 11,
    );
    expect(labelTops).toHaveLength(12);
    expect(Math.min(...labelTops)).toBeGreaterThan(legendBottom);
    // A range under two decades snaps to 1/2/5 bounds instead of padding out to whole decades.
    expect(textsOf(svg, 'tick').filter((t) => t.endsWith('k'))).toEqual(['1k', '2k', '5k', '10k', '20k']);
  });

  it('skips NaN points, non-positive x on a log axis, and empty series without throwing', () => {
    const svg = lineChart(
      growthChart({
        series: [
          {
            name: 'gappy',
            points: [
              { x: 0, y: 5 },
              { x: 10, y: NaN },
              { x: 100, y: 7 },
              { x: Number.NaN, y: 1 },
            ],
          },
          { name: 'empty', points: [] },
        ],
      }),
    );
    expectWellFormed(svg);
    expect(textsOf(svg, 'value')).toEqual(['7']);
    expect(textsOf(svg, 'legend')).toEqual(['gappy', 'empty']);
    expectWellFormed(lineChart(growthChart({ series: [] })));
    const zeros = lineChart(growthChart({ series: [{ name: 'z', points: [{ x: 10, y: 0 }] }] }));
    expectWellFormed(zeros);
    expect(textsOf(zeros, 'value')).toEqual(['0']);
  });

  it('escapes text and is deterministic', () => {
    const chart = growthChart({ title: '<b>&', xLabel: "x's", yLabel: '"y"' });
    const svg = lineChart(chart);
    expectWellFormed(svg);
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('x&apos;s (log scale)');
    expect(svg).toContain('&quot;y&quot;');
    expect(lineChart(chart)).toBe(svg);
  });
});
