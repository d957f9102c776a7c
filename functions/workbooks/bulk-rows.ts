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
import type { WriteTables } from './workbook-entries';

/** exceljs's `ValueType` numbers for the values a bulk cell may hold. */
export const VALUE_TYPE = { null: 0, number: 2, string: 3, date: 4, formula: 6 } as const;

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
  const units = shownUnitsMemo();
  for (const row of cells) {
    row.forEach((cell, i) => {
      if (cell.value === null || cell.alignment?.wrapText) return;
      const shown = units(cell);
      if (mustWrap(cell, shown)) cell.alignment = cell.alignment ? { ...cell.alignment, ...WRAP_TOP } : WRAP_TOP;
      else needed[i] = Math.max(needed[i]!, neededUnits(shown));
    });
  }
  needed.forEach((units, i) => {
    // fitSheetLayout only widens columns that hold a value.
    if (units > 0) widths[i] = widenedColumn(widths[i] ?? DEFAULT_COLUMN_WIDTH, units);
  });
}

/**
 * {@link shownUnits}, remembered for the table: a text by its text and weight, a date by its format (a date shows
 * as long as its pattern). Numbers are measured each time, as their formats differ.
 */
function shownUnitsMemo(): (cell: BulkCell) => number {
  const texts = [new Map<string, number>(), new Map<string, number>()];
  const dates = new Map<string, number>();
  return (cell) => {
    const { value } = cell;
    const bold = cell.font?.bold === true;
    let memo: Map<string, number> | undefined;
    let key = '';
    if (typeof value === 'string') [memo, key] = [texts[bold ? 1 : 0], value];
    else if (value instanceof Date) [memo, key] = [dates, `${bold}|${cell.numFmt ?? ''}`];
    let units = memo?.get(key);
    if (units === undefined) {
      units = shownUnits(cell);
      memo?.set(key, units);
    }
    return units;
  };
}

/**
 * Lines of wrapped cells, remembered for one rendering by column and text: lineage rows repeat keys and hashes. Only
 * plain text is remembered (a number's, date's or formula's lines depend on its format, and a bold text's on its
 * weight); the column's width is the same for all of its cells.
 */
function rowHeightMemo(widths: readonly number[]): (row: BulkCell[]) => number | undefined {
  const texts = widths.map(() => new Map<string, number>());
  return (row) => {
    let lines = 1;
    let wraps = false;
    row.forEach((cell, i) => {
      if (cell.value === null || !cell.alignment?.wrapText) return;
      wraps = true;
      const width = widths[i] ?? DEFAULT_COLUMN_WIDTH;
      const plain = typeof cell.value === 'string' && cell.font?.bold !== true;
      let n = plain ? texts[i]?.get(cell.value as string) : undefined;
      if (n === undefined) {
        n = cellLines(cell, width);
        if (plain) texts[i]?.set(cell.value as string, n);
      }
      lines = Math.max(lines, n);
    });
    return wraps ? wrappedRowHeight(lines) : undefined;
  };
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
  if (isFormula(value) && ['number', 'string', 'undefined'].includes(typeof value.result)) return VALUE_TYPE.formula;
  // Rich text, hyperlinks, booleans and the like need exceljs's cells; the table writer never puts them here.
  throw new TypeError(
    `${cell.worksheet.name}!${cell.address}: a bulk row holds text, numbers, dates and formulas with a number or text result only`,
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

/**
 * Style ids by cell, remembered: by the objects of the column's last cell (cells of a column mostly share them),
 * else by the style's content.
 */
function styleIdMemo(tables: WriteTables): (cell: BulkCell, type: number) => number {
  const byContent = new Map<string, number>();
  const last = new Map<number, { type: number; cell: BulkCell; id: number }>();
  const alike = (a: BulkCell, b: BulkCell) => a.numFmt === b.numFmt && a.font === b.font && a.alignment === b.alignment;
  return (cell, type) => {
    const previous = last.get(cell.col);
    if (previous && previous.type === type && alike(previous.cell, cell)) return previous.id;
    const style = styleOf(cell);
    const key = `${type}|${JSON.stringify(style)}`;
    let id = byContent.get(key);
    if (id === undefined) {
      id = tables.styleId(style, type);
      byContent.set(key, id);
    }
    last.set(cell.col, { type, cell, id });
    return id;
  };
}

/** A cell's XML after its opening `<c r=".." s=".."`, as exceljs renders each kind of value. */
export function cellBody(cell: BulkCell, type: number, tables: WriteTables): string {
  const { value } = cell;
  if (type === VALUE_TYPE.null) return '/>';
  if (type === VALUE_TYPE.string) return ` t="s"><v>${tables.sharedString(value as string)}</v></c>`;
  if (type === VALUE_TYPE.number) return `><v>${value as number}</v></c>`;
  if (type === VALUE_TYPE.date) return `><v>${UNIX_EPOCH_SERIAL + (value as Date).getTime() / MS_PER_DAY}</v></c>`;
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
  const styleId = styleIdMemo(tables);
  const rowHeight = rowHeightMemo(widths);
  const letters = (rows.cells[0] ?? []).map((_, i) => columnLetter(i + 1));
  const out: string[] = [];
  rows.cells.forEach((row, r) => {
    const number = r + 2;
    const height = rowHeight(row);
    const ht = height === undefined ? '' : ` ht="${height}" customHeight="1"`;
    out.push(`<row r="${number}"${ht} spans="1:${row.length}" x14ac:dyDescent="0.25">`);
    row.forEach((cell, i) => {
      const type = valueType(cell);
      const s = styleId(cell, effectiveType(cell, type));
      if (type === VALUE_TYPE.null && !s) return;
      out.push(`<c r="${letters[i]}${number}"${s ? ` s="${s}"` : ''}${cellBody(cell, type, tables)}`);
    });
    out.push('</row>');
  });
  return out.join('');
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
