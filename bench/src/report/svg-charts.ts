// Benchmark charts as standalone SVG strings for the Markdown report. No DOM and no dependencies, so the
// report generator can write them next to the .md file and GitHub renders them as plain images.

export interface BarSeries {
  name: string;
  /** One value per category; NaN, Infinity or a missing entry draws no bar. */
  values: number[];
}

export interface GroupedBarChart {
  title: string;
  unit: string;
  categories: string[];
  series: BarSeries[];
  logScale?: boolean;
}

export interface LinePoint {
  x: number;
  y: number;
}

export interface LineSeries {
  name: string;
  points: LinePoint[];
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  logX?: boolean;
}

const WIDTH = 900;
const PAD = 16;
const FONT_FAMILY = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif";
const TEXT_COLOR = '#1f2937';
const MUTED_COLOR = '#6b7280';
const GRID_COLOR = '#e5e7eb';
const AXIS_COLOR = '#9ca3af';
const BAND_COLOR = '#f6f8fa';
// Okabe–Ito: distinguishable under the common colour-vision deficiencies.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const MAX_LABEL_CHARS = 40;
const TITLE_SIZE = 18;
const LABEL_SIZE = 12;
const VALUE_SIZE = 11;
// Average glyph width as a fraction of the font size; deliberately generous so estimates never undershoot.
const CHAR_WIDTH_EM = 0.6;

// ---------------------------------------------------------------------------------------------------------
// Text and numbers
// ---------------------------------------------------------------------------------------------------------

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Coordinates rounded to 0.1 px keep the output short and byte-for-byte stable. */
function px(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

function textWidth(text: string, fontSize: number): number {
  return Array.from(text).length * fontSize * CHAR_WIDTH_EM;
}

/** Array.from splits by code point, so an emoji or accented letter is never cut in half. */
function truncate(text: string, maxChars: number): string {
  const chars = Array.from(text);
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`;
}

function toSignificant(value: number): string {
  // Number() drops the trailing zeros toPrecision leaves behind ("0.730" → 0.73).
  return String(Number(value.toPrecision(3)));
}

const SUFFIXES = [
  { scale: 1e12, suffix: 'T' },
  { scale: 1e9, suffix: 'B' },
  { scale: 1e6, suffix: 'M' },
  { scale: 1e3, suffix: 'k' },
] as const;

/** 28464 → "28.5k", 0.73 → "0.73", 1234567 → "1.23M". */
function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value === 0) return '0';
  // Round first so 999.7 becomes "1k" rather than "1000".
  const rounded = Number(Math.abs(value).toPrecision(3));
  const sign = value < 0 ? '-' : '';
  for (const { scale, suffix } of SUFFIXES) {
    if (rounded >= scale) return `${sign}${toSignificant(rounded / scale)}${suffix}`;
  }
  return `${sign}${toSignificant(rounded)}`;
}

/** Removes binary noise such as 0.30000000000000004 so tick labels stay nice. */
function cleanFloat(value: number): number {
  return Number(value.toPrecision(12));
}

function powerOfTen(exponent: number): number {
  // Parsing "1e-3" is exact, unlike 10 ** -3 in some engines.
  return Number(`1e${exponent}`);
}

function isFiniteNumber(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function minOf(values: number[]): number {
  return values.reduce((min, v) => Math.min(min, v), Infinity);
}

function maxOf(values: number[]): number {
  return values.reduce((max, v) => Math.max(max, v), -Infinity);
}

// ---------------------------------------------------------------------------------------------------------
// Axes
// ---------------------------------------------------------------------------------------------------------

interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  log: boolean;
}

const NICE_MANTISSAS = [1, 2, 2.5, 5] as const;
const MAX_INTERVALS = 5;

/**
 * Ticks at 1, 2, 2.5 or 5 × 10^k. Candidates are walked from small to large and the first one with at most
 * five intervals wins; neighbouring candidates differ by at most 2.5×, which keeps the count at 4–6 ticks.
 */
function niceLinearTicks(lo: number, hi: number): number[] {
  // Spans near Number.MAX_VALUE overflow to Infinity and would never find a step.
  if (!Number.isFinite(hi - lo)) return [lo, hi];
  let exponent = Math.floor(Math.log10(hi - lo)) - 1;
  for (;;) {
    for (const mantissa of NICE_MANTISSAS) {
      const step = mantissa * powerOfTen(exponent);
      const first = Math.floor(lo / step + 1e-9);
      const last = Math.ceil(hi / step - 1e-9);
      if (last - first <= MAX_INTERVALS) {
        return Array.from({ length: last - first + 1 }, (_, i) => cleanFloat((first + i) * step));
      }
    }
    exponent += 1;
  }
}

/** Bars and latencies are magnitudes, so the axis always includes zero. */
function linearAxis(values: number[]): Axis {
  let lo = Math.min(0, minOf(values));
  let hi = Math.max(0, maxOf(values));
  if (lo === hi) {
    // All zero (or no data): an arbitrary unit range still draws a sensible empty axis.
    lo = 0;
    hi = 1;
  }
  const ticks = niceLinearTicks(lo, hi);
  return { lo: ticks[0] ?? lo, hi: ticks[ticks.length - 1] ?? hi, ticks, log: false };
}

/** Data sizes (10k … 1M) do not start at zero, so a linear x axis only includes zero when it is cheap. */
function linearXAxis(values: number[]): Axis {
  const min = minOf(values);
  const max = maxOf(values);
  if (!Number.isFinite(min) || min === max) return linearAxis(values);
  const lo = min >= 0 && min < max / 2 ? 0 : min;
  const ticks = niceLinearTicks(lo, max);
  return { lo: ticks[0] ?? lo, hi: ticks[ticks.length - 1] ?? max, ticks, log: false };
}

const LOG_MANTISSAS = [1, 2, 5] as const;

/** 1, 2 or 5 × 10^k nearest to value in the given direction, so narrow log axes do not waste a whole decade. */
function logNice(value: number, direction: 'floor' | 'ceil'): number {
  const exponent = Math.floor(Math.log10(value) + 1e-9);
  const candidates = [...LOG_MANTISSAS, 10].map((m) => cleanFloat(m * powerOfTen(exponent)));
  const match =
    direction === 'floor'
      ? candidates.filter((c) => c <= value * (1 + 1e-9)).pop()
      : candidates.find((c) => c >= value * (1 - 1e-9));
  return match ?? value;
}

/** The nice value just below a 1/2/5 value: 1 → 0.5, 2 → 1, 5 → 2. */
function logNiceBelow(value: number): number {
  return logNice(value * 0.99, 'floor');
}

function mantissaOf(value: number): number {
  return cleanFloat(value / powerOfTen(Math.floor(Math.log10(value) + 1e-9)));
}

function log125Ticks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi) - 1e-9); e += 1) {
    for (const m of LOG_MANTISSAS) {
      const tick = cleanFloat(m * powerOfTen(e));
      if (tick >= lo * (1 - 1e-9) && tick <= hi * (1 + 1e-9)) ticks.push(tick);
    }
  }
  if (ticks.length <= MAX_INTERVALS + 1) return ticks;
  // Too crowded: drop the 2s but keep both ends so the axis still starts and ends on a label.
  return ticks.filter((t, i) => i === 0 || i === ticks.length - 1 || mantissaOf(t) !== 2);
}

/** Which multiples of each decade get a label on a decade-bounded axis. */
function logTickMultiples(decades: number): number[] {
  return decades === 2 ? [1, 5] : [1];
}

function decadeAxis(min: number, max: number, padBaseline: boolean): Axis {
  let loExp = Math.floor(Math.log10(min) + 1e-9);
  // A bar exactly at the baseline would have zero length and look missing.
  if (padBaseline && cleanFloat(powerOfTen(loExp)) === min) loExp -= 1;
  const hiExp = Math.ceil(Math.log10(max) - 1e-9);
  const decades = hiExp - loExp;
  const multiples = logTickMultiples(decades);
  // Beyond ~6 decades label every n-th decade only, so labels never collide.
  const stride = Math.max(1, Math.ceil(decades / MAX_INTERVALS));
  const ticks: number[] = [];
  for (let e = loExp; e <= hiExp; e += 1) {
    if ((e - loExp) % stride !== 0 && e !== hiExp) continue;
    for (const m of multiples) {
      if (e === hiExp && m > 1) break;
      ticks.push(cleanFloat(m * powerOfTen(e)));
    }
  }
  return { lo: powerOfTen(loExp), hi: powerOfTen(hiExp), ticks, log: true };
}

/**
 * Wide ranges get decade bounds; ranges under two decades snap to 1/2/5 values instead, otherwise a
 * 1k–20k axis would run to 100k and squeeze the data into the left half.
 */
function logAxis(values: number[], padBaseline: boolean): Axis {
  const positive = values.filter((v) => v > 0);
  if (positive.length === 0) return { lo: 1, hi: 10, ticks: [1, 2, 5, 10], log: true };
  const min = minOf(positive);
  const max = maxOf(positive);
  if (Math.log10(max) - Math.log10(min) >= 2) return decadeAxis(min, max, padBaseline);
  let lo = logNice(min, 'floor');
  if (padBaseline && lo === min) lo = logNiceBelow(lo);
  let hi = logNice(max, 'ceil');
  if (hi <= lo) hi = logNice(lo * 1.01, 'ceil');
  return { lo, hi, ticks: log125Ticks(lo, hi), log: true };
}

function canPlot(axis: Axis, value: number | undefined): value is number {
  return isFiniteNumber(value) && (!axis.log || value > 0);
}

/** Maps a domain value to pixels; callers check canPlot first. */
function project(axis: Axis, value: number, start: number, end: number): number {
  const t = axis.log
    ? (Math.log10(value) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo))
    : (value - axis.lo) / (axis.hi - axis.lo);
  return start + t * (end - start);
}

// ---------------------------------------------------------------------------------------------------------
// SVG primitives
// ---------------------------------------------------------------------------------------------------------

interface TextOptions {
  x: number;
  y: number;
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'bold';
  fill?: string;
  className?: string;
  transform?: string;
  /** Full text for a hover tooltip when the visible text was truncated. */
  tooltip?: string;
  /** A white outline keeps labels legible where they cross lines or gridlines. */
  halo?: boolean;
}

function text(content: string, options: TextOptions): string {
  const attrs = [
    options.className === undefined ? '' : ` class="${options.className}"`,
    ` x="${px(options.x)}" y="${px(options.y)}"`,
    ` font-size="${options.size ?? LABEL_SIZE}"`,
    options.anchor === undefined || options.anchor === 'start' ? '' : ` text-anchor="${options.anchor}"`,
    options.weight === undefined ? '' : ` font-weight="${options.weight}"`,
    ` fill="${options.fill ?? TEXT_COLOR}"`,
    options.transform === undefined ? '' : ` transform="${options.transform}"`,
    options.halo === true
      ? ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
      : '',
  ].join('');
  const tooltip = options.tooltip === undefined ? '' : `<title>${escapeXml(options.tooltip)}</title>`;
  return `<text${attrs}>${tooltip}${escapeXml(content)}</text>`;
}

/** Truncates long labels and keeps the full text as a hover tooltip. */
function labelText(content: string, maxChars: number, options: TextOptions): string {
  const visible = truncate(content, maxChars);
  return text(visible, visible === content ? options : { ...options, tooltip: content });
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="${width}"/>`;
}

function rect(x: number, y: number, width: number, height: number, fill: string, extra = ''): string {
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(height)}" fill="${fill}"${extra}/>`;
}

function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length] ?? TEXT_COLOR;
}

function svgDocument(title: string, height: number, body: string[]): string {
  const h = px(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${h}" viewBox="0 0 ${WIDTH} ${h}"` +
      ` role="img" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(title)}</title>`,
    // Opaque background: GitHub's dark theme would otherwise show dark text on a dark page.
    rect(0.5, 0.5, WIDTH - 1, height - 1, '#ffffff', ' rx="8" stroke="#d0d7de"'),
    ...body,
    '</svg>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Title and legend
// ---------------------------------------------------------------------------------------------------------

type Swatch = (x: number, centerY: number, index: number) => string;

interface Header {
  svg: string[];
  /** First free y below the header. */
  bottom: number;
}

const TITLE_MAX_CHARS = Math.floor((WIDTH - 2 * PAD) / (TITLE_SIZE * CHAR_WIDTH_EM));
const LEGEND_ROW = 20;
const LEGEND_SWATCH = 20;

function renderHeader(title: string, names: string[], swatch: Swatch): Header {
  const svg = [
    labelText(title, TITLE_MAX_CHARS, { x: PAD + 4, y: PAD + TITLE_SIZE, size: TITLE_SIZE, weight: 'bold' }),
  ];
  let x = PAD + 4;
  let rowY = PAD + TITLE_SIZE + 22;
  names.forEach((name, index) => {
    const visible = truncate(name, MAX_LABEL_CHARS);
    const itemWidth = LEGEND_SWATCH + 6 + textWidth(visible, LABEL_SIZE) + 18;
    // Wrap to a new row rather than running off the right edge.
    if (x > PAD + 4 && x + itemWidth > WIDTH - PAD) {
      x = PAD + 4;
      rowY += LEGEND_ROW;
    }
    svg.push(swatch(x, rowY, index));
    svg.push(
      labelText(name, MAX_LABEL_CHARS, { x: x + LEGEND_SWATCH + 6, y: rowY + 4, className: 'legend' }),
    );
    x += itemWidth;
  });
  return { svg, bottom: names.length > 0 ? rowY + 12 : PAD + TITLE_SIZE + 8 };
}

const barSwatch: Swatch = (x, centerY, index) => rect(x + 4, centerY - 6, 12, 12, colorOf(index), ' rx="2"');

const lineSwatch: Swatch = (x, centerY, index) =>
  line(x, centerY, x + LEGEND_SWATCH, centerY, colorOf(index), 2.5) +
  marker(x + LEGEND_SWATCH / 2, centerY, index);

function noDataMessage(y: number): string {
  return text('No data', { x: WIDTH / 2, y, anchor: 'middle', fill: MUTED_COLOR });
}

// ---------------------------------------------------------------------------------------------------------
// Grouped (horizontal) bar chart
// ---------------------------------------------------------------------------------------------------------

const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const VALUE_ROOM = 56;
const AXIS_TICK_GAP = 16;
const AXIS_LABEL_GAP = 38;

function groupHeight(seriesCount: number): number {
  const bars = Math.max(1, seriesCount);
  return bars * BAR_HEIGHT + (bars - 1) * BAR_GAP;
}

function categoryColumnWidth(categories: string[]): number {
  const widest = maxOf(categories.map((c) => textWidth(truncate(c, MAX_LABEL_CHARS), LABEL_SIZE)));
  return Math.min(Math.max(widest, 40), MAX_LABEL_CHARS * LABEL_SIZE * CHAR_WIDTH_EM);
}

function barValues(chart: GroupedBarChart): number[] {
  return chart.series.flatMap((s) => chart.categories.map((_, i) => s.values[i])).filter(isFiniteNumber);
}

interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function verticalGrid(axis: Axis, box: PlotBox): string[] {
  return axis.ticks.flatMap((tick) => {
    const x = project(axis, tick, box.left, box.right);
    return [
      line(x, box.top, x, box.bottom, GRID_COLOR),
      text(formatCompact(tick), { x, y: box.bottom + AXIS_TICK_GAP, anchor: 'middle', className: 'tick' }),
    ];
  });
}

function axisTitle(label: string, log: boolean): string {
  return log ? `${label} (log scale)` : label;
}

function renderBar(
  axis: Axis,
  box: PlotBox,
  value: number | undefined,
  y: number,
  seriesIndex: number,
): string[] {
  const labelY = y + BAR_HEIGHT / 2 + 4;
  if (!canPlot(axis, value)) {
    // Say "n/a" instead of silently leaving a gap that reads as zero.
    const shown = isFiniteNumber(value) ? formatCompact(value) : 'n/a';
    return [
      text(shown, { x: box.left + 4, y: labelY, size: VALUE_SIZE, fill: MUTED_COLOR, className: 'value' }),
    ];
  }
  const base = axis.log ? box.left : project(axis, 0, box.left, box.right);
  const end = project(axis, value, box.left, box.right);
  const out: string[] = [];
  if (Math.abs(end - base) >= 0.5) {
    out.push(
      rect(
        Math.min(base, end),
        y,
        Math.abs(end - base),
        BAR_HEIGHT,
        colorOf(seriesIndex),
        ' rx="2" class="bar"',
      ),
    );
  }
  // Negative bars grow leftwards, so their label sits right of the zero line, away from category labels.
  const labelX = value < 0 ? base + 4 : Math.max(base, end) + 4;
  out.push(text(formatCompact(value), { x: labelX, y: labelY, size: VALUE_SIZE, className: 'value' }));
  return out;
}

export function groupedBarChart(chart: GroupedBarChart): string {
  const log = chart.logScale === true;
  const header = renderHeader(
    chart.title,
    chart.series.map((s) => s.name),
    barSwatch,
  );
  if (chart.categories.length === 0 || chart.series.length === 0) {
    return svgDocument(chart.title, header.bottom + 48, [...header.svg, noDataMessage(header.bottom + 24)]);
  }
  const values = barValues(chart);
  const axis = log ? logAxis(values, true) : linearAxis(values);
  const rowPitch = groupHeight(chart.series.length) + GROUP_GAP;
  const left = PAD + categoryColumnWidth(chart.categories) + 12;
  const top = header.bottom + 12;
  const box: PlotBox = {
    left,
    right: WIDTH - PAD - VALUE_ROOM,
    top,
    bottom: top + chart.categories.length * rowPitch,
  };
  const body: string[] = [...header.svg];

  chart.categories.forEach((_, i) => {
    // Alternate bands tie a category label to its bars when there are many series.
    if (i % 2 === 1) body.push(rect(PAD, box.top + i * rowPitch, WIDTH - 2 * PAD, rowPitch, BAND_COLOR));
  });
  body.push(...verticalGrid(axis, box));
  chart.categories.forEach((category, i) => {
    const groupTop = box.top + i * rowPitch + GROUP_GAP / 2;
    const centerY = groupTop + groupHeight(chart.series.length) / 2;
    body.push(
      labelText(category, MAX_LABEL_CHARS, {
        x: box.left - 10,
        y: centerY + 4,
        anchor: 'end',
        className: 'category',
      }),
    );
    chart.series.forEach((series, s) => {
      body.push(...renderBar(axis, box, series.values[i], groupTop + s * (BAR_HEIGHT + BAR_GAP), s));
    });
  });
  body.push(line(box.left, box.top, box.left, box.bottom, AXIS_COLOR));
  body.push(line(box.left, box.bottom, box.right, box.bottom, AXIS_COLOR));
  body.push(
    text(axisTitle(chart.unit === '' ? 'value' : chart.unit, log), {
      x: (box.left + box.right) / 2,
      y: box.bottom + AXIS_LABEL_GAP,
      anchor: 'middle',
      fill: MUTED_COLOR,
      className: 'axis-label',
    }),
  );
  return svgDocument(chart.title, box.bottom + AXIS_LABEL_GAP + PAD, body);
}

// ---------------------------------------------------------------------------------------------------------
// Line chart
// ---------------------------------------------------------------------------------------------------------

const MARKER_SIZE = 4.5;
const LINE_PLOT_HEIGHT = 320;
const LABEL_ABOVE = -9;
// Keeps points at the ends of the x range off the y axis and their labels inside the frame.
const X_INSET = 24;

/** Shapes differ per series so lines stay distinguishable in greyscale or when colours repeat. */
function marker(x: number, y: number, index: number): string {
  const color = colorOf(index);
  const r = MARKER_SIZE;
  const style = ` fill="${color}" stroke="#ffffff" stroke-width="1.5"`;
  switch (index % 4) {
    case 0:
      return `<circle cx="${px(x)}" cy="${px(y)}" r="${r}"${style}/>`;
    case 1:
      return rect(x - r, y - r, 2 * r, 2 * r, color, ' stroke="#ffffff" stroke-width="1.5"');
    case 2:
      return `<path d="M${px(x)} ${px(y - r - 1)}L${px(x + r + 1)} ${px(y + r)}L${px(x - r - 1)} ${px(y + r)}Z"${style}/>`;
    default:
      return `<path d="M${px(x)} ${px(y - r - 1)}L${px(x + r + 1)} ${px(y)}L${px(x)} ${px(y + r + 1)}L${px(x - r - 1)} ${px(y)}Z"${style}/>`;
  }
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

interface PointLabel {
  x: number;
  y: number;
  content: string;
}

function labelBox(x: number, baseline: number, content: string): Box {
  const half = textWidth(content, VALUE_SIZE) / 2 + 1;
  return { x1: x - half, y1: baseline - VALUE_SIZE, x2: x + half, y2: baseline + 2 };
}

function firstHit(candidate: Box, obstacles: Box[]): Box | undefined {
  return obstacles.find((o) => overlaps(o, candidate));
}

/** Moves a label up past whatever it covers until it sits in free space. */
function climb(label: PointLabel, baseline: number, obstacles: Box[]): number {
  let current = baseline;
  for (let guard = 0; guard <= obstacles.length; guard += 1) {
    const hit = firstHit(labelBox(label.x, current, label.content), obstacles);
    if (hit === undefined) return current;
    current = hit.y1 - 3;
  }
  return current;
}

/**
 * Lowest points first, each label climbing above whatever it would cover: stacked labels then keep the
 * vertical order of their points, which is what lets a reader match value to marker in a tight cluster.
 * Returns baselines in input order.
 */
function placePointLabels(labels: PointLabel[], markers: Box[]): number[] {
  const placed: Box[] = [];
  const baselines: number[] = labels.map((label) => label.y + LABEL_ABOVE);
  const order = labels
    .map((label, index) => ({ label, index }))
    .sort((a, b) => b.label.y - a.label.y || a.index - b.index);
  for (const { label, index } of order) {
    const baseline = climb(label, label.y + LABEL_ABOVE, [...placed, ...markers]);
    placed.push(labelBox(label.x, baseline, label.content));
    baselines[index] = baseline;
  }
  return baselines;
}

function validPoints(series: LineSeries, xAxis: Axis): LinePoint[] {
  // Sorting by x makes the polyline read left to right even when the caller's order differs.
  return series.points.filter((p) => canPlot(xAxis, p.x) && isFiniteNumber(p.y)).sort((a, b) => a.x - b.x);
}

function horizontalGrid(axis: Axis, box: PlotBox): string[] {
  return axis.ticks.flatMap((tick) => {
    const y = project(axis, tick, box.bottom, box.top);
    return [
      line(box.left, y, box.right, y, GRID_COLOR),
      text(formatCompact(tick), { x: box.left - 8, y: y + 4, anchor: 'end', className: 'tick' }),
    ];
  });
}

function yTickColumnWidth(axis: Axis): number {
  return maxOf(axis.ticks.map((t) => textWidth(formatCompact(t), LABEL_SIZE)));
}

function linePlotHeight(seriesCount: number): number {
  // More series means more stacked point labels, so give them vertical room.
  return LINE_PLOT_HEIGHT + 24 * Math.max(0, seriesCount - 3);
}

function verticalGridWithTicks(axis: Axis, box: PlotBox, xStart: number, xEnd: number): string[] {
  return axis.ticks.flatMap((tick) => {
    const x = project(axis, tick, xStart, xEnd);
    return [
      line(x, box.top, x, box.bottom, GRID_COLOR),
      text(formatCompact(tick), {
        x,
        y: box.bottom + AXIS_TICK_GAP + 2,
        anchor: 'middle',
        className: 'tick',
      }),
    ];
  });
}

interface PlottedSeries {
  lines: string[];
  markers: string[];
  markerBoxes: Box[];
  labels: PointLabel[];
}

function plotSeries(
  points: LinePoint[][],
  project2d: (p: LinePoint) => { x: number; y: number },
): PlottedSeries {
  const out: PlottedSeries = { lines: [], markers: [], markerBoxes: [], labels: [] };
  points.forEach((seriesPoints, s) => {
    const coords = seriesPoints.map((p) => ({ ...project2d(p), value: p.y }));
    if (coords.length > 1) {
      const attr = coords.map((c) => `${px(c.x)},${px(c.y)}`).join(' ');
      out.lines.push(
        `<polyline points="${attr}" fill="none" stroke="${colorOf(s)}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`,
      );
    }
    for (const c of coords) {
      out.markers.push(marker(c.x, c.y, s));
      out.markerBoxes.push({ x1: c.x - 5, y1: c.y - 5, x2: c.x + 5, y2: c.y + 5 });
      out.labels.push({ x: c.x, y: c.y, content: formatCompact(c.value) });
    }
  });
  return out;
}

function pointLabelTexts(labels: PointLabel[], baselines: number[]): string[] {
  return labels.map((label, i) =>
    text(label.content, {
      x: label.x,
      y: baselines[i] ?? label.y + LABEL_ABOVE,
      size: VALUE_SIZE,
      anchor: 'middle',
      className: 'value',
      halo: true,
    }),
  );
}

function lineAxisTitles(chart: LineChart, box: PlotBox): string[] {
  const yLabelX = PAD + 10;
  const yLabelY = (box.top + box.bottom) / 2;
  return [
    labelText(axisTitle(chart.xLabel, chart.logX === true), 2 * MAX_LABEL_CHARS, {
      x: (box.left + box.right) / 2,
      y: box.bottom + AXIS_LABEL_GAP + 2,
      anchor: 'middle',
      fill: MUTED_COLOR,
      className: 'axis-label',
    }),
    labelText(chart.yLabel, MAX_LABEL_CHARS, {
      x: yLabelX,
      y: yLabelY,
      anchor: 'middle',
      fill: MUTED_COLOR,
      className: 'axis-label',
      transform: `rotate(-90 ${px(yLabelX)} ${px(yLabelY)})`,
    }),
  ];
}

interface LineLayout {
  svg: string;
  /** How far point labels reach above the space reserved for them; positive means they would hit the legend. */
  overflow: number;
}

function layoutLineChart(chart: LineChart, extraTop: number): LineLayout {
  const header = renderHeader(
    chart.title,
    chart.series.map((s) => s.name),
    lineSwatch,
  );
  const allX = chart.series.flatMap((s) => s.points.map((p) => p.x)).filter(isFiniteNumber);
  const xAxis = chart.logX === true ? logAxis(allX, false) : linearXAxis(allX);
  const points = chart.series.map((s) => validPoints(s, xAxis));
  const yAxis = linearAxis(points.flat().map((p) => p.y));

  // Room above the plot for labels of points sitting on the top gridline.
  const labelRoomTop = header.bottom + 4;
  const top = labelRoomTop + 16 + extraTop;
  const left = PAD + 22 + yTickColumnWidth(yAxis) + 10;
  const box: PlotBox = {
    left,
    right: WIDTH - PAD - 8,
    top,
    bottom: top + linePlotHeight(chart.series.length),
  };
  const xStart = box.left + X_INSET;
  const xEnd = box.right - X_INSET;
  const plotted = plotSeries(points, (p) => ({
    x: project(xAxis, p.x, xStart, xEnd),
    y: project(yAxis, p.y, box.bottom, box.top),
  }));
  const baselines = placePointLabels(plotted.labels, plotted.markerBoxes);

  const body = [
    ...header.svg,
    ...horizontalGrid(yAxis, box),
    ...verticalGridWithTicks(xAxis, box, xStart, xEnd),
    line(box.left, box.top, box.left, box.bottom, AXIS_COLOR),
    line(box.left, box.bottom, box.right, box.bottom, AXIS_COLOR),
    ...plotted.lines,
    // Markers and labels go last so no line is drawn over them.
    ...plotted.markers,
    ...pointLabelTexts(plotted.labels, baselines),
    ...(plotted.labels.length === 0 ? [noDataMessage((box.top + box.bottom) / 2)] : []),
    ...lineAxisTitles(chart, box),
  ];
  const highest = minOf(baselines.map((b) => b - VALUE_SIZE));
  return {
    svg: svgDocument(chart.title, box.bottom + AXIS_LABEL_GAP + 2 + PAD, body),
    overflow: Number.isFinite(highest) ? labelRoomTop - highest : 0,
  };
}

export function lineChart(chart: LineChart): string {
  const first = layoutLineChart(chart, 0);
  // Label placement is translation-invariant, so one re-layout with that much extra headroom suffices.
  return first.overflow > 0 ? layoutLineChart(chart, Math.ceil(first.overflow)).svg : first.svg;
}
