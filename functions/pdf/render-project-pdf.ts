/**
 * The project progress report (A4 portrait), docs/architecture.md §6: cover, summary, indicators, charts, finance, narrative,
 * data-quality warnings, lineage appendix, "Lapa X no Y" footers. Bytes depend only on the model and the language.
 */

import {
  DASH,
  formatAmount,
  formatCellRef,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPeriodLabel,
  formatQuantity,
  formatRate,
  shortHash,
} from '../core/format';
import { type LineageGroup, type LineageSource, type LineageSummary, summariseLineage } from '../core/lineage-summary';
import {
  type DataWarning,
  type FinanceCategory,
  type IndicatorRow,
  type IndicatorStatus,
  type LineageRow,
  type ProjectReportModel,
  STATUS_COLOURS,
  STATUSES,
} from '../core/report-types';
import type { Lang } from '../core/types';
import { drawBars, drawFacts, drawStatusChips, drawStatusLegend, type Fact } from './blocks';
import { drawBreakdowns } from './breakdown-section';
import { chartTitleHeight, drawProgressChart, type ProgressChartSpec } from './chart';
import { ReportCanvas } from './document';
import {
  absorptionSentence,
  expectedNote,
  figureLabel,
  fundLabel,
  label,
  lineageWhere,
  milestoneFootnote,
  moreRanges,
  objectiveLabel,
  pick,
  spentSentence,
  statusLabel,
  submissionLabel,
} from './labels';
import { drawTable, type TableOptions, tableKeepHeight } from './table';
import { COLOURS, SIZES, SUBMISSION_COLOURS } from './theme';

/** Mark after an indicator code whose milestone date passed unmet; explained in a footnote under the table. */
const MILESTONE_MARK = '*';

/**
 * Render the project progress report as PDF.
 *
 * @param model the computed report (no wall-clock time inside: `generatedAt` is an input)
 * @param lang report language; Latvian is the default elsewhere, English on request
 * @returns the PDF bytes; the same model and language always give the same bytes
 */
export async function renderProjectPdf(model: ProjectReportModel, lang: Lang): Promise<Uint8Array> {
  const canvas = new ReportCanvas({
    layout: 'portrait',
    lang,
    title: `${label(lang, 'projectReportTitle')} — ${model.project.title} — ${model.period}`,
    subject: `${model.project.id} ${model.period} r${model.revision}`,
    generatedAt: model.generatedAt,
  });
  drawCover(canvas, model);
  drawSummary(canvas, model);
  drawIndicators(canvas, model);
  drawCharts(canvas, model);
  drawFinance(canvas, model);
  drawNarrative(canvas, model);
  drawWarnings(canvas, model);
  drawBreakdowns(canvas, model.indicators);
  drawLineage(canvas, model.lineage);
  canvas.writeFooters(
    `${model.project.id} · ${model.period} · r${model.revision} · ${label(lang, 'projectReportTitle')}`,
  );
  return canvas.finish();
}

function periodRange(start: string, end: string, lang: Lang): string {
  return `${formatDate(start, lang)}–${formatDate(end, lang)}`;
}

function drawCover(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { doc, lang } = canvas;
  const { project, submission } = model;

  canvas.font(false, SIZES.coverKicker);
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.muted);
    canvas.text(label(lang, 'fundLine').toUpperCase(), canvas.left, canvas.top, {
      width: canvas.width,
      characterSpacing: 0.6,
    });
  });
  canvas.y += 8;
  canvas.font(true, SIZES.coverTitle);
  canvas.tag('H1', () => {
    doc.fillColor(COLOURS.heading);
    canvas.text(label(lang, 'projectReportTitle'), canvas.left, canvas.y, { width: canvas.width });
  });
  canvas.y += 2;
  canvas.font(false, SIZES.coverSubtitle);
  const subtitle = `${formatPeriodLabel(model.period, lang)} (${periodRange(model.periodStart, model.periodEnd, lang)})`;
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.text);
    canvas.text(subtitle, canvas.left, canvas.y, { width: canvas.width });
  });
  canvas.y += 10;
  doc.moveTo(canvas.left, canvas.y).lineTo(canvas.right, canvas.y).lineWidth(1.5).strokeColor(COLOURS.heading).stroke();
  canvas.y += 12;
  canvas.font(true, SIZES.coverProject);
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.heading);
    canvas.text(project.title, canvas.left, canvas.y, { width: canvas.width, lineGap: 1.5 });
  });
  canvas.y += 10;

  const submissionText =
    submission.uploadedAt === null
      ? submissionLabel(lang, submission.status)
      : `${submissionLabel(lang, submission.status)} (${label(lang, 'uploadedAt')} ${formatDateTime(submission.uploadedAt, lang)})`;
  const facts: Fact[] = [
    { label: label(lang, 'projectId'), value: project.id },
    { label: label(lang, 'contractNo'), value: project.contractNo },
    { label: label(lang, 'beneficiary'), value: project.beneficiary },
    { label: label(lang, 'fund'), value: fundLabel(lang, project.fund) },
    { label: label(lang, 'specificObjective'), value: objectiveLabel(lang, project.specificObjective) },
    { label: label(lang, 'projectDates'), value: periodRange(project.start, project.end, lang) },
    {
      label: label(lang, 'eligibleCost'),
      value: `${formatMoney(project.eligibleCost, lang)} (${label(lang, 'euCoFinancing')} ${formatRate(project.euRatePercent, lang)})`,
    },
    {
      label: label(lang, 'period'),
      value: `${model.period} (${periodRange(model.periodStart, model.periodEnd, lang)})`,
    },
    { label: label(lang, 'revision'), value: `r${model.revision}` },
    {
      label: label(lang, 'generatedAt'),
      value: `${formatDateTime(model.generatedAt, lang)} (${label(lang, 'rigaTime')})`,
    },
    { label: label(lang, 'submission'), value: submissionText, marker: SUBMISSION_COLOURS[submission.status] },
    { label: label(lang, 'deadline'), value: formatDate(submission.deadline, lang) },
  ];
  drawFacts(canvas, facts, { labelWidth: 150 });
}

function statusCounts(indicators: IndicatorRow[]): Record<IndicatorStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;
  for (const row of indicators) counts[row.status] += 1;
  return counts;
}

function drawSummary(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { doc, lang } = canvas;
  const { finance } = model;
  canvas.sectionTitle(label(lang, 'summary'), 150);
  drawBars(canvas, [
    { label: label(lang, 'timeElapsed'), ratio: model.elapsed, colour: COLOURS.elapsed },
    { label: label(lang, 'absorption'), ratio: finance.absorption, colour: COLOURS.absorption },
  ]);
  const spent = spentSentence(
    lang,
    formatMoney(finance.spentCumulative, lang),
    formatMoney(finance.eligibleCost, lang),
    formatMoney(finance.spentThisPeriod, lang),
  );
  const points = (finance.absorption - model.elapsed) * 100;
  const comparison = Number.isFinite(points)
    ? absorptionSentence(lang, Math.sign(Math.round(points * 10)), formatNumber(Math.abs(points), lang, 0, 1))
    : '';
  canvas.paragraph(`${spent} ${comparison}`.trim(), { after: 10 });

  canvas.subTitle(`${label(lang, 'indicatorStatuses')} (${model.indicators.length})`, 110);
  canvas.y += 2;
  drawStatusChips(canvas, statusCounts(model.indicators));
  canvas.y += 4;
  drawStatusLegend(canvas, label(lang, 'statusLegendTitle'), expectedNote(lang));
  doc.fillColor(COLOURS.text);
}

function drawIndicators(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { doc, lang } = canvas;
  if (model.indicators.length === 0) {
    canvas.sectionTitle(label(lang, 'indicators'));
    canvas.paragraph(label(lang, 'notProvided'), { color: COLOURS.muted });
    return;
  }
  const table = indicatorTable(model.indicators, lang);
  canvas.sectionTitle(label(lang, 'indicators'), tableKeepHeight(canvas, table));
  // Each indicator is a bookmark under the section, so a reader jumps to it from the outline.
  for (const row of model.indicators) canvas.bookmark(`${row.code} — ${pick(row.name, lang)}`);
  drawTable(canvas, table);

  const missed = model.indicators.filter((r) => r.milestoneMissed);
  if (missed.length > 0) {
    canvas.y += 5;
    drawMilestoneFootnotes(canvas, missed);
  }
  doc.fillColor(COLOURS.text);
}

/** The indicator table: one row per indicator, the missed-milestone mark after its code. */
function indicatorTable(indicators: IndicatorRow[], lang: Lang): TableOptions<IndicatorRow> {
  return {
    fontSize: SIZES.tableDense,
    keepTogether: true,
    rows: indicators,
    columns: [
      {
        header: label(lang, 'code'),
        fit: 'content',
        cell: (r) => ({ text: r.milestoneMissed ? `${r.code} ${MILESTONE_MARK}` : r.code, bold: true }),
      },
      { header: label(lang, 'name'), cell: (r) => pick(r.name, lang) },
      { header: label(lang, 'unit'), fit: 'words', cell: (r) => pick(r.unit, lang) },
      {
        header: label(lang, 'baseline'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatQuantity(r.baseline, lang),
      },
      {
        header: label(lang, 'target'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatQuantity(r.target, lang),
      },
      {
        header: label(lang, 'thisPeriod'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatQuantity(r.thisPeriod, lang),
      },
      {
        header: label(lang, 'cumulative'),
        fit: 'content',
        align: 'right',
        cell: (r) => ({ text: formatQuantity(r.cumulative, lang), bold: true }),
      },
      {
        header: label(lang, 'percentOfTarget'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatPercent(r.achievement, lang),
      },
      {
        header: label(lang, 'expectedPercent'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatPercent(r.expected, lang),
      },
      {
        header: label(lang, 'status'),
        fit: 'words',
        cell: (r) => ({ text: statusLabel(lang, r.status), marker: STATUS_COLOURS[r.status] }),
      },
      {
        header: label(lang, 'forecast'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatQuantity(r.forecast, lang),
      },
    ],
  };
}

/** A footnote under the table for each indicator whose milestone passed unmet. */
function drawMilestoneFootnotes(canvas: ReportCanvas, missed: IndicatorRow[]): void {
  const { lang } = canvas;
  for (const row of missed) {
    const milestone = row.milestone === null ? DASH : formatQuantity(row.milestone, lang);
    const date = row.milestoneDate === null ? DASH : formatDate(row.milestoneDate, lang);
    // The value when the milestone fell due explains the flag; today's cumulative may since have passed it.
    const due = row.milestoneDate;
    const atDue = due === null ? undefined : row.series.filter((p) => p.periodEnd <= due).at(-1);
    const text = milestoneFootnote(
      lang,
      MILESTONE_MARK,
      row.code,
      milestone,
      date,
      atDue ? { value: formatQuantity(atDue.cumulative, lang), date: formatDate(atDue.periodEnd, lang) } : null,
      row.milestoneMetIn,
    );
    canvas.paragraph(text, { size: SIZES.small, color: COLOURS.muted, after: 2 });
  }
}

const CHART_PLOT_HEIGHT = 128;
const CHART_GUTTER = 24;
const CHART_ROW_GAP = 16;

function chartSpec(row: IndicatorRow, model: ProjectReportModel, lang: Lang): ProgressChartSpec | null {
  if (row.target === null) return null;
  return {
    code: row.code,
    name: pick(row.name, lang),
    unit: pick(row.unit, lang),
    start: model.project.start,
    end: model.project.end,
    baseline: row.baseline,
    target: row.target,
    milestone:
      row.milestone !== null && row.milestoneDate !== null
        ? { date: row.milestoneDate, value: row.milestone, missed: row.milestoneMissed }
        : null,
    series: row.series.map((p) => ({ date: p.periodEnd, value: p.cumulative })),
    lang,
    labels: {
      plan: label(lang, 'legendPlan'),
      actual: label(lang, 'legendActual'),
      milestone: label(lang, 'legendMilestone'),
    },
  };
}

function drawCharts(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { lang } = canvas;
  const specs = model.indicators.map((r) => chartSpec(r, model, lang)).filter((s) => s !== null);
  const width = (canvas.width - CHART_GUTTER) / 2;
  const rowHeight = (pair: ProgressChartSpec[]): number =>
    Math.max(...pair.map((s) => chartTitleHeight(canvas, s, width))) + 6 + CHART_PLOT_HEIGHT;
  // The heading, the introduction and the first row of charts stay together.
  canvas.sectionTitle(label(lang, 'charts'), 40 + (specs.length > 0 ? rowHeight(specs.slice(0, 2)) : 0));
  canvas.paragraph(label(lang, 'chartsIntro'), { size: SIZES.small, color: COLOURS.muted, after: 10 });
  if (specs.length === 0) {
    canvas.paragraph(label(lang, 'noCharts'), { color: COLOURS.muted });
    return;
  }
  for (let i = 0; i < specs.length; i += 2) {
    const pair = specs.slice(i, i + 2);
    const height = rowHeight(pair);
    const titleHeight = height - 6 - CHART_PLOT_HEIGHT;
    canvas.ensureSpace(height);
    const y = canvas.y;
    pair.forEach((spec, j) => {
      drawProgressChart(canvas, spec, {
        x: canvas.left + j * (width + CHART_GUTTER),
        y,
        width,
        titleHeight,
        plotHeight: CHART_PLOT_HEIGHT,
      });
    });
    canvas.y = y + height + CHART_ROW_GAP;
  }
}

function drawFinance(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { lang } = canvas;
  const { finance } = model;
  const plannedTotal = finance.categories.reduce((sum, c) => sum + c.planned, 0);
  const share = (part: number, whole: number): string => (whole > 0 ? formatPercent(part / whole, lang) : DASH);
  const table: TableOptions<FinanceCategory> = {
    keepTogether: true,
    rows: finance.categories,
    columns: [
      { header: label(lang, 'costCategory'), cell: (c) => c.category },
      {
        header: label(lang, 'plannedEur'),
        fit: 'content',
        align: 'right',
        cell: (c) => formatAmount(c.planned, lang),
      },
      {
        header: label(lang, 'thisPeriodEur'),
        fit: 'content',
        align: 'right',
        cell: (c) => formatAmount(c.thisPeriod, lang),
      },
      {
        header: label(lang, 'cumulativeEur'),
        fit: 'content',
        align: 'right',
        cell: (c) => formatAmount(c.cumulative, lang),
      },
      {
        header: label(lang, 'percentOfPlanned'),
        fit: 'content',
        align: 'right',
        cell: (c) => share(c.cumulative, c.planned),
      },
    ],
    footer: [
      [
        label(lang, 'total'),
        formatAmount(plannedTotal, lang),
        formatAmount(finance.spentThisPeriod, lang),
        formatAmount(finance.spentCumulative, lang),
        share(finance.spentCumulative, plannedTotal),
      ],
    ],
  };
  // The totals below belong with the table; keep room for them too.
  canvas.sectionTitle(label(lang, 'finance'), tableKeepHeight(canvas, table) + 80);
  drawTable(canvas, table);
  canvas.y += 10;
  const rest = 100 - finance.euRatePercent;
  drawFacts(
    canvas,
    [
      { label: label(lang, 'eligibleCost'), value: formatMoney(finance.eligibleCost, lang) },
      {
        label: label(lang, 'spentCumulative'),
        value: `${formatMoney(finance.spentCumulative, lang)} (${formatPercent(finance.absorption, lang)})`,
        bold: true,
      },
      {
        label: `${label(lang, 'euShare')} (${formatRate(finance.euRatePercent, lang)})`,
        value: formatMoney(finance.euShare, lang),
      },
      {
        label: `${label(lang, 'nationalShare')} (${formatRate(rest, lang)})`,
        value: formatMoney(finance.nationalShare, lang),
      },
    ],
    { labelWidth: 260, width: canvas.width, valueAlign: 'right' },
  );
}

function drawNarrative(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { lang } = canvas;
  canvas.sectionTitle(label(lang, 'narrative'));
  const parts = [
    ['achievements', model.narrative?.achievements],
    ['problems', model.narrative?.problems],
    ['nextSteps', model.narrative?.nextSteps],
  ] as const;
  for (const [key, text] of parts) {
    canvas.subTitle(label(lang, key));
    const given = text?.trim();
    if (given) canvas.paragraph(given, { after: 10 });
    else canvas.paragraph(label(lang, 'notProvided'), { color: COLOURS.muted, after: 10 });
  }
}

function drawWarnings(canvas: ReportCanvas, model: ProjectReportModel): void {
  const { lang } = canvas;
  if (model.warnings.length === 0) {
    canvas.sectionTitle(label(lang, 'warnings'), 20);
    canvas.paragraph(label(lang, 'noWarnings'), { color: COLOURS.muted });
    return;
  }
  const table: TableOptions<DataWarning> = {
    keepTogether: true,
    rows: model.warnings,
    columns: [
      { header: label(lang, 'code'), width: 1, cell: (w) => w.code },
      { header: label(lang, 'location'), fit: 'content', cell: (w) => formatCellRef(w.sheet, w.cell) },
      { header: label(lang, 'message'), width: 3, cell: (w) => pick(w.message, lang) },
    ],
  };
  canvas.sectionTitle(label(lang, 'warnings'), tableKeepHeight(canvas, table));
  drawTable(canvas, table);
}

/** A model's lineage summary, made for its first edition and read again for the second (the same rows). */
const LINEAGE_SUMMARIES = new WeakMap<readonly LineageRow[], LineageSummary>();

function lineageSummary(lineage: readonly LineageRow[]): LineageSummary {
  let summary = LINEAGE_SUMMARIES.get(lineage);
  if (!summary) {
    summary = summariseLineage(lineage);
    LINEAGE_SUMMARIES.set(lineage, summary);
  }
  return summary;
}

function drawLineage(canvas: ReportCanvas, lineage: LineageRow[]): void {
  const { lang } = canvas;
  // The appendix follows the report (a heading never sits alone at a page's foot); the outline leads to it.
  canvas.sectionTitle(label(lang, 'lineage'), 120);
  canvas.paragraph(label(lang, 'lineageIntro'), { size: SIZES.small, color: COLOURS.muted, after: 8 });
  if (lineage.length === 0) {
    canvas.paragraph(label(lang, 'noLineage'), { color: COLOURS.muted });
    return;
  }
  const summary = lineageSummary(lineage);
  // Where each single cell is listed: said up front, since the tables below cite ranges.
  canvas.paragraph(lineageWhere(lang, formatNumber(summary.cells, lang)), {
    size: SIZES.small,
    color: COLOURS.muted,
    after: 8,
  });
  canvas.subTitle(label(lang, 'lineageFigures'));
  drawTable<LineageGroup>(canvas, {
    fontSize: 6.5,
    rows: summary.groups,
    columns: [
      // A spending figure is named by its cost category: the sheet column already says it is spending.
      {
        header: label(lang, 'figure'),
        width: 34,
        cell: (g) =>
          g.figure.startsWith('finance:') ? g.figure.slice('finance:'.length) : figureLabel(lang, g.figure),
      },
      // The source's number leads to its full key, version, period and upload time in the table below.
      {
        header: label(lang, 'source'),
        fit: 'content',
        cell: (g) =>
          g.sources.length === 1 ? `[${g.source.number}] ${basename(g.source.key)}` : sourceNumbers(g.sources),
      },
      { header: label(lang, 'sheet'), fit: 'words', cell: (g) => g.sheet },
      { header: label(lang, 'cellRanges'), width: 66, cell: (g) => printedRanges(g.ranges, lang) },
      { header: label(lang, 'cellCount'), fit: 'content', align: 'right', cell: (g) => formatNumber(g.cells, lang) },
      {
        header: 'SHA-256',
        fit: 'content',
        cell: (g) => (g.sources.length === 1 ? shortHash(g.source.sha256) : label(lang, 'perSource')),
      },
    ],
  });
  canvas.y += 8;
  canvas.subTitle(label(lang, 'lineageSources'), 40);
  drawTable<LineageSource>(canvas, {
    fontSize: 6.5,
    rows: summary.sources,
    columns: [
      { header: 'Nr.', fit: 'content', align: 'right', cell: (s) => `[${s.number}]` },
      {
        header: label(lang, 'file'),
        width: 120,
        cell: (s) => ({ text: s.key, note: `${label(lang, 'version')} ${s.version}` }),
      },
      { header: label(lang, 'period'), fit: 'content', cell: (s) => s.period },
      { header: label(lang, 'uploaded'), fit: 'words', cell: (s) => formatDateTime(s.uploadedAt, lang) },
      { header: 'SHA-256', width: 110, cell: (s) => s.sha256 },
    ],
  });
}

/** Ranges cited in print; past {@link PRINTED_RANGES} the rest are counted (each is in the XLSX lineage sheet). */
const PRINTED_RANGES = 10;

function printedRanges(ranges: readonly string[], lang: Lang): string {
  const shown = ranges.slice(0, PRINTED_RANGES).join(', ');
  const rest = ranges.length - PRINTED_RANGES;
  return rest > 0 ? `${shown} ${moreRanges(lang, formatNumber(rest, lang), rest)}` : shown;
}

/** `[1]–[9]`, `[2], [4]`: the uploads a row's cells come from, runs of consecutive numbers joined. */
function sourceNumbers(sources: readonly LineageSource[]): string {
  const numbers = sources.map((s) => s.number).sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    runs.push(j > i ? `[${numbers[i]}]–[${numbers[j]}]` : `[${numbers[i]}]`);
    i = j + 1;
  }
  return runs.join(', ');
}

function basename(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}
