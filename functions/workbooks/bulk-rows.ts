/**
 * The data rows of a long table written as sheet XML directly, not as exceljs cells. A project report's lineage
 * sheet is ~9 000 of its ~9 300 cells; as exceljs cells each was an object with its own style, walked again to fit
 * the layout, to share styles, to build the sheet model and to render it, most of the workbook's render time.
 *
 * Each row's cells are plain objects a column fills with the same cell writers as an exceljs cell (value, number
 * format, font, alignment). The layout is the one {@link fitSheetLayout} gives exceljs cells (the same functions);
 * strings go into exceljs's shared-string table and styles into its style table while the workbook is written
 * (`workbook-entries.ts`), so the rows' XML holds only numbers and cell references. The header row stays an exceljs
 * row of the sheet, as do the sheet's columns, views, filter and page setup; these rows follow it.
 */
import type { Alignment, Borders, CellValue, Fill, Font } from 'exceljs';
import {
  cellLines,
  DEFAULT_COLUMN_WIDTH,
  mustWrap,
  neededUnits,
  shownUnits,
  widenedColumn,
  wrappedRowHeight,
} from './fit-layout';
import { deeplyFrozen, styleKey } from './style-table';
import type { WriteTables } from './workbook-entries';

/** exceljs's `ValueType` numbers for the values a bulk cell may hold. */
export const VALUE_TYPE = { null: 0, number: 2, string: 3, date: 4, formula: 6, boolean: 9 } as const;

/** Excel's serial day of 1970-01-01 (the 1900 date system exceljs writes). */
const UNIX_EPOCH_SERIAL = 25569;
const MS_PER_DAY = 24 * 3600 * 1000;

/** A cell of a bulk row: what the cell writers set on an exceljs cell, and nothing else. */
export class BulkCell {
  value: CellValue = null;
  numFmt?: string;
  font?: Partial<Font>;
  alignment?: Partial<Alignment>;

  constructor(
    readonly worksheet: { readonly name: string },
    readonly row: number,
    readonly col: number,
  ) {}

  /** The A1 address, for error messages. */
  get address(): string {
    return `${columnLetter(this.col)}${this.row}`;
  }
}

export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** A column of a bulk table: its starting width and how it fills a cell. */
export interface BulkColumn<R> {
  width: number;
  /** Text columns grow to their longest line (+2) up to this width, as `writeTable` sizes them. */
  maxWidth?: number;
  /** Long text: wrapped, top-aligned. */
  wrap?: boolean;
  put: (cell: BulkCell, row: R, rowNumber: number) => void;
}

/**
 * Rows 2.. of a table: the cells, and the column widths they need. Row heights follow from the sheet's final
 * widths (rows written after the table may widen a column), so they are worked out when the rows are rendered.
 */
export interface BulkRows {
  cells: BulkCell[][];
  widths: number[];
}

/** Longest line of a cell's text, in characters, for the starting width of a text column. */
function textLength(cell: BulkCell): number {
  const { value } = cell;
  if (typeof value !== 'string') return 0;
  return value.includes('\n') ? Math.max(...value.split('\n').map((line) => line.length)) : value.length;
}

/**
 * The alignment of wrapped cells, one object for all of them: style look-ups can then go by identity. Frozen, as
 * it is shared.
 */
const WRAP_TOP: Partial<Alignment> = Object.freeze({ wrapText: true, vertical: 'top' });

/** Fill the data rows (sheet rows 2..) of a table and lay them out as `writeTable` and `fitSheetLayout` would. */
export function fillBulkRows<R>(sheetName: string, columns: readonly BulkColumn<R>[], rows: readonly R[]): BulkRows {
  const sheet = { name: sheetName };
  const cells = rows.map((row, r) =>
    columns.map((column, i) => {
      const cell = new BulkCell(sheet, r + 2, i + 1);
      column.put(cell, row, r + 2);
      if (column.wrap) cell.alignment = WRAP_TOP;
      return cell;
    }),
  );
  const widths = columns.map((column, i) => {
    if (column.maxWidth === undefined) return column.width;
    let width = column.width;
    for (const row of cells) width = Math.max(width, textLength(row[i]!) + 2);
    return Math.min(width, column.maxWidth);
  });
  fitColumns(cells, widths);
  return { cells, widths };
}

/** Widen columns to their unwrapped values; a value too wide for any column wraps instead (`fitSheetLayout`). */
function fitColumns(cells: BulkCell[][], widths: number[]): void {
  const needed: number[] = widths.map(() => 0);
  // A column's cell mostly shows what the one above it showed (a lineage source's key, version and hash).
  const above: (BulkCell | undefined)[] = [];
  const aboveShown: number[] = [];
  for (const row of cells) {
    row.forEach((cell, i) => {
      if (cell.value === null || cell.alignment?.wrapText) return;
      const up = above[i];
      const same = up !== undefined && up.value === cell.value && up.font === cell.font && up.numFmt === cell.numFmt;
      const shown = same ? aboveShown[i]! : shownUnits(cell);
      above[i] = cell;
      aboveShown[i] = shown;
      if (mustWrap(cell, shown)) cell.alignment = cell.alignment ? { ...cell.alignment, ...WRAP_TOP } : WRAP_TOP;
      else needed[i] = Math.max(needed[i]!, neededUnits(shown));
    });
  }
  needed.forEach((units, i) => {
    // fitSheetLayout only widens columns that hold a value.
    if (units > 0) widths[i] = widenedColumn(widths[i] ?? DEFAULT_COLUMN_WIDTH, units);
  });
}

/** The height of a row holding wrapped cells, at the columns' final widths; `undefined` when none wraps. */
function rowHeight(row: readonly BulkCell[], widths: readonly number[]): number | undefined {
  let lines = 1;
  let wraps = false;
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]!;
    if (cell.value === null || !cell.alignment?.wrapText) continue;
    wraps = true;
    lines = Math.max(lines, cellLines(cell, widths[i] ?? DEFAULT_COLUMN_WIDTH));
  }
  return wraps ? wrappedRowHeight(lines) : undefined;
}

/** A formula cell's value, as the report's `formula` writer sets it. */
interface FormulaValue {
  formula: string;
  result?: number | string | null;
}

function isFormula(value: unknown): value is FormulaValue {
  return typeof value === 'object' && value !== null && typeof (value as FormulaValue).formula === 'string';
}

export function valueType(cell: BulkCell): number {
  const { value } = cell;
  if (value === null || value === undefined) return VALUE_TYPE.null;
  if (typeof value === 'string') return VALUE_TYPE.string;
  if (typeof value === 'number') return VALUE_TYPE.number;
  if (value instanceof Date) return VALUE_TYPE.date;
  if (typeof value === 'boolean') return VALUE_TYPE.boolean;
  if (isFormula(value) && ['number', 'string', 'undefined'].includes(typeof value.result)) return VALUE_TYPE.formula;
  // Rich text, hyperlinks, errors and the like need exceljs's cells; the table writers never put them here.
  throw new TypeError(
    `${cell.worksheet.name}!${cell.address}: a bulk row holds text, numbers, dates, true/false and formulas with a number or text result only`,
  );
}

/** The type exceljs files a cell's style under: a formula's by its cached result. */
export function effectiveType(cell: BulkCell, type: number): number {
  if (type !== VALUE_TYPE.formula) return type;
  const { result } = cell.value as FormulaValue;
  if (typeof result === 'number') return VALUE_TYPE.number;
  return typeof result === 'string' ? VALUE_TYPE.string : VALUE_TYPE.null;
}

/**
 * Text as XML character data or an attribute value, as exceljs escapes it: the five markup characters as entities,
 * and the control characters XML 1.0 cannot carry (all below U+0020 but tab, line feed and carriage return; and
 * DEL) left out.
 */
export function xmlEscape(text: string): string {
  return text.replace(XML_SPECIAL, (ch) => XML_ENTITIES[ch] ?? '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters XML cannot carry are what it finds.
const XML_SPECIAL = /[<>&'"\u007F\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** The style exceljs would record for the cell: only what was set on it (a plain cell may also have a fill and border). */
export function styleOf(cell: BulkCell & { fill?: Fill; border?: Partial<Borders> }): object {
  const style: {
    numFmt?: string;
    font?: Partial<Font>;
    alignment?: Partial<Alignment>;
    fill?: Fill;
    border?: Partial<Borders>;
  } = {};
  if (cell.numFmt) style.numFmt = cell.numFmt;
  if (cell.font) style.font = cell.font;
  if (cell.alignment) style.alignment = cell.alignment;
  if (cell.fill) style.fill = cell.fill;
  if (cell.border) style.border = cell.border;
  return style;
}

/** A cell whose style the table is asked for: a bulk cell, or a plain workbook's cell with a fill and border. */
type StyledCell = BulkCell & { fill?: Fill; border?: Partial<Borders> };

/** A cell's style id in a workbook's style table, given the cell and the type its style is filed under. */
export type CellStyleIds = (cell: StyledCell, type: number) => number;

/**
 * Style ids by cell, remembered: by the objects of the column's last cell (cells of a column mostly share them),
 * else by the style's content key (see {@link contentKey}). The table is asked once for each style new in content,
 * in the cells' order.
 */
export function cellStyleIds(tables: WriteTables): CellStyleIds {
  const byType: Map<string, number>[] = [];
  const last: ({ type: number; cell: StyledCell; id: number } | undefined)[] = [];
  const alike = (a: StyledCell, b: StyledCell) =>
    a.numFmt === b.numFmt &&
    a.font === b.font &&
    a.alignment === b.alignment &&
    a.fill === b.fill &&
    a.border === b.border;
  return (cell, type) => {
    const previous = last[cell.col];
    if (previous && previous.type === type && alike(previous.cell, cell)) return previous.id;
    const key = contentKey(cell);
    let ids = byType[type];
    if (ids === undefined) {
      ids = new Map();
      byType[type] = ids;
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = tables.styleId(styleOf(cell), type, key);
      ids.set(key, id);
    }
    last[cell.col] = { type, cell, id };
    return id;
  };
}

/**
 * A cell's style as the style table keys it ({@link styleKey}). Styles made of frozen parts (the report's shared
 * fonts, alignments, header fill and borders) are the same few in every report: their keys are kept per process by
 * the parts' identity, one string each, so a workbook neither builds nor hashes them again.
 */
function contentKey(cell: StyledCell): string {
  const { numFmt, font, alignment, fill, border } = cell;
  if (!(frozenPart(font) && frozenPart(alignment) && frozenPart(fill) && frozenPart(border)))
    return styleKey(styleOf(cell));
  const node = child(child(child(child(child(frozenStyles, numFmt), font), alignment), fill), border);
  node.key ??= styleKey(styleOf(cell));
  return node.key;
}

interface KeyNode {
  readonly next: Map<unknown, KeyNode>;
  key?: string;
}

let frozenStyles: KeyNode = { next: new Map() };
let frozenStyleNodes = 0;

function child(node: KeyNode, part: unknown): KeyNode {
  let next = node.next.get(part);
  if (next === undefined) {
    // Bounded for long-lived workers: reports use a few dozen such styles.
    if (++frozenStyleNodes > 10_000) {
      frozenStyles = { next: new Map() };
      frozenStyleNodes = 0;
    }
    next = { next: new Map() };
    node.next.set(part, next);
  }
  return next;
}

const deeplyFrozenParts = new WeakSet<object>();

function frozenPart(part: object | undefined): boolean {
  if (part === undefined || deeplyFrozenParts.has(part)) return true;
  if (!deeplyFrozen(part)) return false;
  deeplyFrozenParts.add(part);
  return true;
}

/** A cell's XML after its opening `<c r=".." s=".."`, as exceljs renders each kind of value. */
export function cellBody(cell: BulkCell, type: number, tables: WriteTables): string {
  const { value } = cell;
  if (type === VALUE_TYPE.null) return '/>';
  if (type === VALUE_TYPE.string) return ` t="s"><v>${tables.sharedString(value as string)}</v></c>`;
  if (type === VALUE_TYPE.number) return `><v>${value as number}</v></c>`;
  if (type === VALUE_TYPE.date) return `><v>${dateSerial(value as Date)}</v></c>`;
  if (type === VALUE_TYPE.boolean) return ` t="b"><v>${value ? 1 : 0}</v></c>`;
  const { formula, result } = value as FormulaValue;
  const f = `<f>${xmlEscape(formula)}</f>`;
  // exceljs never puts a formula's text result in the shared strings.
  if (typeof result === 'string') return ` t="str">${f}<v>${xmlEscape(result)}</v></c>`;
  return typeof result === 'number' ? `>${f}<v>${result}</v></c>` : `>${f}</c>`;
}

/**
 * The rows' XML, as exceljs renders rows and cells: strings as shared strings (`t="s"`), numbers and dates (as
 * serial days) as `<v>`, formulas with their cached result, an empty cell only when it has a style, each row with
 * its span and, when it wraps text, the height it needs at the sheet's final column widths (`widths`). User text
 * goes into the shared-string table, which exceljs escapes; formulas, built from cell addresses, are escaped here.
 */
export function renderBulkRows(rows: BulkRows, widths: readonly number[], tables: WriteTables): string {
  const out = new XmlBytes();
  writeBulkRows(rows, widths, tables, out);
  return out.bytes.toString('utf8');
}

/**
 * {@link renderBulkRows} written as UTF-8 straight into `out`. A lineage sheet's rows are thousands of short
 * pieces of markup; built as strings they were ropes of template results that joining flattened and UTF-8 encoding
 * copied again, a third of a large report's workbook time, and most of its garbage.
 */
export function writeBulkRows(
  rows: BulkRows,
  widths: readonly number[],
  tables: WriteTables,
  out: XmlBytes,
  styleId = cellStyleIds(tables),
): void {
  // Pieces written once a row or once a cell, made once: a cell's opening with its column letters, and a row's
  // span and descent.
  const opens = (rows.cells[0] ?? []).map((_, i) => `<c r="${columnLetter(i + 1)}`);
  const rowEnd = (length: number) => `" spans="1:${length}" x14ac:dyDescent="0.25">`;
  const usualRowEnd = rowEnd(opens.length);
  for (let r = 0; r < rows.cells.length; r++) {
    const row = rows.cells[r]!;
    const digits = String(r + 2);
    const height = rowHeight(row, widths);
    out.ascii('<row r="');
    out.ascii(digits);
    if (height !== undefined) {
      out.ascii('" ht="');
      out.number(height);
      out.ascii('" customHeight="1');
    }
    out.ascii(row.length === opens.length ? usualRowEnd : rowEnd(row.length));
    for (let i = 0; i < row.length; i++) {
      const cell = row[i]!;
      const type = valueType(cell);
      const s = styleId(cell, effectiveType(cell, type));
      if (type === VALUE_TYPE.null && !s) continue;
      out.ascii(opens[i] ?? `<c r="${columnLetter(i + 1)}`);
      out.ascii(digits);
      if (s) {
        out.ascii('" s="');
        out.number(s);
      }
      writeCellBody(cell, type, tables, out);
    }
    out.ascii('</row>');
  }
}

/** {@link cellBody} written into `out`, from the closing quote of the cell's last attribute. */
function writeCellBody(cell: BulkCell, type: number, tables: WriteTables, out: XmlBytes): void {
  const { value } = cell;
  if (type === VALUE_TYPE.string) {
    out.ascii('" t="s"><v>');
    out.number(tables.sharedString(value as string));
    out.ascii('</v></c>');
  } else if (type === VALUE_TYPE.null) out.ascii('"/>');
  else if (type === VALUE_TYPE.number) {
    out.ascii('"><v>');
    out.number(value as number);
    out.ascii('</v></c>');
  } else if (type === VALUE_TYPE.date) {
    out.ascii('"><v>');
    out.ascii(dateSerialText(value as Date));
    out.ascii('</v></c>');
  } else {
    // Formulas and true/false are rare (a column or two of a few tables): their text as cellBody writes it.
    out.ascii('"');
    out.text(cellBody(cell, type, tables));
  }
}

/**
 * A date's serial day as JavaScript writes the number, remembered by instant: a lineage sheet repeats each upload
 * time on every row of its source, and a fractional number's text is worked out by `String` each time. Bounded.
 */
function dateSerialText(date: Date): string {
  const ms = date.getTime();
  let text = dateSerialTexts.get(ms);
  if (text === undefined) {
    text = String(dateSerial(date));
    if (dateSerialTexts.size >= 10_000) dateSerialTexts.clear();
    dateSerialTexts.set(ms, text);
  }
  return text;
}

const dateSerialTexts = new Map<number, string>();

function dateSerial(date: Date): number {
  return UNIX_EPOCH_SERIAL + date.getTime() / MS_PER_DAY;
}

/**
 * A growing buffer of UTF-8 XML. Markup and numbers are written byte by byte (they are ASCII), other text through
 * Node's encoder. {@link XmlBytes.bytes} is a view of the buffer, valid until the next write or {@link reset}.
 */
export class XmlBytes {
  private buffer: Buffer;
  private at = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Text known to be ASCII (markup, cell references); anything else must go through {@link text}. */
  ascii(s: string): void {
    const n = s.length;
    if (this.at + n > this.buffer.length) this.grow(n);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < n; i++) buffer[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    // UTF-8 takes at most three bytes for each UTF-16 code unit.
    if (this.at + 3 * s.length > this.buffer.length) this.grow(3 * s.length);
    this.at += this.buffer.write(s, this.at, 'utf8');
  }

  /** A number as JavaScript writes it (`${n}`): whole numbers digit by digit, others through `String`. */
  number(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
      this.ascii(String(n));
      return;
    }
    if (this.at + 10 > this.buffer.length) this.grow(10);
    const buffer = this.buffer;
    if (n < 10) {
      buffer[this.at++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let rest = n;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      const tenth = Math.floor(rest / 10);
      buffer[i] = 48 + rest - 10 * tenth;
      rest = tenth;
    }
    this.at += digits;
  }

  /** The bytes written so far. */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.at);
  }

  get length(): number {
    return this.at;
  }

  /** Start again, keeping the buffer (unless it grew very large for one big sheet). */
  reset(): void {
    this.at = 0;
    if (this.buffer.length > 16 * 1024 * 1024) this.buffer = Buffer.allocUnsafe(64 * 1024);
  }

  private grow(needed: number): void {
    const larger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.at + needed));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
  }
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/**
 * Put the rows right after the header row (row 1) exceljs wrote, before any rows it wrote after the table, and make
 * the sheet's dimension cover them too.
 */
export function spliceBulkRows(sheetXml: string, rowsXml: string, lastRow: number, columns: number): string {
  const data = sheetXml.indexOf('<sheetData><row r="1" ');
  const headerEnd = data < 0 ? -1 : sheetXml.indexOf('</row>', data);
  const dimension = /<dimension ref="A1(?::([A-Z]+)(\d+))?"\/>/.exec(sheetXml);
  if (headerEnd < 0 || sheetXml.indexOf('<sheetData>', data + 1) >= 0 || !dimension)
    throw new Error('sheet XML without one <sheetData> starting with row 1, or without a <dimension> from A1');
  const right = Math.max(columnNumber(dimension[1] ?? 'A'), columns);
  const bottom = Math.max(Number(dimension[2] ?? 1), lastRow);
  const ref = `<dimension ref="A1:${columnLetter(right)}${bottom}"/>`;
  const at = headerEnd + '</row>'.length;
  return (
    sheetXml.slice(0, dimension.index) +
    ref +
    sheetXml.slice(dimension.index + dimension[0].length, at) +
    rowsXml +
    sheetXml.slice(at)
  );
}
