/**
 * Cells with equal styles share one style object before exceljs writes the workbook. exceljs gives every cell its
 * own style object and, when writing, renders each one to XML to find its entry in the style table (font, border and
 * fill each rendered again): a tenth of a project report's render time, nearly all of it for the lineage sheet's
 * thousands of alike cells. It remembers the entry of a style object it has seen, so shared objects are rendered
 * once. The entries and their order do not change (the first cell of each style still meets it first), so neither
 * do the bytes.
 */
import type { Workbook } from 'exceljs';

/**
 * Run last, after every style is set: a later change to one cell's style would change every cell sharing it.
 * The key holds the cell's effective type, because exceljs picks a style's default number format by the type of
 * the first cell it sees with that style object.
 */
export function shareCellStyles(workbook: Workbook): void {
  const shared = new Map<string, Partial<import('exceljs').Style>>();
  workbook.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.isMerged) return;
        const key = `${cell.effectiveType}|${JSON.stringify(cell.style)}`;
        const style = shared.get(key);
        if (style) cell.style = style;
        else shared.set(key, cell.style);
      });
    });
  });
}
