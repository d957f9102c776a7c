/**
 * `writeTableRows` writes a laid-out table's data rows as sheet XML (bulk rows), not as exceljs cells. Against the
 * same rows written as exceljs cells (what it did before, and what a coordinator's file holds), for generated rows of
 * every kind of value a sample or test puts in a table (texts with markup characters, line breaks, Latvian letters
 * and leading spaces; whole and fractional numbers; dates, with and without a time; true and false; empty values), on
 * laid-out sheets with and without omitted columns: the workbook must read back as the same cells, in exceljs and in
 * our own reader.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../functions/intake/read-xlsx';
import {
  type CellInput,
  type LaidOutSheet,
  layOutSubmissionWorkbook,
  writeTableRows,
  writeWorkbookBytes,
} from '../../functions/workbooks/write-template';
import { mulberry32 } from '../../sample/sample-projects';

const TEXTS = [
  'Jā',
  'Nē',
  'ā č ē ģ ī ķ ļ ņ š ū ž',
  '<b>&amp; "x" \'y\'</b>',
  'two\nlines',
  '   leading',
  '=SUM(A1:A2)',
];

function generatedValue(rng: () => number): CellInput {
  const kind = Math.floor(rng() * 8);
  if (kind === 0) return TEXTS[Math.floor(rng() * TEXTS.length)]!;
  if (kind === 1) return Math.floor(rng() * 1000);
  if (kind === 2) return Math.round((rng() - 0.3) * 1e7) / 100;
  if (kind === 3) return new Date(Date.UTC(2025, Math.floor(rng() * 12), 1 + Math.floor(rng() * 28)));
  if (kind === 4) return new Date(Date.UTC(2025, 5, 3, 13, 5, 7));
  if (kind === 5) return rng() < 0.5;
  return [null, undefined, ''][Math.floor(rng() * 3)];
}

/** The submission layout's table sheets, some columns left out, and generated rows for each. */
function generated(seed: number) {
  const rng = mulberry32(seed);
  const omitColumns = rng() < 0.5 ? [{ sheet: 'participants', column: 'activity' }] : [];
  const rows = (sheet: LaidOutSheet) =>
    Array.from({ length: Math.floor(rng() * 40) }, () =>
      // Every column of the contract, so omitted ones are dropped by the writer.
      Object.fromEntries(sheet.spec.columns.map((column) => [column.id, generatedValue(rng)])),
    );
  const tables = ['indicators', 'participants', 'expenditure'];
  const data = new Map<string, Record<string, CellInput>[]>();
  const laidOut = layOutSubmissionWorkbook({ omitColumns });
  for (const id of tables) data.set(id, rows(laidOut.sheets.get(id)!));
  return { omitColumns, data };
}

/** The rows as exceljs cells, one by one: how `writeTableRows` wrote them before, and what Excel's file would hold. */
async function viaCells(seed: number): Promise<Uint8Array> {
  const { omitColumns, data } = generated(seed);
  const laidOut = layOutSubmissionWorkbook({ omitColumns });
  for (const [id, rows] of data) {
    const sheet = laidOut.sheets.get(id)!;
    rows.forEach((values, r) => {
      sheet.columns.forEach((column, c) => {
        const value = values[column.id];
        if (value !== null && value !== undefined && value !== '') sheet.worksheet.getCell(r + 2, c + 1).value = value;
      });
    });
  }
  return writeWorkbookBytes(laidOut.workbook);
}

async function viaTableRows(seed: number): Promise<Uint8Array> {
  const { omitColumns, data } = generated(seed);
  const laidOut = layOutSubmissionWorkbook({ omitColumns });
  for (const [id, rows] of data) writeTableRows(laidOut.sheets.get(id)!, rows);
  return writeWorkbookBytes(laidOut.workbook);
}

/** Every cell exceljs reads back: address, type, value and number format, and each sheet's dimensions. */
async function readBack(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook.worksheets.map((sheet) => {
    const cells: unknown[] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      row.eachCell({ includeEmpty: true }, (cell) => {
        cells.push([cell.address, cell.type, cell.value, cell.numFmt]);
      });
    });
    return { name: sheet.name, dimensions: sheet.dimensions.range, cells };
  });
}

describe('writeTableRows', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`writes cells that read back as exceljs cells written one by one (generated rows ${seed})`, async () => {
      const reference = await viaCells(seed);
      const bytes = await viaTableRows(seed);
      const back = await readBack(bytes);
      expect(back).toEqual(await readBack(reference));
      const ours = readXlsx(bytes);
      const theirs = readXlsx(reference);
      expect(ours.ok && theirs.ok).toBe(true);
      expect(ours).toEqual(theirs);
      // The generated rows are there, not an empty table on both sides.
      const participants = back.find((s) => s.name === 'Dalībnieki')!;
      const written = generated(seed).data.get('participants')!.length;
      expect(participants.dimensions).toMatch(new RegExp(`:[A-Z]+${written + 1}$`));
    });
  }

  it('writes a sheet’s rows once, and never beside cells written below its header', async () => {
    const laidOut = layOutSubmissionWorkbook();
    const participants = laidOut.sheets.get('participants')!;
    writeTableRows(participants, [{ participantId: 'P-1' }]);
    expect(() => writeTableRows(participants, [{ participantId: 'P-2' }])).toThrow(/written once/);
    participants.worksheet.getCell('A5').value = 'P-3';
    await expect(writeWorkbookBytes(laidOut.workbook)).rejects.toThrow(
      /Dalībnieki: rows below the header were written both as table rows and as cells/,
    );
  });
});
