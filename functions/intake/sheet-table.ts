/**
 * Finding sheets, header rows and columns by name (docs/architecture.md §4): Latvian or English, case-, space- and
 * diacritic-insensitive, in any column order, with extra columns and sheets ignored.
 */

import { cellRef } from '../core/cells';
import { issue } from '../core/issue-codes';
import { nameMatches } from '../core/names';
import type { ValidationIssue } from '../core/types';
import type { ColumnSpec, SheetSpec } from '../core/workbook-schema';
import { cellText } from './cell-values';
import type { CellAt } from './field-reader';
import type { CellValue, SheetData, SheetRow, WorkbookData } from './workbook-data';

/** How far down a header row may sit (titles and notes above it are common). */
const HEADER_SEARCH_ROWS = 30;

export function findSheet(workbook: WorkbookData, spec: SheetSpec): SheetData | undefined {
  const names = [spec.name.lv, spec.name.en];
  return workbook.sheets.find((s) => nameMatches(s.name, names));
}

export function missingSheetIssue(spec: SheetSpec): ValidationIssue {
  return issue('sheet-missing', 'error', { sheet: spec.name.lv }, { expected: `${spec.name.lv} / ${spec.name.en}` });
}

function columnMatches(text: string, column: ColumnSpec): boolean {
  return nameMatches(text, [column.name.lv, column.name.en, ...(column.aliases ?? [])]);
}

/** One data row: cells by column id, with their A1 addresses. */
export interface TableRow {
  row: number;
  get(columnId: string): CellValue | undefined;
  ref(columnId: string): string;
  /** The cell of a column with its sheet and address, as the field reader takes it. */
  at(columnId: string): CellAt;
  /** The formula behind a calculated cell of the column (a total's `SUM(B2:B9)`), if it has one. */
  formula(columnId: string): string | undefined;
}

/** A row's cell for the field reader. The address is worked out only when an issue needs it (this runs per cell). */
class TableCell implements CellAt {
  readonly value: CellValue | undefined;

  constructor(
    private readonly row: Pick<TableRow, 'get' | 'ref'>,
    readonly sheet: string,
    private readonly column: string,
  ) {
    this.value = row.get(column);
  }

  get cell(): string {
    return this.row.ref(this.column);
  }
}

/**
 * One column's cell of the row being read, the same object row after row (`of` moves it on): for a reader that
 * checks many cells of every row of a big sheet, where a {@link TableCell} per cell read is a million objects.
 * Nothing may keep it past its row: the field reader copies the sheet and address into any issue it makes.
 */
export class ColumnCell implements CellAt {
  value: CellValue | undefined;
  private row: Pick<TableRow, 'get' | 'ref'> | undefined;

  constructor(
    readonly sheet: string,
    private readonly column: string,
  ) {}

  /** This column's cell of `row`. */
  of(row: Pick<TableRow, 'get' | 'ref'>): this {
    this.row = row;
    this.value = row.get(this.column);
    return this;
  }

  get cell(): string {
    return this.row === undefined ? '' : this.row.ref(this.column);
  }
}

/**
 * A data row over the sheet's own row: one small object per row, its methods shared, so 100 000 participant rows
 * cost 100 000 objects rather than 100 000 objects and four closures each.
 */
class SheetTableRow implements TableRow {
  readonly row: number;

  constructor(
    private readonly source: SheetRow,
    private readonly columns: Map<string, number>,
    private readonly sheet: string,
  ) {
    this.row = source.row;
  }

  get(id: string): CellValue | undefined {
    const col = this.columns.get(id);
    return col === undefined ? undefined : this.source.cells[col - 1];
  }

  ref(id: string): string {
    return cellRef(this.source.row, this.columns.get(id) ?? 1);
  }

  at(id: string): CellAt {
    return new TableCell(this, this.sheet, id);
  }

  formula(id: string): string | undefined {
    const col = this.columns.get(id);
    return col === undefined ? undefined : this.source.formulas?.[col - 1];
  }
}

export interface Table {
  sheet: SheetData;
  headerRow: number;
  /** Column id → 1-based column number; only columns present. */
  columns: Map<string, number>;
  rows: TableRow[];
}

/**
 * Read a `table` sheet: find the header row (the first row, within the first 30, that names every required
 * column), map columns by name, return the non-empty rows below it. Missing required columns are issues.
 */
export function readTable(sheet: SheetData, spec: SheetSpec): { table: Table | null; issues: ValidationIssue[] } {
  const rows: TableRow[] = [];
  const reader = new TableReader(sheet.name, spec, (row) => rows.push(row));
  for (const r of sheet.rows) reader.push(r);
  const header = reader.finish(sheet.merges);
  return { table: header ? { sheet, ...header, rows } : null, issues: reader.issues };
}

/**
 * A table read row by row as the rows come (ascending), from a kept sheet or straight from the reader: rows are
 * held only until the header row is known (within the first 30), then each data row is handed to `onRow` and let
 * go, so a 100 000-row sheet never needs to be kept whole. `readTable` is this over a kept sheet.
 */
export class TableReader {
  /** Issues in the order `readTable` gives them: missing columns when the header is settled, merges at the end. */
  readonly issues: ValidationIssue[] = [];
  private best: { row: number; columns: Map<string, number> } | null = null;
  /** Rows seen while the header is still looked for; null once it is settled. */
  private held: SheetRow[] | null = [];
  /** The header and its columns once settled (null: no usable header, so no rows). */
  private header: { headerRow: number; columns: Map<string, number>; numbers: number[] } | null = null;

  constructor(
    private readonly sheetName: string,
    private readonly spec: SheetSpec,
    private readonly onRow: (row: TableRow) => void,
  ) {}

  push(r: SheetRow): void {
    const held = this.held;
    if (held === null) {
      this.emit(r);
      return;
    }
    if (r.row > HEADER_SEARCH_ROWS) {
      this.settle(held);
      this.emit(r);
      return;
    }
    held.push(r);
    if (this.considerHeader(r)) this.settle(held);
  }

  /** The end of the sheet: the header and columns, or null when the table is unusable (issues say why). */
  finish(merges: readonly string[]): { headerRow: number; columns: Map<string, number> } | null {
    if (this.held !== null) this.settle(this.held);
    if (!this.header) return null;
    const { headerRow, columns } = this.header;
    this.issues.push(...mergeIssues(this.sheetName, merges, headerRow));
    return { headerRow, columns };
  }

  /** Whether `r` names every required column (the search stops there); the best row so far is kept. */
  private considerHeader(r: SheetRow): boolean {
    const spec = this.spec;
    const columns = new Map<string, number>();
    r.cells.forEach((value, index) => {
      const text = cellText(value);
      if (!text) return;
      const col = spec.columns.find((c) => !columns.has(c.id) && columnMatches(text, c));
      if (col) columns.set(col.id, index + 1);
    });
    if (columns.size > 0 && (!this.best || columns.size > this.best.columns.size)) this.best = { row: r.row, columns };
    return spec.columns.every((c) => !c.required || columns.has(c.id));
  }

  private settle(held: SheetRow[]): void {
    this.held = null;
    const best = this.best;
    const missing = this.spec.columns.filter((c) => c.required && !best?.columns.has(c.id));
    for (const column of missing) {
      this.issues.push(
        issue(
          'column-missing',
          'error',
          { sheet: this.sheetName, cell: best ? cellRef(best.row, 1) : 'A1' },
          { expected: `${column.name.lv} / ${column.name.en}` },
        ),
      );
    }
    if (!best || missing.length > 0) return;
    this.header = { headerRow: best.row, columns: best.columns, numbers: [...best.columns.values()] };
    for (const r of held) this.emit(r);
  }

  private emit(r: SheetRow): void {
    const header = this.header;
    if (header === null || r.row <= header.headerRow) return;
    const cells = r.cells;
    const anyValue = header.numbers.some((col) => {
      const v = cells[col - 1];
      return v !== undefined && cellText(v) !== '';
    });
    if (anyValue) this.onRow(new SheetTableRow(r, header.columns, this.sheetName));
  }
}

/** Merged cells below the header: exceljs-style readers repeat the value in every cell, so refuse them. */
function mergeIssues(sheet: string, merges: readonly string[], headerRow: number): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const range of merges) {
    const first = range.split(':')[0] ?? range;
    const row = Number(/\d+$/.exec(first)?.[0] ?? '0');
    if (row > headerRow) out.push(issue('merged-cells', 'error', { sheet, cell: first }, { found: range }));
  }
  return out;
}

export interface FormField {
  value: CellValue | undefined;
  ref: string;
}

/**
 * Read a `form` sheet: rows of label | value. A label may sit in any of the first columns; its value is the next
 * non-empty cell to the right. Returns fields by column id.
 */
export function readForm(sheet: SheetData, spec: SheetSpec): Map<string, FormField> {
  const fields = new Map<string, FormField>();
  for (const r of sheet.rows) {
    for (let i = 0; i < Math.min(r.cells.length, 5); i++) {
      const label = cellText(r.cells[i]);
      if (!label) continue;
      const column = spec.columns.find((c) => !fields.has(c.id) && columnMatches(label, c));
      if (!column) continue;
      let j = i + 1;
      while (j < r.cells.length && cellText(r.cells[j]) === '') j++;
      const valueIndex = j < r.cells.length ? j : i + 1;
      fields.set(column.id, { value: r.cells[valueIndex], ref: cellRef(r.row, valueIndex + 1) });
      break;
    }
  }
  return fields;
}
