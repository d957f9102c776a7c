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
import type { Alignment, CellValue, Font } from 'exceljs';
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
const VALUE_TYPE = { null: 0, number: 2, string: 3, date: 4 } as const;

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

/** Rows 2.. of a table, laid out: the cells, the final column widths and each row's stored height. */
export interface BulkRows {
  cells: BulkCell[][];
  widths: number[];
  heights: (number | undefined)[];
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
  const heights = cells.map((row) => rowHeight(row, widths));
  return { cells, widths, heights };
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

/** Lines of wrapped text already counted, by width, weight and text: lineage rows repeat keys and hashes. */
const linesCache = new Map<string, number>();

function rowHeight(row: BulkCell[], widths: number[]): number | undefined {
  let lines = 1;
  let wraps = false;
  row.forEach((cell, i) => {
    if (cell.value === null || !cell.alignment?.wrapText) return;
    wraps = true;
    const width = widths[i] ?? DEFAULT_COLUMN_WIDTH;
    const key = `${width}|${cell.font?.bold === true}|${cell.numFmt ?? ''}|${String(cell.value)}`;
    let n = linesCache.get(key);
    if (n === undefined) {
      n = cellLines(cell, width);
      if (linesCache.size >= 10_000) linesCache.clear();
      linesCache.set(key, n);
    }
    lines = Math.max(lines, n);
  });
  return wraps ? wrappedRowHeight(lines) : undefined;
}

function valueType(cell: BulkCell): number {
  const { value } = cell;
  if (value === null || value === undefined) return VALUE_TYPE.null;
  if (typeof value === 'string') return VALUE_TYPE.string;
  if (typeof value === 'number') return VALUE_TYPE.number;
  if (value instanceof Date) return VALUE_TYPE.date;
  // Formulas, rich text and the like need exceljs's cells; the table writer never puts them in a bulk row.
  throw new TypeError(`${cell.worksheet.name}!${cell.address}: a bulk row holds text, numbers and dates only`);
}

/** The style exceljs would record for the cell: only what was set on it. */
function styleOf(cell: BulkCell): object {
  const style: { numFmt?: string; font?: Partial<Font>; alignment?: Partial<Alignment> } = {};
  if (cell.numFmt) style.numFmt = cell.numFmt;
  if (cell.font) style.font = cell.font;
  if (cell.alignment) style.alignment = cell.alignment;
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

/**
 * The rows' XML, as exceljs renders rows and cells: strings as shared strings (`t="s"`), numbers and dates (as
 * serial days) as `<v>`, an empty cell only when it has a style, each row with its stored height and its span.
 * Nothing of the user's text is in it: text goes into the shared-string table, which exceljs escapes.
 */
export function renderBulkRows(rows: BulkRows, tables: WriteTables): string {
  const styleId = styleIdMemo(tables);
  const letters = (rows.cells[0] ?? []).map((_, i) => columnLetter(i + 1));
  const out: string[] = [];
  rows.cells.forEach((row, r) => {
    const number = r + 2;
    const height = rows.heights[r];
    const ht = height === undefined ? '' : ` ht="${height}" customHeight="1"`;
    out.push(`<row r="${number}"${ht} spans="1:${row.length}" x14ac:dyDescent="0.25">`);
    row.forEach((cell, i) => {
      const type = valueType(cell);
      const s = styleId(cell, type);
      if (type === VALUE_TYPE.null && !s) return;
      const head = `<c r="${letters[i]}${number}"${s ? ` s="${s}"` : ''}`;
      if (type === VALUE_TYPE.null) out.push(`${head}/>`);
      else if (type === VALUE_TYPE.string)
        out.push(`${head} t="s"><v>${tables.sharedString(cell.value as string)}</v></c>`);
      else if (type === VALUE_TYPE.number) out.push(`${head}><v>${cell.value as number}</v></c>`);
      else out.push(`${head}><v>${UNIX_EPOCH_SERIAL + (cell.value as Date).getTime() / MS_PER_DAY}</v></c>`);
    });
    out.push('</row>');
  });
  return out.join('');
}

/**
 * Put the rows after the header row exceljs wrote, and make the sheet's dimension cover them. exceljs wrote the
 * sheet with its header row only, so its `<sheetData>` ends with that row.
 */
export function spliceBulkRows(sheetXml: string, rowsXml: string, lastRow: number, columns: number): string {
  const end = sheetXml.indexOf('</sheetData>');
  const dimension = /<dimension ref="[^"]*"\/>/.exec(sheetXml);
  if (end < 0 || sheetXml.indexOf('</sheetData>', end + 1) >= 0 || !dimension)
    throw new Error('sheet XML without exactly one <sheetData> and <dimension>: cannot add the bulk rows');
  const ref = `<dimension ref="A1:${columnLetter(columns)}${lastRow}"/>`;
  const at = dimension.index;
  return sheetXml.slice(0, at) + ref + sheetXml.slice(at + dimension[0].length, end) + rowsXml + sheetXml.slice(end);
}
