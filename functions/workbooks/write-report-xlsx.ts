/**
 * Excel renderings of the project and programme reports (docs/architecture.md §6): the same figures as the PDF, as real
 * numbers and dates with number formats, live formulas where a reader may want to follow the arithmetic,
 * frozen headers, autofilters and print setup. Bytes depend only on the model and the language.
 */

import { TZDate } from '@date-fns/tz';
import type ExcelJS from 'exceljs';
import type { Alignment, AutoFilter, Borders, CellValue, Fill, Font, Style } from 'exceljs';
import { AGE_LABELS, BREAKDOWN_TEXT, type Breakdown, GENDER_LABELS } from '../core/breakdown';
import { STATUS_LABELS, SUBMISSION_STATUS_LABELS, LABELS as T } from '../core/labels';
import { PROGRAMME_ZONE } from '../core/period';
import {
  type IndicatorRow,
  type IndicatorStatus,
  type ProgrammeReportModel,
  type ProjectReportModel,
  type ReportChange,
  STATUS_COLOURS,
  STATUSES,
  type SubmissionStatus,
} from '../core/report-types';
import { AGE_BRACKETS, type Bilingual, type ChangeNote, GENDERS, type IsoDate, type Lang } from '../core/types';
import { type BulkColumn, type BulkRows, fillBulkRows, renderBulkRows, spliceBulkRows } from './bulk-rows';
import { DEFAULT_COLUMN_WIDTH, fitSheetLayout } from './fit-layout';
import { type PlainConditionalFormat, type PlainSheetOptions, PlainWorkbook } from './plain-workbook';
import { safeCellText } from './safe-text';
import { shareCellStyles } from './share-styles';
import { writeWorkbookPacked } from './workbook-entries';
import { writePlainWorkbook } from './write-plain-workbook';

/**
 * Sheet names are part of the contract with readers (and auditors' macros): each edition names its sheets in its
 * own language, the Latvian ones unchanged since the first release.
 */
export const XLSX_SHEETS = {
  summary: { lv: 'Kopsavilkums', en: 'Summary' },
  indicators: { lv: 'Rādītāji', en: 'Indicators' },
  finance: { lv: 'Finanses', en: 'Finance' },
  lineage: { lv: 'Izcelsme', en: 'Lineage' },
  projects: { lv: 'Projekti', en: 'Projects' },
  changes: { lv: 'Izmaiņas', en: 'Changes' },
  breakdown: { lv: 'Dzimums un vecums', en: 'Gender and age' },
} as const satisfies Record<string, Bilingual>;

const CREATOR = 'pmif-reports';

const FMT = {
  count: '#,##0',
  decimal: '#,##0.00',
  money: '#,##0.00 "EUR"',
  percent: '0.0%',
  date: 'dd.mm.yyyy',
  timestamp: 'dd.mm.yyyy hh:mm:ss',
} as const;

const HEADER_FILL = 'FFD9E1F2';
const TEXT_ON_TINT = 'FF1A1A1A';

/** Submission states borrow the indicator palette so the two read alike. */
const SUBMISSION_COLOURS: Record<SubmissionStatus, string> = {
  'on-time': STATUS_COLOURS['on-track'],
  late: STATUS_COLOURS['at-risk'],
  missing: STATUS_COLOURS.behind,
};

// ---------------------------------------------------------------------------------------------------------------
// Cell writers. Formulas are only ever built here from cell addresses; user text goes through safeCellText.

/** What the cell writers set: an exceljs cell, or a cell of a long table's bulk rows (`bulk-rows.ts`). */
interface CellTarget {
  value: CellValue;
  numFmt?: string;
  font?: Partial<Font>;
  alignment?: Partial<Alignment>;
  readonly address: string;
  readonly worksheet: { readonly name: string };
}

function text(cell: CellTarget, value: string | null): void {
  cell.value = value === null || value === '' ? null : safeText(value);
}

/**
 * {@link safeCellText} of texts already seen: a lineage sheet repeats each source's key, version and hash on
 * every row. Bounded for long-lived workers.
 */
const safeTexts = new Map<string, string>();

function safeText(value: string): string {
  let safe = safeTexts.get(value);
  if (safe === undefined) {
    safe = safeCellText(value);
    if (safeTexts.size >= 10_000) safeTexts.clear();
    safeTexts.set(value, safe);
  }
  return safe;
}

function assertFinite(cell: CellTarget, n: number): void {
  // exceljs would write `NaN` into the XML and Excel would call the file corrupt: a bug upstream, so say where.
  if (!Number.isFinite(n)) throw new RangeError(`${cell.worksheet.name}!${cell.address}: not a finite number (${n})`);
}

function number(cell: CellTarget, n: number | null, numFmt: string): void {
  if (n === null) return;
  assertFinite(cell, n);
  cell.value = n;
  cell.numFmt = numFmt;
}

/** Counts and indicator values: whole numbers without decimals, fractional ones (hours, EUR) with two. */
function countFormat(...values: (number | null)[]): string {
  return values.every((v) => v === null || Number.isInteger(v)) ? FMT.count : FMT.decimal;
}

function utcDate(iso: IsoDate): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** Calendar dates are zone-less: written as UTC midnight so the serial number is a whole day. */
function date(cell: CellTarget, iso: IsoDate | null): void {
  if (iso === null) return;
  cell.value = utcDate(iso);
  cell.numFmt = FMT.date;
}

/**
 * Instants are shown as the wall-clock time in Riga (the header says so), like every time a person reads; a
 * spreadsheet date has no zone, so the Riga time is stored as the cell's date and time.
 */
function timestamp(cell: CellTarget, iso: string | null): void {
  if (iso === null) return;
  const wall = rigaWallClockOf(iso);
  if (wall === null) {
    // Lineage timestamps come from object metadata; an odd one is still worth showing as it was.
    text(cell, iso);
    return;
  }
  cell.value = new Date(wall);
  cell.numFmt = FMT.timestamp;
}

/** Riga wall-clock times by ISO text (null: not a time): a lineage sheet repeats each upload time on every row. */
const rigaTimesByText = new Map<string, number | null>();

function rigaWallClockOf(iso: string): number | null {
  let wall = rigaTimesByText.get(iso);
  if (wall === undefined) {
    const ms = Date.parse(iso);
    wall = Number.isNaN(ms) ? null : rigaWallClock(ms);
    if (rigaTimesByText.size >= 10_000) rigaTimesByText.clear();
    rigaTimesByText.set(iso, wall);
  }
  return wall;
}

/**
 * Riga wall-clock times already worked out, by instant. A lineage sheet repeats each source's upload time on
 * every row, and each time-zone conversion costs a search of the zone's offsets. Bounded for long-lived workers.
 */
const rigaTimes = new Map<number, number>();

/** The Riga wall-clock time of the instant `ms`, as milliseconds of the same fields read as UTC. */
function rigaWallClock(ms: number): number {
  let wall = rigaTimes.get(ms);
  if (wall === undefined) {
    const riga = new TZDate(ms, PROGRAMME_ZONE);
    wall = Date.UTC(
      riga.getFullYear(),
      riga.getMonth(),
      riga.getDate(),
      riga.getHours(),
      riga.getMinutes(),
      riga.getSeconds(),
    );
    if (rigaTimes.size >= 10_000) rigaTimes.clear();
    rigaTimes.set(ms, wall);
  }
  return wall;
}

/** A live formula with its cached result, so readers that do not recalculate (and our tests) see the value. */
function formula(cell: CellTarget, expression: string, result: number | null, numFmt: string): void {
  if (result !== null) assertFinite(cell, result);
  cell.value = { formula: expression, result: result ?? '' };
  cell.numFmt = numFmt;
}

function bold(cell: CellTarget): void {
  // One shared font for the usual case: style look-ups of the bulk rows go by identity first.
  cell.font = cell.font ? { ...cell.font, bold: true } : BOLD;
}

/** Mix a colour with white: `share` of the colour, the rest white. */
function tint(hex: string, share: number): string {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16);
    return Math.round(c * share + 255 * (1 - share))
      .toString(16)
      .padStart(2, '0');
  };
  return `FF${channel(0)}${channel(2)}${channel(4)}`.toUpperCase();
}

function solidFill(argb: string): Style['fill'] {
  // Conditional-format fills (dxf) take their colour from bgColor, cell fills from fgColor; set both.
  return { type: 'pattern', pattern: 'solid', fgColor: { argb }, bgColor: { argb } };
}

// ---------------------------------------------------------------------------------------------------------------
// Sheets, tables and page setup.

/**
 * Which writer builds the workbook: `plain` (the default) fills a {@link PlainWorkbook} and writes its XML directly
 * (`write-plain-workbook.ts`); `exceljs` fills exceljs's workbook and lets exceljs write it, the reference the tests
 * compare the plain writer with. Both are filled by the same code below, through the API they share.
 */
export type ReportWriter = 'plain' | 'exceljs';

/** What the report writes to a cell of a header, totals or facts row: a table cell's properties, a fill and border. */
interface ReportCell extends CellTarget {
  fill?: Fill;
  border?: Partial<Borders>;
}

/** The part of a worksheet the report uses, with exceljs's meaning: exceljs's `Worksheet` or a {@link PlainSheet}. */
interface ReportSheet {
  readonly id: number;
  readonly name: string;
  getRow(row: number): { getCell(col: number): ReportCell; readonly cellCount: number };
  getColumn(col: number): { width?: number | undefined };
  autoFilter?: AutoFilter;
  addConditionalFormatting(format: PlainConditionalFormat): void;
}

interface ReportWorkbook {
  creator: string;
  lastModifiedBy: string;
  title: string;
  created: Date;
  modified: Date;
  lastPrinted: Date;
  addWorksheet(name: string, options: PlainSheetOptions): ReportSheet;
}

interface SheetOptions {
  lang: Lang;
  /** Printed in the page header, e.g. `PMIF projekta pārskats · PMIF-2024-001 · 2025-Q2 · r2`. */
  heading: string;
  /** Columns kept in view when scrolling right (the code or project ID). */
  frozenColumns?: number;
}

/** Header and footer text treats `&` as a control character; Excel caps the whole header at 255 characters. */
function headerFooterText(s: string): string {
  return safeCellText(s).slice(0, 120).replace(/&/g, '&&');
}

function addSheet(workbook: ReportWorkbook, name: string, options: SheetOptions): ReportSheet {
  const xSplit = options.frozenColumns ?? 0;
  const firstFree = `${columnLetter(xSplit + 1)}2`;
  return workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit, ySplit: 1, topLeftCell: firstFree, activeCell: firstFree }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      // 0 = as many pages high as needed; only the width is squeezed onto one page.
      fitToHeight: 0,
      printTitlesRow: '1:1',
      margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
    },
    headerFooter: {
      oddHeader: `&L${headerFooterText(options.heading)}&R&A`,
      oddFooter: `&C${T.footer[options.lang]}`,
    },
  });
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

interface Column<R> {
  header: Bilingual;
  /** Starting width in characters; text columns with `maxWidth` grow to fit their content up to it. */
  width: number;
  maxWidth?: number;
  /** Long text: wrapped, top-aligned. */
  wrap?: boolean;
  put: (cell: CellTarget, row: R, rowNumber: number) => void;
}

/** A header cell's style parts: frozen, shared by every header cell (the style table remembers them by identity). */
const HEADER_STYLE = deepFreeze({
  font: { bold: true },
  fill: solidFill(HEADER_FILL),
  alignment: { wrapText: true, vertical: 'middle' },
  border: { bottom: { style: 'thin' } },
} satisfies Pick<ReportCell, 'font' | 'fill' | 'alignment' | 'border'>);

/** A totals row's top rule, shared and frozen as the header's parts are. */
const TOTAL_BORDER: Partial<Borders> = deepFreeze({ top: { style: 'thin' } });

function deepFreeze<T extends object>(value: T): T {
  for (const part of Object.values(value)) if (typeof part === 'object' && part !== null) deepFreeze(part);
  return Object.freeze(value);
}

function styleHeaderRow(sheet: ReportSheet, count: number): void {
  const row = sheet.getRow(1);
  for (let c = 1; c <= count; c++) {
    const cell = row.getCell(c);
    cell.font = HEADER_STYLE.font;
    cell.fill = HEADER_STYLE.fill;
    cell.alignment = HEADER_STYLE.alignment;
    cell.border = HEADER_STYLE.border;
  }
}

/**
 * The data rows of the tables of the workbook being written, by sheet: every table's rows are bulk rows
 * (`bulk-rows.ts`), written as sheet XML after the exceljs header row when the workbook is written.
 */
const bulkRowsOf = new WeakMap<ReportSheet, BulkRows>();

/**
 * Write a table whose header is row 1, with an autofilter over the header and data rows. The data rows are bulk
 * rows; rows a caller adds after them (totals, facts) are exceljs rows, and may widen the columns further.
 * @returns the last data row (1 when there are none).
 */
function writeTable<R>(sheet: ReportSheet, lang: Lang, columns: Column<R>[], rows: readonly R[]): number {
  columns.forEach((column, i) => {
    sheet.getRow(1).getCell(i + 1).value = column.header[lang];
  });
  styleHeaderRow(sheet, columns.length);
  const lastRow = rows.length + 1;
  writeBulkRows(sheet, columns, rows);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: lastRow, column: columns.length } };
  return lastRow;
}

function writeBulkRows<R>(sheet: ReportSheet, columns: readonly BulkColumn<R>[], rows: readonly R[]): void {
  if (bulkRowsOf.has(sheet)) throw new Error(`${sheet.name}: one table per sheet`);
  const filled = fillBulkRows(sheet.name, columns, rows);
  filled.widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  bulkRowsOf.set(sheet, filled);
}

interface SummaryRow {
  label: Bilingual | string;
  put: (cell: CellTarget) => void;
}

const BOLD: Partial<Font> = Object.freeze({ bold: true });
const TOP: Partial<Alignment> = Object.freeze({ vertical: 'top' });
const WRAP_TOP_LEFT: Partial<Alignment> = Object.freeze({ wrapText: true, vertical: 'top', horizontal: 'left' });

/** A label | value list: the report's facts in a fixed reading order (no autofilter: it is not a table to sort). */
function writeSummary(sheet: ReportSheet, lang: Lang, rows: SummaryRow[]): void {
  sheet.getRow(1).getCell(1).value = T.field[lang];
  sheet.getRow(1).getCell(2).value = T.rawValue[lang];
  styleHeaderRow(sheet, 2);
  const columns: BulkColumn<SummaryRow>[] = [
    {
      width: 36,
      put: (label, row) => {
        label.value = typeof row.label === 'string' ? safeCellText(row.label) : row.label[lang];
        label.font = BOLD;
        label.alignment = TOP;
      },
    },
    {
      width: 24,
      maxWidth: 90,
      put: (value, row) => {
        row.put(value);
        value.alignment = WRAP_TOP_LEFT;
      },
    },
  ];
  writeBulkRows(sheet, columns, rows);
}

/**
 * One conditional-format rule per label on a column: a light tint of the status colour with dark bold text,
 * readable on screen and in black-and-white print (white on amber would not be).
 */
function colourByLabel(sheet: ReportSheet, column: number, lastRow: number, colours: [string, string][]): void {
  if (lastRow < 2) return;
  const letter = columnLetter(column);
  sheet.addConditionalFormatting({
    ref: `${letter}2:${letter}${lastRow}`,
    rules: colours.map(([label, colour], i) => ({
      // "Text contains" as an expression rule: exceljs writes `containsText` rules without the `text` and
      // `operator` attributes Excel expects, and Excel then ignores them until the rule is re-saved by hand.
      type: 'expression',
      formulae: [`NOT(ISERROR(SEARCH("${label.replace(/"/g, '""')}",${letter}2)))`],
      priority: i + 1,
      style: { fill: solidFill(tint(colour, 0.3)), font: { bold: true, color: { argb: TEXT_ON_TINT } } },
    })),
  });
}

function statusColours(lang: Lang): [string, string][] {
  return STATUSES.map((s) => [STATUS_LABELS[s][lang], STATUS_COLOURS[s]]);
}

function submissionColours(lang: Lang): [string, string][] {
  return (Object.keys(SUBMISSION_COLOURS) as SubmissionStatus[]).map((s) => [
    SUBMISSION_STATUS_LABELS[s][lang],
    SUBMISSION_COLOURS[s],
  ]);
}

async function newWorkbook(generatedAt: string, title: string, writer: ReportWriter): Promise<ReportWorkbook> {
  const when = new Date(generatedAt);
  if (Number.isNaN(when.getTime())) throw new RangeError(`generatedAt is not an ISO timestamp: ${generatedAt}`);
  // exceljs is loaded only for the reference writer: a render worker or Lambda never loads its document model.
  const workbook: ReportWorkbook =
    writer === 'plain' ? new PlainWorkbook() : new (await import('exceljs')).default.Workbook();
  // Every date in the package comes from the model, never the wall clock, so the same model gives the same bytes.
  workbook.creator = CREATOR;
  workbook.lastModifiedBy = CREATOR;
  workbook.created = when;
  workbook.modified = when;
  workbook.lastPrinted = when;
  workbook.title = safeCellText(title);
  return workbook;
}

async function finish(workbook: ReportWorkbook): Promise<Uint8Array> {
  if (workbook instanceof PlainWorkbook) {
    // Widths and heights as the widest common font draws them, so no office suite shows `###` or a clipped row.
    // (Bulk rows were fitted alike when they were filled; their columns' widths are set on the sheet.)
    workbook.eachSheet((sheet) => {
      fitSheetLayout(sheet);
      sheet.bulkRows = bulkRowsOf.get(sheet);
    });
    return writePlainWorkbook(workbook);
  }
  return finishWithExcelJs(workbook as ExcelJS.Workbook);
}

/** The reference writer: exceljs's own, with the bulk rows spliced into its sheet XML. */
async function finishWithExcelJs(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  workbook.eachSheet(fitSheetLayout);
  shareCellStyles(workbook);
  return writeWorkbookPacked(workbook, (tables) => {
    const edits = new Map<number, (xml: string) => string>();
    workbook.eachSheet((sheet) => {
      const rows = bulkRowsOf.get(sheet);
      if (!rows) return;
      // Heights at the final widths: rows after the table (totals, facts) may have widened a column.
      const widths = rows.widths.map((_, i) => sheet.getColumn(i + 1).width ?? DEFAULT_COLUMN_WIDTH);
      const xml = renderBulkRows(rows, widths, tables);
      edits.set(sheet.id, (sheetXml) => spliceBulkRows(sheetXml, xml, rows.cells.length + 1, rows.widths.length));
    });
    return edits;
  });
}

function countByStatus(statuses: readonly IndicatorStatus[]): Record<IndicatorStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<IndicatorStatus, number>;
  for (const s of statuses) counts[s] += 1;
  return counts;
}

function addFinanceFacts(sheet: ReportSheet, lang: Lang, startRow: number, facts: [Bilingual, number, string][]): void {
  facts.forEach(([label, value, numFmt], i) => {
    const row = sheet.getRow(startRow + i);
    row.getCell(1).value = label[lang];
    bold(row.getCell(1));
    number(row.getCell(2), value, numFmt);
  });
}

/** A totals row of SUM formulas over rows 2..lastRow, each with its cached result. */
function addTotals(sheet: ReportSheet, lang: Lang, row: number, lastRow: number, sums: [number, number][]): void {
  const cell = sheet.getRow(row).getCell(1);
  cell.value = T.total[lang];
  for (const [column, total] of sums) {
    const target = sheet.getRow(row).getCell(column);
    const letter = columnLetter(column);
    // An empty table has nothing to sum; SUM(B2:B1) would wrap onto the header.
    if (lastRow < 2) number(target, 0, FMT.money);
    else formula(target, `SUM(${letter}2:${letter}${lastRow})`, total, FMT.money);
  }
  for (let c = 1; c <= sheet.getRow(1).cellCount; c++) {
    const total = sheet.getRow(row).getCell(c);
    bold(total);
    total.border = TOTAL_BORDER;
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Project report.

/**
 * Render a project's quarterly report as an XLSX workbook: sheets `Kopsavilkums` (facts and narrative),
 * `Rādītāji` (indicators, % of target as a live formula), `Finanses` (categories with SUM totals) and
 * `Izcelsme` (lineage). Sheet names stay Latvian; headers and labels follow `lang`.
 *
 * Deterministic: the same model and language give the same bytes (package dates come from `generatedAt`).
 * @throws RangeError when the model holds a non-finite number or a malformed date (a bug upstream).
 */
export async function renderProjectXlsx(
  model: ProjectReportModel,
  lang: Lang,
  writer: ReportWriter = 'plain',
): Promise<Uint8Array> {
  const { project } = model;
  const heading = `${T.projectReport[lang]} · ${project.id} · ${model.period} · r${model.revision}`;
  const workbook = await newWorkbook(model.generatedAt, heading, writer);
  const options: SheetOptions = { lang, heading };

  writeProjectSummary(addSheet(workbook, XLSX_SHEETS.summary[lang], options), model, lang);
  writeProjectIndicators(
    addSheet(workbook, XLSX_SHEETS.indicators[lang], { ...options, frozenColumns: 1 }),
    model,
    lang,
  );
  writeProjectFinance(addSheet(workbook, XLSX_SHEETS.finance[lang], options), model, lang);
  if (model.indicators.some((i) => i.breakdown))
    writeBreakdowns(
      addSheet(workbook, XLSX_SHEETS.breakdown[lang], { ...options, frozenColumns: 1 }),
      model.indicators,
      lang,
    );
  writeLineage(addSheet(workbook, XLSX_SHEETS.lineage[lang], options), model, lang);
  return finish(workbook);
}

function writeProjectSummary(sheet: ReportSheet, model: ProjectReportModel, lang: Lang): void {
  const { project, submission, finance } = model;
  const counts = countByStatus(model.indicators.map((i) => i.status));
  const rows: SummaryRow[] = [
    { label: T.projectId, put: (c) => text(c, project.id) },
    { label: T.contractNo, put: (c) => text(c, project.contractNo) },
    { label: T.projectTitle, put: (c) => text(c, project.title) },
    { label: T.beneficiary, put: (c) => text(c, project.beneficiary) },
    { label: T.fund, put: (c) => text(c, project.fund) },
    { label: T.specificObjective, put: (c) => text(c, project.specificObjective) },
    { label: T.projectStart, put: (c) => date(c, project.start) },
    { label: T.projectEnd, put: (c) => date(c, project.end) },
    { label: T.eligibleCost, put: (c) => number(c, project.eligibleCost, FMT.money) },
    { label: T.euRate, put: (c) => number(c, project.euRatePercent / 100, FMT.percent) },
    { label: T.reportingPeriod, put: (c) => text(c, model.period) },
    { label: T.periodStart, put: (c) => date(c, model.periodStart) },
    { label: T.periodEnd, put: (c) => date(c, model.periodEnd) },
    { label: T.revision, put: (c) => number(c, model.revision, FMT.count) },
    { label: T.generatedAtUtc, put: (c) => timestamp(c, model.generatedAt) },
    { label: T.submissionStatus, put: (c) => text(c, SUBMISSION_STATUS_LABELS[submission.status][lang]) },
    { label: T.deadline, put: (c) => date(c, submission.deadline) },
    { label: T.submittedAt, put: (c) => timestamp(c, submission.uploadedAt) },
    { label: T.submittedFile, put: (c) => text(c, submission.sourceKey) },
    { label: T.elapsed, put: (c) => number(c, model.elapsed, FMT.percent) },
    { label: T.financeAbsorption, put: (c) => number(c, finance.absorption, FMT.percent) },
    ...STATUSES.map((s) => ({
      label: `${T.indicatorsWithStatus[lang]}: ${STATUS_LABELS[s][lang]}`,
      put: (c: CellTarget) => number(c, counts[s], FMT.count),
    })),
    { label: T.achievements, put: (c) => text(c, model.narrative?.achievements ?? null) },
    { label: T.problems, put: (c) => text(c, model.narrative?.problems ?? null) },
    { label: T.furtherSteps, put: (c) => text(c, model.narrative?.nextSteps ?? null) },
    ...model.warnings.map((w) => ({
      label: T.dataQualityWarning,
      put: (c: CellTarget) => {
        const where = w.sheet ? ` (${w.sheet}${w.cell ? `!${w.cell}` : ''})` : '';
        text(c, `${w.code}: ${w.message[lang]}${where}`);
      },
    })),
  ];
  writeSummary(sheet, lang, rows);
}

function writeProjectIndicators(sheet: ReportSheet, model: ProjectReportModel, lang: Lang): void {
  // Columns F (target) and H (cumulative) feed the live % of target in column I.
  const columns: Column<IndicatorRow>[] = [
    { header: T.code, width: 10, maxWidth: 16, put: (c, i) => text(c, i.code) },
    { header: T.name, width: 30, maxWidth: 60, wrap: true, put: (c, i) => text(c, i.name[lang]) },
    { header: T.unitOfMeasure, width: 10, maxWidth: 20, put: (c, i) => text(c, i.unit[lang]) },
    { header: T.type, width: 11, put: (c, i) => text(c, T[i.type][lang]) },
    { header: T.baselineValue, width: 11, put: (c, i) => number(c, i.baseline, rowFormat(i)) },
    { header: T.targetValue, width: 11, put: (c, i) => number(c, i.target, rowFormat(i)) },
    { header: T.inThisPeriod, width: 11, put: (c, i) => number(c, i.thisPeriod, rowFormat(i)) },
    { header: T.cumulatively, width: 12, put: (c, i) => number(c, i.cumulative, rowFormat(i)) },
    {
      header: T.percentOfTarget,
      width: 10,
      put: (c, i, r) => formula(c, `IF(F${r}>0,H${r}/F${r},"")`, i.achievement, FMT.percent),
    },
    { header: T.expectedShare, width: 11, put: (c, i) => number(c, i.expected, FMT.percent) },
    { header: T.status, width: 16, put: (c, i) => text(c, STATUS_LABELS[i.status][lang]) },
    { header: T.forecastAtEnd, width: 13, put: (c, i) => number(c, i.forecast, rowFormat(i)) },
    { header: T.legendMilestone, width: 12, put: (c, i) => number(c, i.milestone, rowFormat(i)) },
    { header: T.milestoneDate, width: 12, put: (c, i) => date(c, i.milestoneDate) },
    { header: T.milestoneMissed, width: 16, put: (c, i) => text(c, milestoneText(i, lang)) },
  ];
  const lastRow = writeTable(sheet, lang, columns, model.indicators);
  colourByLabel(sheet, 11, lastRow, statusColours(lang));
}

interface BreakdownRow {
  code: string;
  name: Bilingual;
  gender: Bilingual;
  counts: number[];
  total: number;
  isTotal: boolean;
}

/**
 * Gender × age bracket of every person indicator, cumulative, unique persons: four gender rows and a total row per
 * indicator, so the cells of one indicator add up to its cumulative value (and filter by code).
 */
function writeBreakdowns(
  sheet: ReportSheet,
  items: readonly { code: string; name: Bilingual; breakdown?: Breakdown }[],
  lang: Lang,
): void {
  const rows: BreakdownRow[] = [];
  for (const item of items) {
    const b = item.breakdown;
    if (!b) continue;
    // Only the code and name: a spread of the whole indicator row for each of its five rows was most of this sheet.
    const { code, name } = item;
    for (const g of GENDERS) {
      const counts = AGE_BRACKETS.map((a) => b.counts[g][a]);
      rows.push({ code, name, gender: GENDER_LABELS[g], counts, total: sum(counts), isTotal: false });
    }
    const counts = AGE_BRACKETS.map((a) => sum(GENDERS.map((g) => b.counts[g][a])));
    rows.push({ code, name, gender: BREAKDOWN_TEXT.total, counts, total: b.total, isTotal: true });
  }
  const emphasise = (c: CellTarget, r: BreakdownRow) => {
    if (r.isTotal) bold(c);
  };
  const columns: Column<BreakdownRow>[] = [
    { header: T.code, width: 10, maxWidth: 16, put: (c, r) => text(c, r.code) },
    { header: T.name, width: 30, maxWidth: 60, wrap: true, put: (c, r) => text(c, r.name[lang]) },
    {
      header: BREAKDOWN_TEXT.gender,
      width: 14,
      put: (c, r) => {
        text(c, r.gender[lang]);
        emphasise(c, r);
      },
    },
    ...AGE_BRACKETS.map(
      (a, k): Column<BreakdownRow> => ({
        header: AGE_LABELS[a],
        width: 12,
        put: (c, r) => {
          number(c, r.counts[k]!, FMT.count);
          emphasise(c, r);
        },
      }),
    ),
    {
      header: BREAKDOWN_TEXT.total,
      width: 10,
      put: (c, r) => {
        number(c, r.total, FMT.count);
        bold(c);
      },
    },
  ];
  writeTable(sheet, lang, columns, rows);
}

/** "Missed on its date", and when it was met later. */
function milestoneText(i: IndicatorRow, lang: Lang): string {
  if (!i.milestoneMissed) return T.no[lang];
  return i.milestoneMetIn ? `${T.metLater[lang]}: ${i.milestoneMetIn}` : T.yes[lang];
}

/** One format per indicator row, so a fractional baseline does not make the target look rounded. */
function rowFormat(i: IndicatorRow): string {
  return countFormat(i.baseline, i.target, i.thisPeriod, i.cumulative, i.milestone);
}

function writeProjectFinance(sheet: ReportSheet, model: ProjectReportModel, lang: Lang): void {
  const { finance } = model;
  const columns: Column<ProjectReportModel['finance']['categories'][number]>[] = [
    { header: T.costCategory, width: 22, maxWidth: 50, wrap: true, put: (c, f) => text(c, f.category) },
    { header: T.planned, width: 16, put: (c, f) => number(c, f.planned, FMT.money) },
    { header: T.inThisPeriod, width: 16, put: (c, f) => number(c, f.thisPeriod, FMT.money) },
    { header: T.cumulatively, width: 16, put: (c, f) => number(c, f.cumulative, FMT.money) },
    {
      header: T.percentOfPlanned,
      width: 12,
      put: (c, f, r) =>
        formula(c, `IF(B${r}>0,D${r}/B${r},"")`, f.planned > 0 ? f.cumulative / f.planned : null, FMT.percent),
    },
  ];
  const lastRow = writeTable(sheet, lang, columns, finance.categories);
  const totalsRow = lastRow + 1;
  const planned = sum(finance.categories.map((f) => f.planned));
  const cumulative = sum(finance.categories.map((f) => f.cumulative));
  addTotals(sheet, lang, totalsRow, lastRow, [
    [2, planned],
    [3, sum(finance.categories.map((f) => f.thisPeriod))],
    [4, cumulative],
  ]);
  formula(
    sheet.getRow(totalsRow).getCell(5),
    `IF(B${totalsRow}>0,D${totalsRow}/B${totalsRow},"")`,
    planned > 0 ? cumulative / planned : null,
    FMT.percent,
  );
  addFinanceFacts(sheet, lang, totalsRow + 2, [
    [T.eligibleCost, finance.eligibleCost, FMT.money],
    [T.spentInThisPeriod, finance.spentThisPeriod, FMT.money],
    [T.spentCumulatively, finance.spentCumulative, FMT.money],
    [T.financeAbsorption, finance.absorption, FMT.percent],
    [T.elapsed, finance.elapsed, FMT.percent],
    [T.euRate, finance.euRatePercent / 100, FMT.percent],
    [T.euPart, finance.euShare, FMT.money],
    [T.nationalPart, finance.nationalShare, FMT.money],
  ]);
}

function writeLineage(sheet: ReportSheet, model: ProjectReportModel, lang: Lang): void {
  const columns: Column<ProjectReportModel['lineage'][number]>[] = [
    { header: T.figure, width: 12, maxWidth: 40, put: (c, l) => text(c, l.superseded ? T.superseded[lang] : l.figure) },
    { header: T.reportingPeriod, width: 10, put: (c, l) => text(c, l.period) },
    { header: T.sourceKey, width: 24, maxWidth: 60, put: (c, l) => text(c, l.sourceKey) },
    { header: T.version, width: 12, maxWidth: 36, put: (c, l) => text(c, l.sourceVersion) },
    { header: T.sheet, width: 12, maxWidth: 32, put: (c, l) => text(c, l.sheet) },
    { header: T.cell, width: 8, put: (c, l) => text(c, l.cell) },
    { header: T.raw, width: 14, maxWidth: 50, wrap: true, put: (c, l) => text(c, l.raw) },
    { header: T.uploadedAtUtc, width: 20, put: (c, l) => timestamp(c, l.uploadedAt) },
    { header: T.sha256, width: 66, put: (c, l) => text(c, l.sha256) },
  ];
  writeTable(sheet, lang, columns, model.lineage);
}

// ---------------------------------------------------------------------------------------------------------------
// Programme summary.

/**
 * Render the programme summary as an XLSX workbook: sheets `Kopsavilkums` (period, totals, completeness),
 * `Projekti` (each project's submission, statuses, absorption, elapsed time), `Rādītāji` (common indicators
 * summed), `Finanses` (per project with SUM totals) and, when there are any, `Izmaiņas` (changes since the
 * previous revision). Sheet names stay Latvian; headers and labels follow `lang`.
 *
 * Deterministic: the same model and language give the same bytes (package dates come from `generatedAt`).
 * @throws RangeError when the model holds a non-finite number or a malformed date (a bug upstream).
 */
export async function renderProgrammeXlsx(
  model: ProgrammeReportModel,
  lang: Lang,
  writer: ReportWriter = 'plain',
): Promise<Uint8Array> {
  const heading = `${T.programmeReport[lang]} · ${model.period} · r${model.revision}`;
  const workbook = await newWorkbook(model.generatedAt, heading, writer);
  const options: SheetOptions = { lang, heading };

  writeProgrammeSummary(addSheet(workbook, XLSX_SHEETS.summary[lang], options), model, lang);
  writeProgrammeProjects(addSheet(workbook, XLSX_SHEETS.projects[lang], { ...options, frozenColumns: 1 }), model, lang);
  writeProgrammeIndicators(
    addSheet(workbook, XLSX_SHEETS.indicators[lang], { ...options, frozenColumns: 1 }),
    model,
    lang,
  );
  writeProgrammeFinance(addSheet(workbook, XLSX_SHEETS.finance[lang], options), model, lang);
  if (model.indicators.some((i) => i.breakdown))
    writeBreakdowns(
      addSheet(workbook, XLSX_SHEETS.breakdown[lang], { ...options, frozenColumns: 1 }),
      model.indicators,
      lang,
    );
  if (model.changes.length > 0 || (model.notes ?? []).length > 0)
    writeChanges(addSheet(workbook, XLSX_SHEETS.changes[lang], options), model, lang);
  return finish(workbook);
}

function writeProgrammeSummary(sheet: ReportSheet, model: ProgrammeReportModel, lang: Lang): void {
  const { finance, completeness } = model;
  const statusTotals = Object.fromEntries(
    STATUSES.map((s) => [s, sum(model.projects.map((p) => p.statusCounts[s]))]),
  ) as Record<IndicatorStatus, number>;
  const groups: [SubmissionStatus, string[]][] = [
    ['on-time', completeness.onTime],
    ['late', completeness.late],
    ['missing', completeness.missing],
  ];
  const rows: SummaryRow[] = [
    { label: T.reportingPeriod, put: (c) => text(c, model.period) },
    { label: T.periodStart, put: (c) => date(c, model.periodStart) },
    { label: T.periodEnd, put: (c) => date(c, model.periodEnd) },
    { label: T.revision, put: (c) => number(c, model.revision, FMT.count) },
    { label: T.generatedAtUtc, put: (c) => timestamp(c, model.generatedAt) },
    { label: T.deadline, put: (c) => date(c, model.deadline) },
    { label: T.projectCount, put: (c) => number(c, model.projects.length, FMT.count) },
    { label: T.eligibleCost, put: (c) => number(c, finance.eligibleCost, FMT.money) },
    { label: T.spentInThisPeriod, put: (c) => number(c, finance.spentThisPeriod, FMT.money) },
    { label: T.spentCumulatively, put: (c) => number(c, finance.spentCumulative, FMT.money) },
    { label: T.financeAbsorption, put: (c) => number(c, finance.absorption, FMT.percent) },
    { label: T.euPart, put: (c) => number(c, finance.euShare, FMT.money) },
    { label: T.nationalPart, put: (c) => number(c, finance.nationalShare, FMT.money) },
    ...groups.map(([status, ids]) => ({
      label: SUBMISSION_STATUS_LABELS[status],
      put: (c: CellTarget) => number(c, ids.length, FMT.count),
    })),
    ...groups.map(([status, ids]) => ({
      label: `${SUBMISSION_STATUS_LABELS[status][lang]}: ${T.projectsCount[lang].toLowerCase()}`,
      put: (c: CellTarget) => text(c, ids.join(', ')),
    })),
    ...STATUSES.map((s) => ({
      label: `${T.indicatorsWithStatus[lang]}: ${STATUS_LABELS[s][lang]}`,
      put: (c: CellTarget) => number(c, statusTotals[s], FMT.count),
    })),
  ];
  writeSummary(sheet, lang, rows);
}

function writeProgrammeProjects(sheet: ReportSheet, model: ProgrammeReportModel, lang: Lang): void {
  type Row = ProgrammeReportModel['projects'][number];
  const columns: Column<Row>[] = [
    { header: T.projectId, width: 14, maxWidth: 24, put: (c, p) => text(c, p.id) },
    { header: T.name, width: 30, maxWidth: 50, wrap: true, put: (c, p) => text(c, p.title) },
    { header: T.beneficiary, width: 24, maxWidth: 40, wrap: true, put: (c, p) => text(c, p.beneficiary) },
    { header: T.fund, width: 16, put: (c, p) => text(c, p.fund) },
    { header: T.submitting, width: 19, put: (c, p) => text(c, SUBMISSION_STATUS_LABELS[p.submission][lang]) },
    ...STATUSES.map(
      (s): Column<Row> => ({
        header: STATUS_LABELS[s],
        width: 11,
        put: (c, p) => number(c, p.statusCounts[s], FMT.count),
      }),
    ),
    { header: T.eligibleCost, width: 17, put: (c, p) => number(c, p.eligibleCost, FMT.money) },
    { header: T.spentCumulatively, width: 17, put: (c, p) => number(c, p.spentCumulative, FMT.money) },
    { header: T.financeAbsorption, width: 11, put: (c, p) => number(c, p.absorption, FMT.percent) },
    { header: T.elapsed, width: 11, put: (c, p) => number(c, p.elapsed, FMT.percent) },
  ];
  const lastRow = writeTable(sheet, lang, columns, model.projects);
  colourByLabel(sheet, 5, lastRow, submissionColours(lang));
  // Tint the status-count headers like the statuses they count, so the columns read as the project report does.
  STATUSES.forEach((s, i) => {
    sheet.getRow(1).getCell(6 + i).fill = deepFreeze(solidFill(tint(STATUS_COLOURS[s], 0.3)));
  });
}

function writeProgrammeIndicators(sheet: ReportSheet, model: ProgrammeReportModel, lang: Lang): void {
  type Row = ProgrammeReportModel['indicators'][number];
  const format = (i: Row) => countFormat(i.target, i.thisPeriod, i.cumulative);
  // Columns D (targets) and G (values of the projects with those targets) feed the live % of target in column H.
  const columns: Column<Row>[] = [
    { header: T.code, width: 10, maxWidth: 16, put: (c, i) => text(c, i.code) },
    { header: T.name, width: 30, maxWidth: 60, wrap: true, put: (c, i) => text(c, i.name[lang]) },
    { header: T.unitOfMeasure, width: 10, maxWidth: 20, put: (c, i) => text(c, i.unit[lang]) },
    { header: T.targetSum, width: 12, put: (c, i) => number(c, i.target, format(i)) },
    { header: T.inThisPeriod, width: 11, put: (c, i) => number(c, i.thisPeriod, format(i)) },
    { header: T.cumulatively, width: 12, put: (c, i) => number(c, i.cumulative, format(i)) },
    { header: T.cumulativeWithTarget, width: 14, put: (c, i) => number(c, i.cumulativeWithTarget, format(i)) },
    {
      header: T.percentOfTarget,
      width: 10,
      put: (c, i, r) => formula(c, `IF(D${r}>0,G${r}/D${r},"")`, i.achievement, FMT.percent),
    },
    { header: T.projectCount, width: 10, put: (c, i) => number(c, i.projects, FMT.count) },
  ];
  writeTable(sheet, lang, columns, model.indicators);
}

function writeProgrammeFinance(sheet: ReportSheet, model: ProgrammeReportModel, lang: Lang): void {
  type Row = ProgrammeReportModel['projects'][number];
  const columns: Column<Row>[] = [
    { header: T.project, width: 14, maxWidth: 24, put: (c, p) => text(c, p.id) },
    { header: T.eligibleCost, width: 17, put: (c, p) => number(c, p.eligibleCost, FMT.money) },
    { header: T.spentCumulatively, width: 17, put: (c, p) => number(c, p.spentCumulative, FMT.money) },
    { header: T.financeAbsorption, width: 11, put: (c, p) => number(c, p.absorption, FMT.percent) },
  ];
  const lastRow = writeTable(sheet, lang, columns, model.projects);
  const totalsRow = lastRow + 1;
  const eligible = sum(model.projects.map((p) => p.eligibleCost));
  const spent = sum(model.projects.map((p) => p.spentCumulative));
  addTotals(sheet, lang, totalsRow, lastRow, [
    [2, eligible],
    [3, spent],
  ]);
  formula(
    sheet.getRow(totalsRow).getCell(4),
    `IF(B${totalsRow}>0,C${totalsRow}/B${totalsRow},"")`,
    eligible > 0 ? spent / eligible : null,
    FMT.percent,
  );
  const { finance } = model;
  addFinanceFacts(sheet, lang, totalsRow + 2, [
    [T.eligibleCost, finance.eligibleCost, FMT.money],
    [T.spentInThisPeriod, finance.spentThisPeriod, FMT.money],
    [T.spentCumulatively, finance.spentCumulative, FMT.money],
    [T.financeAbsorption, finance.absorption, FMT.percent],
    [T.euPart, finance.euShare, FMT.money],
    [T.nationalPart, finance.nationalShare, FMT.money],
  ]);
}

/** A row of the changes sheet: a figure that moved, or a change-list line (a reason, a registry field, a project). */
type ChangeRow = { change: ReportChange } | { note: ChangeNote };

/**
 * Changes since the previous revision: the figures that moved (numbers, with a live difference), then every line of
 * the revision's change list (an operator's reason, registry fields old → new, projects added or removed), with its
 * project, what changed and the old and new values in their own columns where the line has them.
 */
function writeChanges(sheet: ReportSheet, model: ProgrammeReportModel, lang: Lang): void {
  const format = (c: ReportChange) => (c.figure === 'finance' ? FMT.money : countFormat(c.old, c.new));
  const rows: ChangeRow[] = [
    ...model.changes.map((change) => ({ change })),
    ...(model.notes ?? []).map((note) => ({ note })),
  ];
  const columns: Column<ChangeRow>[] = [
    {
      header: T.project,
      width: 14,
      maxWidth: 24,
      put: (c, row) => text(c, 'change' in row ? row.change.projectId : (row.note.projectId ?? null)),
    },
    {
      header: T.changedItem,
      width: 12,
      maxWidth: 60,
      wrap: true,
      put: (c, row) => {
        if ('note' in row) return text(c, (row.note.what ?? row.note)[lang]);
        text(c, row.change.figure === 'finance' ? T.financeSpentToDate[lang] : row.change.figure);
      },
    },
    {
      header: T.previousRevision,
      width: 16,
      maxWidth: 40,
      wrap: true,
      put: (c, row) =>
        'change' in row ? number(c, row.change.old, format(row.change)) : text(c, row.note.old?.[lang] ?? null),
    },
    {
      header: T.thisRevision,
      width: 16,
      maxWidth: 40,
      wrap: true,
      put: (c, row) =>
        'change' in row ? number(c, row.change.new, format(row.change)) : text(c, row.note.new?.[lang] ?? null),
    },
    {
      header: T.difference,
      width: 16,
      put: (c, row, r) => {
        if ('change' in row) formula(c, `D${r}-C${r}`, row.change.new - row.change.old, format(row.change));
      },
    },
  ];
  writeTable(sheet, lang, columns, rows);
}
