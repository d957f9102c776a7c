/** The rendering comparison's rows as a workbook for LibreOffice (kept apart: our side must not load exceljs). */
import ExcelJS from 'exceljs';
import { type BenchTableRow, TABLE_COLUMNS } from './table-rows';

/** The same rows as a workbook LibreOffice can print like our table: A4 portrait, fit to width, header repeated. */
export async function writeTableXlsx(rows: readonly BenchTableRow[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Tabula', {
    pageSetup: {
      paperSize: 9,
      orientation: 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:1',
    },
  });
  ws.columns = TABLE_COLUMNS.map((c) => ({
    key: c.id,
    header: c.header,
    width: c.width,
    // The same type size as our table (7.5 pt), and long comments wrap, as they do in ours.
    style: { font: { size: 8 }, alignment: { wrapText: c.id === 'comment', vertical: 'top' } },
  }));
  ws.getRow(1).font = { bold: true, size: 8 };
  for (const row of rows) ws.addRow(row);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
