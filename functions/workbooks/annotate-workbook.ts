/**
 * The coordinator's own workbook sent back with every problem marked: a first sheet listing each issue with a link
 * to its cell, and each bad cell highlighted with a comment holding the message in Latvian and English.
 *
 * The copy is rebuilt from what our bounded reader already read (values at their original sheet and address),
 * not by loading the upload into exceljs again: the upload may carry the whole-sheet ranges that make exceljs
 * explode, and a rebuilt copy can hold no macro, link or formula of the original. What the coordinator needs to
 * correct the file in place is carried over from the upload's layout (read as boundedly): the drop-downs, the
 * number formats, column widths and hidden columns; hidden sheets stay hidden. Fonts, fills and borders are not.
 */
import ExcelJS from 'exceljs';
import type { ValidationIssue } from '../core/types';
import { readWorkbookLayout, type SheetLayout, type SheetValidation } from '../intake/read-layout';
import type { CellValue, WorkbookData } from '../intake/read-xlsx';
import { fitSheetLayout } from './fit-layout';
import { safeCellText } from './safe-text';
import { writeWorkbookBytes } from './write-template';

/** Cells copied at most: beyond this only the issue list is sent (the annotated copy would be too large to mail). */
export const MAX_ANNOTATED_CELLS = 200_000;

export const ISSUES_SHEET = 'Kļūdas';

const HIGHLIGHT: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const WARNING_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3864' } };

/** Copy a read cell as a plain value; never a formula (a formula without a value is shown as its text). */
function plainValue(value: CellValue | undefined): ExcelJS.CellValue {
  if (value === undefined) return null;
  if (typeof value === 'string') return safeCellText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value.t === 'date') return new Date(`${value.iso}T00:00:00Z`);
  if (value.t === 'error') return value.code;
  return safeCellText(`=${value.formula}`);
}

/** Issues about something absent: their cell says where it should be, not a cell that is wrong. */
const ABSENT = new Set(['column-missing', 'sheet-missing']);

/** Where an issue is, in words: `Rādītāji!C5`, a sheet as a whole, a missing column's header row, or the file. */
function placeOf(issue: ValidationIssue): string {
  if (!issue.sheet) return 'visa datne / whole file';
  const sheet = issue.sheet;
  if (issue.code === 'column-missing' && issue.cell) {
    const row = /(\d+)$/.exec(issue.cell)?.[1] ?? '1';
    return `lapa „${sheet}”, ${row}. rinda / sheet “${sheet}”, row ${row}`;
  }
  if (!issue.cell || ABSENT.has(issue.code)) return `lapa „${sheet}” / sheet “${sheet}”`;
  return `${sheet}!${issue.cell}`;
}

function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/** A sheet name Excel accepts, unique among `taken`. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Lapa';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 28)}~${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** exceljs writes range validations (`sqref="B2:B2000"`) but its typings leave `dataValidations` out. */
interface WithValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

/** Columns the copy sets at most (Excel has 16 384); a file listing more is not laid out beyond them. */
const MAX_LAID_OUT_COLUMNS = 16_384;

/** Column widths, hidden columns and their formats, and the drop-downs, as the upload had them. */
function applyLayout(ws: ExcelJS.Worksheet, layout: SheetLayout, copied: Map<string, ExcelJS.Worksheet>): void {
  let budget = MAX_LAID_OUT_COLUMNS;
  for (const column of layout.columns) {
    for (let c = column.min; c <= column.max && budget > 0; c++, budget--) {
      const target = ws.getColumn(c);
      if (column.width !== undefined) target.width = column.width;
      if (column.hidden) target.hidden = true;
      if (column.numFmt) target.numFmt = column.numFmt;
    }
  }
  for (const validation of layout.validations) {
    if (!refersToCopiedSheets(validation, copied)) continue;
    const { ranges, formulae, type, ...rest } = validation;
    for (const range of ranges) {
      (ws as unknown as WithValidations).dataValidations.add(range.replace(/\$/g, ''), {
        ...rest,
        type,
        formulae,
      } as ExcelJS.DataValidation);
    }
  }
}

/**
 * Whether every sheet a validation's formulas name is in the copy under the same name (a sheet renamed on copying,
 * such as `History`, would leave the drop-down pointing nowhere).
 */
function refersToCopiedSheets(validation: SheetValidation, copied: Map<string, ExcelJS.Worksheet>): boolean {
  return validation.formulae.every((formula) => {
    const bang = formula.lastIndexOf('!');
    if (formula.startsWith('"') || bang < 0) return true;
    const quoted = formula.slice(0, bang);
    const name = quoted.startsWith("'") ? quoted.slice(1, -1).replace(/''/g, "'") : quoted;
    return copied.get(name)?.name === name;
  });
}

/**
 * Build the annotated copy. `workbook` is null when the file could not be read at all (zip bomb, macros, not a
 * workbook): the result then holds only the issue list, whose messages explain the problem in plain words.
 */
export async function buildAnnotatedWorkbook(
  workbook: WorkbookData | null,
  issues: readonly ValidationIssue[],
  /** The upload itself, to carry its drop-downs and formats over; read only when the copy is made. */
  original: Uint8Array | null = null,
): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'pmif-reports';
  // `History` is a name exceljs refuses (Excel reserves it): a coordinator's sheet of that name is copied renamed.
  const taken = new Set<string>([ISSUES_SHEET.toLowerCase(), 'history']);
  const list = addIssueSheet(wb);
  const cellCount = workbook?.sheets.reduce((a, s) => a + s.rows.reduce((b, r) => b + r.cells.length, 0), 0) ?? 0;
  const copy = workbook !== null && cellCount <= MAX_ANNOTATED_CELLS;

  // The copied sheets, values at their original addresses.
  const copied = copy ? copySheets(wb, workbook, original, taken) : new Map<string, ExcelJS.Worksheet>();

  writeIssueList(list, issues, copied);
  if (!copy && workbook !== null) {
    list.addRow([]);
    list.addRow({
      lv: `Darbgrāmata ir par lielu, lai to nosūtītu atpakaļ ar atzīmēm (${cellCount} šūnas); labojiet norādītās šūnas savā datnē.`,
      en: `The workbook is too large to send back annotated (${cellCount} cells); correct the cells listed in your own file.`,
    }).alignment = { wrapText: true };
  }
  list.autoFilter = { from: 'A1', to: 'G1' };
  fitSheetLayout(list);
  return writeWorkbookBytes(wb);
}

/** The issue list's sheet, first in the workbook. */
function addIssueSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  return wb.addWorksheet(ISSUES_SHEET, {
    views: [{ state: 'frozen', ySplit: 1 }],
    // Printed, the list is one A4 landscape page wide (all seven columns together), as many pages high as it needs.
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  });
}

/** Copy the upload's sheets (with its layout when the upload is given); returns them by their original names. */
function copySheets(
  wb: ExcelJS.Workbook,
  workbook: WorkbookData,
  original: Uint8Array | null,
  taken: Set<string>,
): Map<string, ExcelJS.Worksheet> {
  const copied = new Map<string, ExcelJS.Worksheet>();
  const layout = original ? readWorkbookLayout(original) : null;
  for (const sheet of workbook.sheets) {
    // A sheet hidden in the upload (the lists behind the drop-downs) stays hidden in the copy.
    const ws = wb.addWorksheet(sheetName(sheet.name, taken), { state: sheet.state });
    copied.set(sheet.name, ws);
    const formats = layout?.get(sheet.name)?.cellFormats;
    for (const row of sheet.rows) {
      row.cells.forEach((value, index) => {
        if (value === undefined) return;
        const cell = ws.getCell(row.row, index + 1);
        cell.value = plainValue(value);
        const format = formats?.get(cell.address);
        if (format) cell.numFmt = format;
      });
    }
  }
  for (const [name, ws] of copied) {
    const sheetLayout = layout?.get(name);
    if (sheetLayout) applyLayout(ws, sheetLayout, copied);
  }
  return copied;
}

/** One row per issue, linked to its cell in the copy, where that cell is highlighted and carries the messages. */
function writeIssueList(
  list: ExcelJS.Worksheet,
  issues: readonly ValidationIssue[],
  copied: Map<string, ExcelJS.Worksheet>,
): void {
  list.columns = [
    { header: 'Nr.', key: 'n', width: 5 },
    { header: 'Šūna / Cell', key: 'cell', width: 22 },
    { header: 'Veids / Severity', key: 'severity', width: 16 },
    { header: 'Ziņojums (LV)', key: 'lv', width: 60 },
    { header: 'Message (EN)', key: 'en', width: 60 },
    { header: 'Konstatēts / Found', key: 'found', width: 24 },
    { header: 'Jābūt / Expected', key: 'expected', width: 28 },
  ];
  const header = list.getRow(1);
  header.font = { bold: true, color: { argb: 'FFFFFFFF' } };
  header.eachCell((c) => {
    c.fill = HEADER_FILL;
  });
  issues.forEach((issue, i) => {
    const target = issue.sheet ? copied.get(issue.sheet) : undefined;
    const where = placeOf(issue);
    const row = list.addRow({
      n: i + 1,
      cell: safeCellText(where),
      severity: issue.severity === 'error' ? 'Kļūda / Error' : 'Brīdinājums / Warning',
      lv: issue.message.lv,
      en: issue.message.en,
      found: safeCellText(issue.found ?? ''),
      expected: safeCellText(issue.expected ?? ''),
    });
    row.alignment = { wrapText: true, vertical: 'top' };
    const address = issue.cell && /^[A-Z]{1,3}\d{1,7}$/.test(issue.cell) ? issue.cell : 'A1';
    if (target) {
      row.getCell('cell').value = { text: safeCellText(where), hyperlink: `#${quoteSheet(target.name)}!${address}` };
      row.getCell('cell').font = { color: { argb: 'FF0563C1' }, underline: true };
      // Only a cell that holds the problem is marked: a missing column's place is its (correct) header row.
      if (issue.cell && /^[A-Z]{1,3}\d{1,7}$/.test(issue.cell) && !ABSENT.has(issue.code)) {
        const cell = target.getCell(issue.cell);
        // A value refused as personal data is not sent back, not even to the coordinator who wrote it.
        if (issue.mask !== undefined) cell.value = issue.mask;
        cell.fill = issue.severity === 'error' ? HIGHLIGHT : WARNING_FILL;
        const note = `${issue.message.lv}\n${issue.message.en}${issue.expected ? `\nJābūt / Expected: ${issue.expected}` : ''}`;
        const previous = typeof cell.note === 'string' ? `${cell.note}\n\n` : '';
        cell.note = safeCellText(`${previous}${note}`);
      }
    }
  });
}
