/**
 * A report workbook held as plain cells, written to XML by `write-plain-workbook.ts` without exceljs's document
 * model. exceljs built a workbook, worksheet, row, column and cell object graph, a model of it and a writer's
 * streams and promises for every report: a fixed cost of several milliseconds a workbook, most of a small report's
 * render time. These classes offer the part of exceljs's API the report writer uses (`write-report-xlsx.ts`), with
 * exceljs's meaning, so the same writer code fills either; the tests write reports both ways and compare every part.
 */
import type { AutoFilter, Borders, Fill } from 'exceljs';
import { BulkCell, type BulkRows } from './bulk-rows';

/** A cell: what the report's cell writers set, with the header and totals rows' fill and border. */
export class PlainCell extends BulkCell {
  fill?: Fill;
  border?: Partial<Borders>;
  /** The report never merges cells; the layout code asks, as it does of exceljs cells. */
  readonly isMerged = false;
}

function hasValue(cell: PlainCell | undefined): cell is PlainCell {
  return cell !== undefined && cell.value !== null && cell.value !== undefined;
}

/** A row: cells are created when first asked for, as exceljs's `getCell` creates them. */
export class PlainRow {
  height?: number;
  /** By column number - 1; unasked columns are holes, as in exceljs. */
  readonly cells: (PlainCell | undefined)[] = [];

  constructor(
    private readonly sheet: { readonly name: string },
    readonly number: number,
  ) {}

  getCell(col: number): PlainCell {
    let cell = this.cells[col - 1];
    if (cell === undefined) {
      cell = new PlainCell(this.sheet, this.number, col);
      this.cells[col - 1] = cell;
    }
    return cell;
  }

  /** The highest column asked for (exceljs's `cellCount`). */
  get cellCount(): number {
    return this.cells.length;
  }

  get hasValues(): boolean {
    return this.cells.some(hasValue);
  }

  /** The cells holding a value, with their column numbers (`includeEmpty: false`, the only form used). */
  eachCell(_options: { includeEmpty: false }, visit: (cell: PlainCell, col: number) => void): void {
    this.cells.forEach((cell, i) => {
      if (hasValue(cell)) visit(cell, i + 1);
    });
  }
}

/** The sheet settings the report gives `addWorksheet`: one frozen view, print setup, header and footer. */
export interface PlainSheetOptions {
  views: [{ state: 'frozen'; xSplit: number; ySplit: number; topLeftCell: string; activeCell: string }];
  pageSetup: {
    paperSize: number;
    orientation: 'landscape' | 'portrait';
    fitToPage: boolean;
    fitToWidth: number;
    fitToHeight: number;
    printTitlesRow: string;
    margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  };
  headerFooter: { oddHeader: string; oddFooter: string };
}

/** A conditional format as the report adds it: expression rules with a fill and font. */
export interface PlainConditionalFormat {
  ref: string;
  rules: { type: 'expression'; formulae: string[]; priority: number; style: { fill?: Fill; font?: object } }[];
}

/** A column of a plain sheet: its width, kept in the sheet's `columnWidths`. */
export class PlainColumn {
  constructor(
    private readonly widths: (number | undefined)[],
    private readonly index: number,
  ) {}

  get width(): number | undefined {
    return this.widths[this.index];
  }

  set width(width: number | undefined) {
    this.widths[this.index] = width;
  }
}

/** A sheet: rows by number, column widths, the table's filter and bulk rows, conditional formats. */
export class PlainSheet {
  readonly rows: (PlainRow | undefined)[] = [];
  /** Column widths by column number - 1; `undefined` for a column asked for but never sized. */
  readonly columnWidths: (number | undefined)[] = [];
  autoFilter?: AutoFilter;
  readonly conditionalFormats: PlainConditionalFormat[] = [];
  /** The table's data rows, written after row 1 (`bulk-rows.ts`). */
  bulkRows?: BulkRows;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly options: PlainSheetOptions,
  ) {}

  getRow(number: number): PlainRow {
    let row = this.rows[number - 1];
    if (row === undefined) {
      row = new PlainRow(this, number);
      this.rows[number - 1] = row;
    }
    return row;
  }

  /** A column's width, read and set as exceljs's `getColumn(n).width`; asking creates the columns up to it. */
  getColumn(col: number): PlainColumn {
    while (this.columnWidths.length < col) this.columnWidths.push(undefined);
    return new PlainColumn(this.columnWidths, col - 1);
  }

  /** The rows holding a value, in order (`includeEmpty: false`, the only form used). */
  eachRow(_options: { includeEmpty: false }, visit: (row: PlainRow) => void): void {
    for (const row of this.rows) if (row?.hasValues) visit(row);
  }

  addConditionalFormatting(format: PlainConditionalFormat): void {
    this.conditionalFormats.push(format);
  }
}

/** Document properties, from the model (never the wall clock). */
export class PlainWorkbook {
  creator = '';
  lastModifiedBy = '';
  title = '';
  created = new Date(0);
  modified = new Date(0);
  lastPrinted = new Date(0);
  readonly sheets: PlainSheet[] = [];

  addWorksheet(name: string, options: PlainSheetOptions): PlainSheet {
    const sheet = new PlainSheet(this.sheets.length + 1, name, options);
    this.sheets.push(sheet);
    return sheet;
  }

  eachSheet(visit: (sheet: PlainSheet) => void): void {
    for (const sheet of this.sheets) visit(sheet);
  }
}
