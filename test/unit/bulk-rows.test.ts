/**
 * Bulk rows (a long table's data rows written as sheet XML) against the same table written as exceljs cells: for
 * generated tables of every kind of value a table writer puts in a cell (texts short and too long for a column, with
 * line breaks, XML's special characters, `_xHHHH_` escapes, Latvian letters; numbers in several formats; dates and
 * date-times; true and false; empty cells; wrapped and bold columns; columns that grow to their text), every part of the workbook
 * must be the same XML, and the workbook must read back alike in exceljs.
 */

import ExcelJS, { type CellValue } from 'exceljs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  type BulkCell,
  type BulkColumn,
  fillBulkRows,
  renderBulkRows,
  spliceBulkRows,
  XmlBytes,
  xmlEscape,
} from '../../functions/workbooks/bulk-rows';
import { fitSheetLayout } from '../../functions/workbooks/fit-layout';
import { shareCellStyles } from '../../functions/workbooks/share-styles';
import { writeWorkbookPacked } from '../../functions/workbooks/workbook-entries';
import { mulberry32 } from '../../sample/sample-projects';

type Row = (string | number | boolean | Date | null)[];

interface GeneratedColumn extends BulkColumn<Row> {
  header: string;
}

const TEXTS = [
  'Izcelsme',
  'inbox/PMIF-2024-001/2025-Q2.xlsx',
  'ā č ē ģ ī ķ ļ ņ š ū ž',
  '<b>&amp; "quoted" \'single\'</b>',
  '_x0041_ stays literal',
  '=SUM(A1:A2)',
  'two\nlines',
  'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z a b c',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '   leading spaces',
];
const FORMATS = ['#,##0', '#,##0.00', '0.0%', '#,##0.00 "EUR"'];

/** A column that puts the row's value, as the report's cell writers do (a format with each number or date). */
function generatedColumns(seed: number): GeneratedColumn[] {
  const rng = mulberry32(seed);
  return Array.from({ length: 3 + Math.floor(rng() * 8) }, (_, i) => {
    const format = FORMATS[Math.floor(rng() * FORMATS.length)]!;
    const dateFormat = rng() < 0.5 ? 'dd.mm.yyyy' : 'dd.mm.yyyy hh:mm:ss';
    const bold = rng() < 0.2;
    // Some columns hold live formulas (built from cell addresses, as the report's are), with the row's value as
    // their cached result: a number, or an empty text where there is nothing to show.
    const formula = rng() < 0.25;
    const column: GeneratedColumn = {
      header: `Kolonna ${i + 1}`,
      width: 6 + Math.floor(rng() * 20),
      put: (cell: BulkCell, row: Row, r: number) => {
        const value = row[i] ?? null;
        if (formula) {
          const result = typeof value === 'number' ? value : '';
          cell.value = { formula: `IF(A${r}>0,"<&'>",A${r}/2)`, result };
          cell.numFmt = format;
        } else {
          cell.value = value;
          if (typeof value === 'number') cell.numFmt = format;
          if (value instanceof Date) cell.numFmt = dateFormat;
        }
        if (bold) cell.font = { bold: true };
      },
    };
    if (rng() < 0.4) column.maxWidth = column.width + Math.floor(rng() * 50);
    if (rng() < 0.3) column.wrap = true;
    return column;
  });
}

function generatedRows(seed: number, columns: number, count: number): Row[] {
  const rng = mulberry32(seed * 7 + 1);
  return Array.from({ length: count }, () =>
    Array.from({ length: columns }, () => {
      const kind = Math.floor(rng() * 6);
      if (kind === 0) return TEXTS[Math.floor(rng() * TEXTS.length)]!;
      if (kind === 1) return Math.round((rng() - 0.3) * 1e7) / 100;
      if (kind === 2) return new Date(Date.UTC(2025, Math.floor(rng() * 12), 1 + Math.floor(rng() * 28), 13, 5, 7));
      if (kind === 3) return Math.floor(rng() * 1000);
      if (kind === 4) return rng() < 0.5;
      return null;
    }),
  );
}

function newSheet(workbook: ExcelJS.Workbook, columns: GeneratedColumn[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet('Izcelsme', { views: [{ state: 'frozen', ySplit: 1 }] });
  columns.forEach((column, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.value = column.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'middle' };
  });
  return sheet;
}

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(Date.UTC(2025, 6, 1));
  workbook.modified = workbook.created;
  // A sheet before the table, so the table's strings and styles follow others in the shared tables.
  const first = workbook.addWorksheet('Kopsavilkums');
  first.getCell('A1').value = 'Izcelsme';
  first.getCell('B2').value = 12.5;
  first.getCell('B2').numFmt = '#,##0.00';
  return workbook;
}

/** The table as exceljs cells: the columns' cell writers on exceljs cells, sized as the report's writeTable does. */
/** Rows written after the table as exceljs cells, the way a totals row or a list of facts is. */
function writeRowsAfter(sheet: ExcelJS.Worksheet, from: number, after: Row[]): void {
  after.forEach((row, r) => {
    row.forEach((value, i) => {
      const cell = sheet.getRow(from + r).getCell(i + 1);
      cell.value = value;
      if (value !== null && i === 0) cell.font = { bold: true };
      if (typeof value === 'number') cell.numFmt = '#,##0.00';
      if (value instanceof Date) cell.numFmt = 'dd.mm.yyyy';
    });
  });
}

async function viaExcelJs(columns: GeneratedColumn[], rows: Row[], after: Row[] = []): Promise<Uint8Array> {
  const workbook = newWorkbook();
  const sheet = newSheet(workbook, columns);
  rows.forEach((row, r) => {
    columns.forEach((column, i) => {
      const cell = sheet.getRow(r + 2).getCell(i + 1);
      column.put(cell as unknown as BulkCell, row, r + 2);
      if (column.wrap) cell.alignment = { wrapText: true, vertical: 'top' };
    });
  });
  columns.forEach((column, i) => {
    let width = column.width;
    if (column.maxWidth !== undefined) {
      for (let r = 2; r <= rows.length + 1; r++) {
        const value = sheet.getRow(r).getCell(i + 1).value;
        if (typeof value === 'string') width = Math.max(width, ...value.split('\n').map((l) => l.length + 2));
      }
      width = Math.min(width, column.maxWidth);
    }
    sheet.getColumn(i + 1).width = width;
  });
  writeRowsAfter(sheet, rows.length + 3, after);
  workbook.eachSheet(fitSheetLayout);
  shareCellStyles(workbook);
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
  return new Uint8Array(buffer as ArrayBuffer);
}

/** The same table with its data rows as bulk rows. */
async function viaBulkRows(columns: GeneratedColumn[], rows: Row[], after: Row[] = []): Promise<Uint8Array> {
  const workbook = newWorkbook();
  const sheet = newSheet(workbook, columns);
  const bulk = fillBulkRows(sheet.name, columns, rows);
  bulk.widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
  });
  writeRowsAfter(sheet, rows.length + 3, after);
  workbook.eachSheet(fitSheetLayout);
  shareCellStyles(workbook);
  const widths = bulk.widths.map((_, i) => sheet.getColumn(i + 1).width ?? 8.43);
  return writeWorkbookPacked(workbook, (tables) => {
    const xml = renderBulkRows(bulk, widths, tables);
    return new Map([[sheet.id, (s: string) => spliceBulkRows(s, xml, rows.length + 1, columns.length)]]);
  });
}

/** Every file part of a zip as text (exceljs's zip also holds folder entries, which carry nothing). */
function xmlParts(zip: Uint8Array): Map<string, string> {
  const parts = new Map<string, string>();
  for (const [name, data] of Object.entries(unzipSync(zip))) {
    if (!name.endsWith('/')) parts.set(name, new TextDecoder().decode(data));
  }
  return parts;
}

/** What exceljs reads back of a sheet: every cell's value, type and style, the columns' widths, rows' heights. */
async function readBack(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  const sheet = workbook.getWorksheet('Izcelsme')!;
  const cells: unknown[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, r) => {
    cells.push({ r, height: row.height });
    row.eachCell({ includeEmpty: true }, (cell) => {
      cells.push([cell.address, cell.type, cell.value, cell.numFmt, cell.font, cell.alignment]);
    });
  });
  return { cells, widths: sheet.columns.map((c) => c.width), dimensions: sheet.dimensions.range };
}

describe('bulk rows', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`write the same workbook parts as exceljs cells would (generated table ${seed})`, async () => {
      const columns = generatedColumns(seed);
      const rows = generatedRows(seed, columns.length, seed === 1 ? 0 : 20 + seed * 15);
      const reference = await viaExcelJs(columns, rows);
      const bytes = await viaBulkRows(columns, rows);
      const expected = xmlParts(reference);
      const actual = xmlParts(bytes);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [name, xml] of expected) expect(actual.get(name), name).toBe(xml);
      // And so it reads back as the same cells.
      const back = await readBack(bytes);
      expect(back).toEqual(await readBack(reference));
      expect(back.cells.length).toBeGreaterThan(rows.length);
    });
  }

  it('keep user text out of the sheet XML: it is in the shared strings, escaped', async () => {
    const columns = generatedColumns(3);
    const rows = [columns.map(() => '<x>&"\'</x>')];
    const parts = xmlParts(await viaBulkRows(columns, rows));
    const sheets = [...parts].filter(([name]) => name.startsWith('xl/worksheets/'));
    for (const [, xml] of sheets) expect(xml).not.toContain('<x>');
    expect(parts.get('xl/sharedStrings.xml')).toContain('&lt;x&gt;&amp;');
  });

  it('refuse a value a bulk row cannot hold (rich text, an error, a formula with a date result), naming the cell', () => {
    const values: CellValue[] = [
      { richText: [{ text: 'a' }] },
      { error: '#N/A' },
      { formula: 'A1', result: new Date(0) },
    ];
    for (const value of values) {
      const columns: BulkColumn<Row>[] = [
        {
          width: 10,
          put: (cell) => {
            cell.value = value;
          },
        },
      ];
      const rows = fillBulkRows('Izcelsme', columns, [[null]]);
      const tables = { sharedString: () => 0, styleId: () => 0 };
      expect(() => renderBulkRows(rows, rows.widths, tables)).toThrow(
        /Izcelsme!A2: a bulk row holds text, numbers, dates/,
      );
    }
  });

  it('lay out rows written after the table (totals, notes) as exceljs cells would, widening columns for them', async () => {
    for (const seed of [21, 22, 23, 24]) {
      const columns = generatedColumns(seed);
      const rows = generatedRows(seed, columns.length, 30);
      const after = generatedRows(seed + 100, columns.length, 6);
      const reference = await viaExcelJs(columns, rows, after);
      const bytes = await viaBulkRows(columns, rows, after);
      expect(await readBack(bytes)).toEqual(await readBack(reference));
    }
  });

  it('refuse to splice into sheet XML without a <sheetData> starting with row 1 and a <dimension>', () => {
    expect(() => spliceBulkRows('<worksheet><sheetData/></worksheet>', '<row r="2"/>', 2, 1)).toThrow(/sheetData/);
    expect(() => spliceBulkRows('<worksheet><dimension ref="A1"/></worksheet>', '', 2, 1)).toThrow(/sheetData/);
    const noDimension = '<worksheet><sheetData><row r="1" spans="1:1"><c r="A1"/></row></sheetData></worksheet>';
    expect(() => spliceBulkRows(noDimension, '', 2, 1)).toThrow(/dimension/);
  });
});

describe('xmlEscape', () => {
  it('escapes as exceljs does: markup characters as entities, control characters XML cannot carry left out', async () => {
    const { xmlEncode } = (await import('exceljs/lib/utils/utils.js' as string)).default as {
      xmlEncode: (s: string) => string;
    };
    const rng = mulberry32(5);
    const alphabet = [
      '<',
      '>',
      '&',
      '"',
      "'",
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u0008',
      '\u000B',
      '\u001F',
      '\u007F',
      'ā',
      'a',
      ' ',
      '€',
    ];
    for (let n = 0; n < 500; n++) {
      const text = Array.from(
        { length: Math.floor(rng() * 12) },
        () => alphabet[Math.floor(rng() * alphabet.length)],
      ).join('');
      expect(xmlEscape(text), JSON.stringify(text)).toBe(xmlEncode(text));
    }
  });
});

describe('XmlBytes', () => {
  it('writes numbers as JavaScript writes them and text as UTF-8, growing as it goes', () => {
    const rng = mulberry32(11);
    const numbers = [0, -0, 1, 9, 10, 99, 100, 4294967295, 4294967296, -1, 0.5, 1e21, 1e-7, 2 ** 53, 45839.54684027778];
    for (let n = 0; n < 2000; n++) {
      const scale = 10 ** Math.floor(rng() * 12);
      const value = rng() < 0.5 ? Math.floor(rng() * scale) : (rng() - 0.5) * scale;
      numbers.push(value);
    }
    const texts = ['<c r="A', 'ā č ē ģ ī ķ ļ ņ š ū ž', '€ 😀 \u{10FFFF}', '', 'x'.repeat(5000)];
    // A tiny buffer, so that every kind of write also has to grow it.
    const out = new XmlBytes(4);
    let expected = '';
    numbers.forEach((value, i) => {
      const text = texts[i % texts.length]!;
      if (i % 3 === 0 && !/[^ -~]/.test(text)) out.ascii(text);
      else out.text(text);
      out.number(value);
      expected += `${text}${value}`;
    });
    expect(out.bytes.toString('utf8')).toBe(expected);
    expect(out.bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    out.reset();
    out.number(12);
    expect(out.bytes.toString('utf8')).toBe('12');
  });
});
