/**
 * Column widths and row heights that hold in every office suite. Excel measures a column in widths of Calibri's
 * digit; LibreOffice keeps that physical width but draws the text in whatever font it has — on a machine without
 * Calibri or Carlito that is DejaVu Sans, about a third wider — and shows `###` for a number that does not fit. It
 * also never grows a row by itself when a file stores no height. So every sheet is measured here as DejaVu Sans
 * would draw it (the widest common fallback): each column gets at least the width of its widest formatted value
 * (bold included), and each row with wrapped text a stored height for the lines it wraps to at its column's width.
 */
import type { Alignment } from 'exceljs';

/** What the layout reads of a cell: an exceljs cell, or a long table's plain cell (`bulk-rows.ts`). */
export interface LaidOutCell {
  value: unknown;
  numFmt?: string | undefined;
  font?: { bold?: boolean | undefined } | undefined;
  alignment?: { wrapText?: boolean | undefined } | undefined;
}

/** What fitting reads and sets of a sheet: exceljs's `Worksheet`, or the report's plain sheet (`plain-workbook.ts`). */
export interface FittedSheet {
  eachRow(options: { includeEmpty: false }, visit: (row: FittedRow) => void): void;
  getColumn(col: number): { width?: number | undefined };
}

interface FittedRow {
  height?: number | undefined;
  eachCell(options: { includeEmpty: false }, visit: (cell: FittedCell, col: number) => void): void;
}

interface FittedCell extends LaidOutCell {
  readonly isMerged: boolean;
  alignment?: Partial<Alignment> | undefined;
}

/** Advance widths of DejaVu Sans (em), by character class; bold is about 9 % wider. */
const NARROW = new Set([..."ijlIt.,:;!|'’`()[]{} "]);
const WIDE = new Set([...'mwMW%@—']);
const DIGITS = /[0-9]/;

function advance(ch: string): number {
  if (DIGITS.test(ch)) return 0.636;
  if (ch === ' ' || ch === '\u00a0') return 0.318;
  if (NARROW.has(ch)) return 0.34;
  if (WIDE.has(ch)) return 0.98;
  if (ch === '-' || ch === '/' || ch === '*') return 0.5;
  if (ch >= 'A' && ch <= 'Z') return 0.74;
  // Latvian capitals with diacritics are as wide as their base letters.
  if (ch.toLowerCase() !== ch) return 0.74;
  return 0.62;
}

/** Points per Excel width unit: Calibri 11's digit is 7 px at 96 dpi. */
const POINTS_PER_UNIT = 5.25;
/** Cell padding LibreOffice and Excel leave on both sides together, in width units. */
const PADDING_UNITS = 1.2;
/** Line height of 11 pt text with its leading, in points (Excel's default row is 15 pt). */
export const LINE_POINTS = 15;
/** A column never grows past this many units for one value; longer text wraps instead. */
const MAX_AUTO_WIDTH = 70;

/**
 * Widths in em of strings already measured. A report's sheets repeat the same keys, sheet names, codes and dates
 * thousands of times (the lineage sheet most), and measuring them character by character was a sixth of a
 * project report's render time. Bounded, so a long-lived render worker does not grow without limit.
 */
const emCache = new Map<string, number>();
const EM_CACHE_ENTRIES = 20_000;

function emWidth(text: string): number {
  let em = emCache.get(text);
  if (em === undefined) {
    em = 0;
    for (const ch of text) em += advance(ch);
    if (emCache.size >= EM_CACHE_ENTRIES) emCache.clear();
    emCache.set(text, em);
  }
  return em;
}

/** Width of `text` in Excel column units, drawn in DejaVu Sans at `size` points. */
export function textUnits(text: string, options: { bold?: boolean; size?: number } = {}): number {
  const size = options.size ?? 11;
  return (emWidth(text) * size * (options.bold ? 1.12 : 1.02)) / POINTS_PER_UNIT;
}

function group(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number as its format shows it (the character count matters, not the locale's separators). */
function formatted(value: number, numFmt: string | undefined): string {
  const fmt = numFmt ?? 'General';
  const suffix = /"([^"]*)"/.exec(fmt)?.[1];
  if (fmt.includes('%')) {
    const decimals = /0\.(0+)%/.exec(fmt)?.[1]?.length ?? 0;
    return `${(value * 100).toFixed(decimals)}%`;
  }
  if (/[dmy]{2}/i.test(fmt)) return fmt.replace(/"/g, ''); // dates: as long as their pattern
  const decimals = /0\.(0+)/.exec(fmt)?.[1]?.length ?? (Number.isInteger(value) ? 0 : 2);
  const [int, frac] = Math.abs(value).toFixed(decimals).split('.');
  const body = fmt.includes(',') ? group(int!) : int!;
  return `${value < 0 ? '-' : ''}${body}${frac ? `.${frac}` : ''}${suffix ? ` ${suffix}` : ''}`;
}

/** What a cell shows: its text, or its number, date or formula result as formatted. */
export function displayedText(cell: LaidOutCell): string {
  const value = cell.value as unknown;
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatted(value, cell.numFmt);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatted(0, cell.numFmt || 'dd.mm.yyyy');
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: string };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if (typeof v.text === 'string') return v.text;
    if (typeof v.result === 'number') return formatted(v.result, cell.numFmt);
    if (typeof v.result === 'string') return v.result;
    if (v.result instanceof Date) return formatted(0, cell.numFmt || 'dd.mm.yyyy');
    // A formula without a cached result (exceljs drops an empty one) shows nothing until recalculated.
    if ('formula' in v || 'sharedFormula' in v) return '';
  }
  return String(value);
}

/** Lines `text` wraps to in a column `units` wide: greedy, between words, a too-long word broken. */
export function wrappedLines(text: string, units: number, bold = false): number {
  const room = Math.max(1, units - PADDING_UNITS);
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let used = 0;
    lines += 1;
    for (const word of paragraph.split(' ')) {
      const w = textUnits(word, { bold });
      const gap = used === 0 ? 0 : textUnits(' ', { bold });
      if (used + gap + w <= room) used += gap + w;
      else if (w <= room) {
        lines += used === 0 ? 0 : 1;
        used = w;
      } else {
        // A word longer than the column is broken across lines.
        const extra = Math.ceil((used + gap + w) / room) - 1;
        lines += extra;
        used = (used + gap + w) % room;
      }
    }
  }
  return lines;
}

function isBold(cell: LaidOutCell): boolean {
  return cell.font?.bold === true;
}

/** Width of the widest line a cell shows, in column units, without padding. */
export function shownUnits(cell: LaidOutCell): number {
  const bold = isBold(cell);
  const { value } = cell;
  // What a text, a number in a format or a date in a format shows never changes: measured once per process.
  let memo: Map<unknown, number> | undefined;
  let key: unknown = value;
  if (typeof value === 'string')
    memo = value.length > MEMO_TEXT_LENGTH ? undefined : bold ? shownBoldTexts : shownTexts;
  else if (typeof value === 'number') memo = numbersShown(cell.numFmt, bold);
  else if (value instanceof Date) {
    memo = bold ? shownBoldDates : shownDates;
    key = cell.numFmt;
  }
  let units = memo?.get(key);
  if (units === undefined) {
    units = measureShown(displayedText(cell), bold);
    if (memo !== undefined) {
      if (++shownEntries > SHOWN_ENTRIES) clearShown();
      memo.set(key, units);
    }
  }
  return units;
}

function measureShown(text: string, bold: boolean): number {
  if (!text.includes('\n')) return textUnits(text, { bold });
  return Math.max(...text.split('\n').map((line) => textUnits(line, { bold })));
}

/**
 * Measured widths, by what decides them: a text by itself and its weight, a date by its format, a number by its
 * format and value. A report measures thousands of cells, mostly the same keys, codes, labels and counts as the
 * report before it. Bounded for long-lived workers.
 */
const shownTexts = new Map<unknown, number>();
const shownBoldTexts = new Map<unknown, number>();
const shownDates = new Map<unknown, number>();
const shownBoldDates = new Map<unknown, number>();
/** By format, then value. */
const shownNumbers = new Map<string | undefined, Map<unknown, number>>();
const shownBoldNumbers = new Map<string | undefined, Map<unknown, number>>();
let shownEntries = 0;
const SHOWN_ENTRIES = 50_000;
/**
 * Texts longer than this are measured each time: remembered, 50 000 texts of a cell's 32 767 characters could hold
 * gigabytes; the repeated ones (keys, codes, labels, hashes) are short.
 */
const MEMO_TEXT_LENGTH = 256;

function numbersShown(numFmt: string | undefined, bold: boolean): Map<unknown, number> {
  const byFormat = bold ? shownBoldNumbers : shownNumbers;
  let memo = byFormat.get(numFmt);
  if (memo === undefined) {
    memo = new Map();
    byFormat.set(numFmt, memo);
  }
  return memo;
}

function clearShown(): void {
  for (const memo of [shownTexts, shownBoldTexts, shownDates, shownBoldDates]) memo.clear();
  shownNumbers.clear();
  shownBoldNumbers.clear();
  shownEntries = 0;
}

/** A text this wide wraps instead of widening its column. */
export function mustWrap(cell: LaidOutCell, units: number): boolean {
  return units + PADDING_UNITS > MAX_AUTO_WIDTH && typeof cell.value === 'string';
}

/** The room a value this wide needs in its column, padding included. */
export function neededUnits(units: number): number {
  return units + PADDING_UNITS;
}

/** A column's width once it holds values needing `units`: widened when they need more, never past the cap. */
export function widenedColumn(current: number, units: number): number {
  return units > current ? Math.min(Math.ceil(units * 10) / 10, MAX_AUTO_WIDTH) : current;
}

/** Lines a wrapped cell takes at a column width. */
export function cellLines(cell: LaidOutCell, width: number): number {
  const bold = isBold(cell);
  const { value } = cell;
  if (typeof value !== 'string') return wrappedLines(displayedText(cell), width, bold);
  if (value.length > MEMO_TEXT_LENGTH) return wrappedLines(value, width, bold);
  // A text's lines at a width never change: counted once per process (lineage rows repeat keys and hashes).
  const byWidth = bold ? boldLinesAt : linesAt;
  let memo = byWidth.get(width);
  if (memo === undefined) {
    memo = new Map();
    byWidth.set(width, memo);
  }
  let lines = memo.get(value);
  if (lines === undefined) {
    lines = wrappedLines(value, width, bold);
    if (++linesEntries > SHOWN_ENTRIES) {
      linesAt.clear();
      boldLinesAt.clear();
      linesEntries = 0;
    }
    memo.set(value, lines);
  }
  return lines;
}

/** Lines of texts, by column width then text. */
const linesAt = new Map<number, Map<string, number>>();
const boldLinesAt = new Map<number, Map<string, number>>();
let linesEntries = 0;

/** The stored height of a row whose tallest wrapped cell takes `lines` lines. */
export function wrappedRowHeight(lines: number): number {
  return lines * LINE_POINTS + 2;
}

/** The width Excel gives a column that stores none. */
export const DEFAULT_COLUMN_WIDTH = 8.43;

/**
 * Fit one sheet: widen each column to its widest unwrapped value (a text longer than {@link MAX_AUTO_WIDTH}
 * wraps instead), then give every row holding wrapped text the height of its longest cell.
 */
export function fitSheetLayout(sheet: FittedSheet): void {
  const needed = new Map<number, number>();
  sheet.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (cell.alignment?.wrapText || cell.isMerged) return;
      const widest = shownUnits(cell);
      if (mustWrap(cell, widest)) {
        cell.alignment = { ...cell.alignment, wrapText: true, vertical: 'top' };
        return;
      }
      needed.set(col, Math.max(needed.get(col) ?? 0, neededUnits(widest)));
    });
  });
  for (const [col, units] of needed) {
    const column = sheet.getColumn(col);
    const current = column.width ?? DEFAULT_COLUMN_WIDTH;
    if (units > current) column.width = widenedColumn(current, units);
  }
  sheet.eachRow({ includeEmpty: false }, (row) => {
    let lines = 1;
    let wraps = false;
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (!cell.alignment?.wrapText || cell.isMerged) return;
      wraps = true;
      lines = Math.max(lines, cellLines(cell, sheet.getColumn(col).width ?? DEFAULT_COLUMN_WIDTH));
    });
    if (wraps) row.height = Math.max(row.height ?? 0, wrappedRowHeight(lines));
  });
}
