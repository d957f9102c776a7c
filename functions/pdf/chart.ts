/**
 * A small vector line chart of one indicator: the cumulative actual value per period against a linear plan from the
 * baseline at the project start to the target at the project end, with the milestone marked. Vector, not an image,
 * so it prints sharply and costs no image encoder (nor its nondeterminism).
 */

import { formatDate, formatNumber, formatQuantity } from '../core/format';
import type { IsoDate, Lang } from '../core/types';
import type { ReportCanvas } from './document';
import { COLOURS, SIZES } from './theme';

/** Everything one chart shows, already in the report language. */
export interface ProgressChartSpec {
  code: string;
  name: string;
  unit: string;
  start: IsoDate;
  end: IsoDate;
  baseline: number;
  target: number;
  milestone: { date: IsoDate; value: number; missed: boolean } | null;
  /** Cumulative value at each period end, oldest first. */
  series: { date: IsoDate; value: number }[];
  lang: Lang;
  labels: { plan: string; actual: string; milestone: string };
}

/** Where to draw: the title takes `titleHeight`, the plot with its axes and legend `plotHeight` below it. */
export interface ChartBox {
  x: number;
  y: number;
  width: number;
  titleHeight: number;
  plotHeight: number;
}

const TITLE_SIZE = 7.5;
const AXIS_SIZE = 6.5;
const LEGEND_HEIGHT = 11;
const X_LABELS_HEIGHT = 10;
const MISSED_COLOUR = '#C62828';

function day(date: IsoDate): number {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? 0 : ms / 86_400_000;
}

/** A tick step of 1, 2, 2.5 or 5 times a power of ten giving about `count` intervals over `max`. */
function niceStep(max: number, count: number, integer: boolean): number {
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return integer ? Math.max(1, Math.ceil(step)) : step;
}

/** Height of the chart title (code line plus the wrapped name) at `width`. */
export function chartTitleHeight(canvas: ReportCanvas, spec: ProgressChartSpec, width: number): number {
  canvas.font(true, TITLE_SIZE);
  const codeLine = canvas.measure(`${spec.code} · ${spec.unit}`, width);
  canvas.font(false, TITLE_SIZE);
  return codeLine + 1 + canvas.measure(spec.name, width, 0.5);
}

/** X-axis ticks: year starts when the project spans two or more of them, else quarter starts. */
function timeTicks(start: number, end: number): { at: number; label: string }[] {
  const first = new Date(start * 86_400_000).getUTCFullYear();
  const last = new Date(end * 86_400_000).getUTCFullYear();
  const years: { at: number; label: string }[] = [];
  for (let y = first; y <= last + 1; y++) {
    const at = Date.UTC(y, 0, 1) / 86_400_000;
    if (at > start && at < end) years.push({ at, label: String(y) });
  }
  // A long project gets every n-th year so labels never collide.
  if (years.length >= 2) return years.filter((_, i) => i % Math.ceil(years.length / 6) === 0);
  const quarters: { at: number; label: string }[] = [];
  for (let y = first; y <= last; y++) {
    for (let q = 0; q < 4; q++) {
      const at = Date.UTC(y, q * 3, 1) / 86_400_000;
      if (at > start && at < end) quarters.push({ at, label: `${y}-Q${q + 1}` });
    }
  }
  const stride = Math.ceil(quarters.length / 5);
  return quarters.filter((_, i) => i % stride === 0);
}

/**
 * Draw one chart into `box`, tagged as a figure whose alternate text says what the chart shows (every plotted
 * value, the plan and the milestone), for a reader who cannot see it.
 */
export function drawProgressChart(canvas: ReportCanvas, spec: ProgressChartSpec, box: ChartBox): void {
  const bottom = box.y + box.titleHeight + 6 + box.plotHeight;
  canvas.tag('Figure', () => drawChart(canvas, spec, box), {
    alt: chartAlt(spec),
    bbox: [box.x, box.y, box.x + box.width, bottom],
    placement: 'Block',
  });
}

/** The chart in words: code, name and unit; the cumulative value at each period end; the plan; the milestone. */
export function chartAlt(spec: ProgressChartSpec): string {
  const { lang, labels } = spec;
  const at = (value: number, date: IsoDate) => `${formatQuantity(value, lang)} (${formatDate(date, lang)})`;
  const actual = spec.series.map((p) => at(p.value, p.date)).join('; ');
  const parts = [
    `${spec.code} ${spec.name}, ${spec.unit}.`,
    `${labels.actual}: ${actual || '—'}.`,
    `${labels.plan}: ${at(spec.baseline, spec.start)} → ${at(spec.target, spec.end)}.`,
  ];
  if (spec.milestone) parts.push(`${labels.milestone}: ${at(spec.milestone.value, spec.milestone.date)}.`);
  return parts.join(' ');
}

function drawChart(canvas: ReportCanvas, spec: ProgressChartSpec, box: ChartBox): void {
  drawChartTitle(canvas, spec, box);
  const plot = scaleChart(canvas, spec, box);
  drawAxes(canvas, plot, box);
  drawSeries(canvas, spec, plot);
  drawLegend(canvas, spec, plot);
  canvas.doc.fillColor(COLOURS.text);
  canvas.font(false, SIZES.body);
}

/** Where a chart's plot sits and what its axes span, worked out once and shared by its drawing steps. */
interface ChartPlot {
  plotLeft: number;
  plotRight: number;
  plotTop: number;
  plotBottom: number;
  legendY: number;
  /** First and last day of the x axis. */
  t0: number;
  t1: number;
  yMin: number;
  yMax: number;
  ticks: number[];
  tickLabels: string[];
  labelWidth: number;
}

function drawChartTitle(canvas: ReportCanvas, spec: ProgressChartSpec, box: ChartBox): void {
  const { doc } = canvas;
  // Title: code and unit on the first line, the full name wrapped below (names can run to several lines).
  canvas.font(true, TITLE_SIZE);
  doc.fillColor(COLOURS.heading);
  canvas.text(`${spec.code} · ${spec.unit}`, box.x, box.y, { width: box.width });
  const nameY = doc.y + 1;
  canvas.font(false, TITLE_SIZE);
  doc.fillColor(COLOURS.text);
  canvas.text(spec.name, box.x, nameY, { width: box.width, lineGap: 0.5 });
}

/** The plot's box and scales; leaves the axis font set, which the y labels were measured in. */
function scaleChart(canvas: ReportCanvas, spec: ProgressChartSpec, box: ChartBox): ChartPlot {
  const { doc } = canvas;
  const top = box.y + box.titleHeight + 6;
  const legendY = top + box.plotHeight - LEGEND_HEIGHT;
  const plotBottom = legendY - X_LABELS_HEIGHT - 2;
  const plotTop = top + 4;

  // Y scale from zero to a little above the largest thing drawn.
  const values = [spec.baseline, spec.target, ...spec.series.map((p) => p.value)];
  if (spec.milestone) values.push(spec.milestone.value);
  const finite = values.filter(Number.isFinite);
  const maxValue = Math.max(0, ...finite);
  const minValue = Math.min(0, ...finite);
  const integer = finite.every(Number.isInteger);
  const step = niceStep(Math.max(maxValue - minValue, 1) * 1.08, 4, integer);
  const yMin = Math.floor(minValue / step) * step;
  const yMax = Math.max(Math.ceil((maxValue * 1.04) / step) * step, yMin + step);
  const ticks: number[] = [];
  for (let v = yMin; v <= yMax + step / 2; v += step) ticks.push(v);

  canvas.font(false, AXIS_SIZE);
  const tickLabels = ticks.map((v) => formatNumber(v, spec.lang, 0, 2));
  const labelWidth = Math.max(...tickLabels.map((t) => doc.widthOfString(t)));
  const plotLeft = box.x + labelWidth + 4;
  const plotRight = box.x + box.width - 4;

  const t0 = day(spec.start);
  const t1 = Math.max(day(spec.end), t0 + 1);
  return { plotLeft, plotRight, plotTop, plotBottom, legendY, t0, t1, yMin, yMax, ticks, tickLabels, labelWidth };
}

/** X position of a date, clamped to the plot. */
function xOf(plot: ChartPlot, date: IsoDate): number {
  const { t0, t1, plotLeft, plotRight } = plot;
  const t = Math.min(Math.max(day(date), t0), t1);
  return plotLeft + ((t - t0) / (t1 - t0)) * (plotRight - plotLeft);
}

function yOf(plot: ChartPlot, v: number): number {
  const { plotBottom, plotTop, yMin, yMax } = plot;
  return plotBottom - ((v - yMin) / (yMax - yMin)) * (plotBottom - plotTop);
}

function drawAxes(canvas: ReportCanvas, plot: ChartPlot, box: ChartBox): void {
  const { doc } = canvas;
  const { plotLeft, plotRight, plotTop, plotBottom, t0, t1, tickLabels, labelWidth } = plot;
  // Grid and y labels.
  plot.ticks.forEach((v, i) => {
    const y = yOf(plot, v);
    doc.moveTo(plotLeft, y).lineTo(plotRight, y).lineWidth(0.4).strokeColor(COLOURS.lightRule).stroke();
    doc.fillColor(COLOURS.muted);
    canvas.text(tickLabels[i]!, box.x, y - AXIS_SIZE * 0.6, { width: labelWidth, align: 'right', lineBreak: false });
  });
  doc.moveTo(plotLeft, plotBottom).lineTo(plotRight, plotBottom).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();
  doc.moveTo(plotLeft, plotTop).lineTo(plotLeft, plotBottom).lineWidth(0.6).strokeColor(COLOURS.rule).stroke();

  // X ticks and labels, centred on the tick but kept inside the plot.
  for (const tick of timeTicks(t0, t1)) {
    const x = plotLeft + ((tick.at - t0) / (t1 - t0)) * (plotRight - plotLeft);
    doc
      .moveTo(x, plotBottom)
      .lineTo(x, plotBottom + 2.5)
      .lineWidth(0.6)
      .strokeColor(COLOURS.rule)
      .stroke();
    const w = doc.widthOfString(tick.label);
    const lx = Math.min(Math.max(x - w / 2, plotLeft), plotRight - w);
    doc.fillColor(COLOURS.muted);
    canvas.text(tick.label, lx, plotBottom + 3.5, { lineBreak: false });
  }
}

/** The plan line, the milestone and the actual values. */
function drawSeries(canvas: ReportCanvas, spec: ProgressChartSpec, plot: ChartPlot): void {
  const { doc } = canvas;
  const { plotLeft, plotRight, plotTop } = plot;
  // Plan: dashed straight line from baseline at the start to target at the end.
  doc
    .moveTo(xOf(plot, spec.start), yOf(plot, spec.baseline))
    .lineTo(xOf(plot, spec.end), yOf(plot, spec.target))
    .dash(3, { space: 2 })
    .lineWidth(1)
    .strokeColor(COLOURS.plan)
    .stroke()
    .undash();

  // Milestone: a diamond, red when its date passed unmet.
  if (spec.milestone) {
    const mx = xOf(plot, spec.milestone.date);
    const my = yOf(plot, spec.milestone.value);
    drawDiamond(doc, mx, my, 3.2, spec.milestone.missed ? MISSED_COLOUR : COLOURS.milestone);
  }

  // Actual: solid line with a dot per period; the latest value labelled.
  const points = spec.series
    .filter((p) => Number.isFinite(p.value))
    .map((p) => [xOf(plot, p.date), yOf(plot, p.value)] as const);
  if (points.length > 1) {
    const [fx, fy] = points[0]!;
    doc.moveTo(fx, fy);
    for (const [px, py] of points.slice(1)) doc.lineTo(px, py);
    doc.lineWidth(1.3).strokeColor(COLOURS.actual).stroke();
  }
  for (const [px, py] of points) doc.circle(px, py, 1.7).fillColor(COLOURS.actual).fill();
  const last = spec.series.at(-1);
  const lastPoint = points.at(-1);
  if (last && lastPoint) {
    canvas.font(true, AXIS_SIZE);
    const text = formatQuantity(last.value, spec.lang);
    const w = doc.widthOfString(text);
    const lx = Math.min(Math.max(lastPoint[0] - w / 2, plotLeft + 1), plotRight - w);
    const ly = Math.max(lastPoint[1] - AXIS_SIZE - 3, plotTop - 2);
    doc.fillColor(COLOURS.actual);
    canvas.text(text, lx, ly, { lineBreak: false });
  }
}

function drawLegend(canvas: ReportCanvas, spec: ProgressChartSpec, plot: ChartPlot): void {
  const { doc } = canvas;
  const { plotLeft, plotRight, legendY } = plot;
  canvas.font(false, AXIS_SIZE);
  let lx = plotLeft;
  const ly = legendY + 4;
  doc
    .moveTo(lx, ly)
    .lineTo(lx + 14, ly)
    .dash(3, { space: 2 })
    .lineWidth(1)
    .strokeColor(COLOURS.plan)
    .stroke()
    .undash();
  lx += 17;
  doc.fillColor(COLOURS.muted);
  canvas.text(spec.labels.plan, lx, ly - AXIS_SIZE * 0.6, { lineBreak: false });
  lx += doc.widthOfString(spec.labels.plan) + 10;
  doc
    .moveTo(lx, ly)
    .lineTo(lx + 14, ly)
    .lineWidth(1.3)
    .strokeColor(COLOURS.actual)
    .stroke();
  doc
    .circle(lx + 7, ly, 1.7)
    .fillColor(COLOURS.actual)
    .fill();
  lx += 17;
  doc.fillColor(COLOURS.muted);
  canvas.text(spec.labels.actual, lx, ly - AXIS_SIZE * 0.6, { lineBreak: false });
  lx += doc.widthOfString(spec.labels.actual) + 10;
  if (spec.milestone && lx + 12 + doc.widthOfString(spec.labels.milestone) <= plotRight) {
    drawDiamond(doc, lx + 4, ly, 3, spec.milestone.missed ? MISSED_COLOUR : COLOURS.milestone);
    doc.fillColor(COLOURS.muted);
    canvas.text(spec.labels.milestone, lx + 10, ly - AXIS_SIZE * 0.6, { lineBreak: false });
  }
}

function drawDiamond(doc: PDFKit.PDFDocument, x: number, y: number, r: number, colour: string): void {
  doc
    .moveTo(x, y - r)
    .lineTo(x + r, y)
    .lineTo(x, y + r)
    .lineTo(x - r, y)
    .closePath()
    .fillColor(colour)
    .fill();
}
