/**
 * The programme summary (A4 landscape), docs/architecture.md §6: completeness and finance at a glance, projects × indicator
 * statuses, common indicators summed across projects, finance by project, and — in a corrected revision — what
 * changed since the previous one. Bytes depend only on the model and the language.
 */

import {
  DASH,
  formatAmount,
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPeriodLabel,
  formatQuantity,
} from '../core/format';
import {
  type CommonIndicatorRow,
  type IndicatorStatus,
  type ProgrammeProjectRow,
  type ProgrammeReportModel,
  type ReportChange,
  STATUS_COLOURS,
  STATUSES,
} from '../core/report-types';
import type { Lang } from '../core/types';
import { drawFacts, drawKpis } from './blocks';
import { drawBreakdowns } from './breakdown-section';
import { ReportCanvas } from './document';
import { changeFigureLabel, label, moreProjects, pick, statusLabel, submissionLabel } from './labels';
import { type CellContent, drawTable, type TableOptions, tableKeepHeight } from './table';
import { COLOURS, SIZES, SUBMISSION_COLOURS } from './theme';

/**
 * Render the programme summary as PDF.
 *
 * @param model the computed programme summary (`generatedAt` is an input, not the wall clock)
 * @param lang report language
 * @returns the PDF bytes; the same model and language always give the same bytes
 */
export async function renderProgrammePdf(model: ProgrammeReportModel, lang: Lang): Promise<Uint8Array> {
  const canvas = new ReportCanvas({
    layout: 'landscape',
    lang,
    title: `${label(lang, 'programmeReportTitle')} — ${model.period}`,
    subject: `programme ${model.period} r${model.revision}`,
    generatedAt: model.generatedAt,
  });
  drawCover(canvas, model);
  drawProjects(canvas, model);
  drawIndicators(canvas, model.indicators);
  drawBreakdowns(canvas, model.indicators);
  drawFinance(canvas, model);
  if (model.changes.length > 0 || (model.notes ?? []).length > 0) drawChanges(canvas, model);
  canvas.writeFooters(`${label(lang, 'programmeReportTitle')} · ${model.period} · r${model.revision}`);
  return canvas.finish();
}

function drawCover(canvas: ReportCanvas, model: ProgrammeReportModel): void {
  const { doc, lang } = canvas;
  canvas.font(false, SIZES.coverKicker);
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.muted);
    canvas.text(label(lang, 'fundLine').toUpperCase(), canvas.left, canvas.top, {
      width: canvas.width,
      characterSpacing: 0.6,
    });
  });
  canvas.y += 6;
  canvas.font(true, SIZES.coverTitle);
  canvas.tag('H1', () => {
    doc.fillColor(COLOURS.heading);
    canvas.text(label(lang, 'programmeReportTitle'), canvas.left, canvas.y, { width: canvas.width });
  });
  canvas.y += 1;
  canvas.font(false, SIZES.coverSubtitle);
  const range = `${formatDate(model.periodStart, lang)}–${formatDate(model.periodEnd, lang)}`;
  const subtitle = `${formatPeriodLabel(model.period, lang)} (${range})`;
  canvas.tag('P', () => {
    doc.fillColor(COLOURS.text);
    canvas.text(subtitle, canvas.left, canvas.y, { width: canvas.width });
  });
  canvas.y += 8;
  doc.moveTo(canvas.left, canvas.y).lineTo(canvas.right, canvas.y).lineWidth(1.5).strokeColor(COLOURS.heading).stroke();
  canvas.y += 6;

  // Facts in two columns side by side: identification left, timing right.
  const top = canvas.y;
  const half = (canvas.width - 24) / 2;
  drawFacts(
    canvas,
    [
      { label: label(lang, 'period'), value: `${model.period} (${range})` },
      { label: label(lang, 'revision'), value: `r${model.revision}` },
    ],
    { width: half, labelWidth: 150 },
  );
  const leftEnd = canvas.y;
  canvas.y = top;
  drawFacts(
    canvas,
    [
      {
        label: label(lang, 'generatedAt'),
        value: `${formatDateTime(model.generatedAt, lang)} (${label(lang, 'rigaTime')})`,
      },
      { label: label(lang, 'deadline'), value: formatDate(model.deadline, lang) },
    ],
    { x: canvas.left + half + 24, width: half, labelWidth: 150 },
  );
  canvas.y = Math.max(leftEnd, canvas.y) + 4;

  // Completeness: how many projects submitted on time, late, or not at all — and which.
  canvas.sectionTitle(label(lang, 'completeness'), 90);
  const titles = new Map(model.projects.map((p) => [p.id, p.title]));
  const names = (ids: string[]): string => {
    if (ids.length === 0) return label(lang, 'none');
    // A box is a third of the page wide: a long list would run past the page, and the table lists every project.
    const shown = ids.length > COVER_PROJECTS ? ids.slice(0, COVER_PROJECTS - 1) : ids;
    const lines = shown.map((id) => `• ${titles.has(id) ? `${titles.get(id)} (${id})` : id}`);
    const rest = ids.length - shown.length;
    if (rest > 0) lines.push(moreProjects(lang, formatNumber(rest, lang)));
    return lines.join('\n');
  };
  const { onTime, late, missing } = model.completeness;
  drawKpis(canvas, [
    { caption: submissionLabel(lang, 'on-time'), value: String(onTime.length), note: names(onTime) },
    { caption: submissionLabel(lang, 'late'), value: String(late.length), note: names(late) },
    { caption: submissionLabel(lang, 'missing'), value: String(missing.length), note: names(missing) },
  ]);

  canvas.sectionTitle(label(lang, 'programmeFinance'), 60);
  const { finance } = model;
  drawKpis(canvas, [
    { caption: `${label(lang, 'eligibleCost')}, EUR`, value: formatAmount(finance.eligibleCost, lang) },
    { caption: `${label(lang, 'spentThisPeriod')}, EUR`, value: formatAmount(finance.spentThisPeriod, lang) },
    { caption: `${label(lang, 'spentCumulative')}, EUR`, value: formatAmount(finance.spentCumulative, lang) },
    { caption: label(lang, 'absorption'), value: formatPercent(finance.absorption, lang) },
    { caption: `${label(lang, 'euShare')}, EUR`, value: formatAmount(finance.euShare, lang) },
    { caption: `${label(lang, 'nationalShare')}, EUR`, value: formatAmount(finance.nationalShare, lang) },
  ]);
}

/** The most projects a cover box names; past it, the first ones and how many more (all fit in one page's box). */
export const COVER_PROJECTS = 10;

function countCell(count: number, status: IndicatorStatus): CellContent {
  // Zeros recede so the non-zero counts stand out in their status colour.
  return count === 0
    ? { text: '0', color: COLOURS.rule }
    : { text: String(count), color: STATUS_COLOURS[status], bold: true };
}

function drawProjects(canvas: ReportCanvas, model: ProgrammeReportModel): void {
  const { lang } = canvas;
  const table: TableOptions<ProgrammeProjectRow> = {
    keepTogether: true,
    rows: model.projects,
    columns: [
      { header: label(lang, 'project'), width: 190, cell: (p) => ({ text: p.title, note: p.id }) },
      { header: label(lang, 'beneficiary'), width: 110, cell: (p) => p.beneficiary },
      {
        header: label(lang, 'submission'),
        fit: 'words',
        cell: (p) => ({ text: submissionLabel(lang, p.submission), marker: SUBMISSION_COLOURS[p.submission] }),
      },
      ...STATUSES.map((status) => ({
        header: statusLabel(lang, status),
        headerMarker: STATUS_COLOURS[status],
        fit: 'words' as const,
        align: 'right' as const,
        cell: (p: ProgrammeProjectRow) => countCell(p.statusCounts[status] ?? 0, status),
      })),
      {
        header: label(lang, 'absorptionShort'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatPercent(p.absorption, lang),
      },
      {
        header: label(lang, 'elapsedShort'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatPercent(p.elapsed, lang),
      },
    ],
  };
  canvas.sectionTitle(label(lang, 'projectsStatuses'), tableKeepHeight(canvas, table));
  drawTable(canvas, table);
}

function drawIndicators(canvas: ReportCanvas, rows: CommonIndicatorRow[]): void {
  const { lang } = canvas;
  if (rows.length === 0) {
    canvas.sectionTitle(label(lang, 'commonIndicators'), 20);
    canvas.paragraph(label(lang, 'notProvided'), { color: COLOURS.muted });
    return;
  }
  const table: TableOptions<CommonIndicatorRow> = {
    keepTogether: true,
    rows,
    columns: [
      { header: label(lang, 'code'), fit: 'content', cell: (r) => ({ text: r.code, bold: true }) },
      { header: label(lang, 'name'), cell: (r) => pick(r.name, lang) },
      { header: label(lang, 'unit'), fit: 'words', cell: (r) => pick(r.unit, lang) },
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
        header: label(lang, 'target'),
        fit: 'content',
        align: 'right',
        cell: (r) => formatQuantity(r.target, lang),
      },
      {
        header: label(lang, 'percentOfTarget'),
        fit: 'content',
        align: 'right',
        // Values and targets of the same projects (those with a target), never all values over some targets.
        cell: (r) => (r.achievement !== null ? formatPercent(r.achievement, lang) : DASH),
      },
      {
        header: label(lang, 'projectsCount'),
        fit: 'content',
        align: 'right',
        cell: (r) => String(r.projects),
      },
    ],
  };
  canvas.sectionTitle(label(lang, 'commonIndicators'), tableKeepHeight(canvas, table));
  for (const row of rows) canvas.bookmark(`${row.code} — ${pick(row.name, lang)}`);
  drawTable(canvas, table);
}

function drawFinance(canvas: ReportCanvas, model: ProgrammeReportModel): void {
  const { lang } = canvas;
  const { finance } = model;
  const table: TableOptions<ProgrammeProjectRow> = {
    keepTogether: true,
    rows: model.projects,
    columns: [
      { header: label(lang, 'project'), cell: (p) => ({ text: p.title, note: p.id }) },
      {
        header: label(lang, 'eligibleCostEur'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatAmount(p.eligibleCost, lang),
      },
      {
        header: label(lang, 'spentCumulativeEur'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatAmount(p.spentCumulative, lang),
      },
      {
        header: label(lang, 'absorptionShort'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatPercent(p.absorption, lang),
      },
      {
        header: label(lang, 'elapsedShort'),
        fit: 'content',
        align: 'right',
        cell: (p) => formatPercent(p.elapsed, lang),
      },
    ],
    footer: [
      [
        label(lang, 'total'),
        formatAmount(finance.eligibleCost, lang),
        formatAmount(finance.spentCumulative, lang),
        formatPercent(finance.absorption, lang),
        '',
      ],
    ],
  };
  // The share lines below belong with the table; keep room for them too.
  canvas.sectionTitle(label(lang, 'financeTotals'), tableKeepHeight(canvas, table) + 70);
  drawTable(canvas, table);
  canvas.y += 10;
  drawFacts(
    canvas,
    [
      { label: label(lang, 'spentCumulative'), value: formatMoney(finance.spentCumulative, lang), bold: true },
      { label: label(lang, 'euShare'), value: formatMoney(finance.euShare, lang) },
      { label: label(lang, 'nationalShare'), value: formatMoney(finance.nationalShare, lang) },
      { label: label(lang, 'spentThisPeriod'), value: formatMoney(finance.spentThisPeriod, lang) },
    ],
    { width: 420, labelWidth: 250, valueAlign: 'right' },
  );
}

function drawChanges(canvas: ReportCanvas, model: ProgrammeReportModel): void {
  const { lang } = canvas;
  canvas.sectionTitle(label(lang, 'changes'), 60);
  canvas.paragraph(label(lang, 'changesIntro'), { size: SIZES.small, color: COLOURS.muted, after: 8 });
  // Changes besides figures (an operator's reason, registry fields old → new), one line each.
  for (const note of model.notes ?? []) canvas.paragraph(`• ${note[lang]}`, { size: SIZES.small, after: 2 });
  if (model.changes.length === 0) return;
  const titles = new Map(model.projects.map((p) => [p.id, p.title]));
  // Money keeps its cents; indicator values print as quantities.
  const value = (c: ReportChange, v: number): string =>
    c.figure === 'finance' ? formatAmount(v, lang) : formatQuantity(v, lang);
  drawTable<ReportChange>(canvas, {
    rows: model.changes,
    columns: [
      {
        header: label(lang, 'project'),
        cell: (c) => (titles.has(c.projectId) ? { text: titles.get(c.projectId)!, note: c.projectId } : c.projectId),
      },
      { header: label(lang, 'figure'), fit: 'content', cell: (c) => changeFigureLabel(lang, c.figure) },
      { header: label(lang, 'oldValue'), fit: 'content', align: 'right', cell: (c) => value(c, c.old) },
      { header: '→', fit: 'content', align: 'center', cell: () => ({ text: '→', color: COLOURS.muted }) },
      {
        header: label(lang, 'newValue'),
        fit: 'content',
        align: 'right',
        cell: (c) => ({ text: value(c, c.new), bold: true }),
      },
      {
        header: label(lang, 'difference'),
        fit: 'content',
        align: 'right',
        cell: (c) => {
          const diff = c.new - c.old;
          const text = value(c, diff);
          return diff > 0 ? `+${text}` : text;
        },
      },
    ],
  });
}
