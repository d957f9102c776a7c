import { crc32, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type CellValue,
  cellRef,
  columnLetter,
  DEFAULT_LIMITS,
  type ReadLimits,
  type ReadProblem,
  type ReadResult,
  readXlsx,
  type WorkbookData,
} from '../../functions/intake/read-xlsx';
import { NATIVE_INFLATE_MAX_BYTES } from '../../functions/intake/zip-guard';
import {
  concat,
  deflatedEntry,
  deflatedZeros,
  exceljsXlsx,
  MAIN_NS,
  minimalWorkbookEntries,
  partText,
  rawXlsx,
  sharedStringsXml,
  stylesXml,
  worksheetXml,
  writeZip,
  zipFiles,
} from './helpers/xlsx-fixtures';

function workbookOf(result: ReadResult): WorkbookData {
  if (!result.ok) throw new Error(`expected a workbook, got ${result.problem.code} (${result.problem.found ?? ''})`);
  return result.workbook;
}

function problemOf(result: ReadResult): ReadProblem {
  if (result.ok) throw new Error('expected a problem, got a workbook');
  return result.problem;
}

/** Read a workbook and return the cell at an A1 reference of a sheet. */
function cellAt(workbook: WorkbookData, sheet: string, ref: string): CellValue | undefined {
  const match = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!match) throw new Error(ref);
  let col = 0;
  for (const ch of match[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  const rows = workbook.sheets.find((s) => s.name === sheet)?.rows ?? [];
  return rows.find((r) => r.row === Number(match[2]))?.cells[col - 1];
}

/** A one-sheet raw workbook named `Data`. */
function oneSheet(sheetData: string, more: Partial<Parameters<typeof rawXlsx>[0]> = {}): Uint8Array {
  return rawXlsx({ sheets: [{ name: 'Data', xml: worksheetXml(sheetData) }], ...more });
}

describe('column letters and references', () => {
  it('converts 1-based column numbers to letters', () => {
    expect([1, 26, 27, 28, 52, 53, 256, 702, 703, 16_384].map(columnLetter)).toEqual([
      'A',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'IV',
      'ZZ',
      'AAA',
      'XFD',
    ]);
    expect(cellRef(5, 28)).toBe('AB5');
    expect(() => columnLetter(0)).toThrow(RangeError);
  });
});

describe('readXlsx on workbooks written by exceljs', () => {
  it('reads strings, rich text, hyperlinks, formulas, dates, errors, booleans, hidden rows and sheets, merges', async () => {
    const xlsx = await exceljsXlsx((wb) => {
      const ws = wb.addWorksheet('Dati');
      ws.getCell('A1').value = { richText: [{ text: 'Treknraksts', font: { bold: true } }, { text: ' un parasts' }] };
      ws.getCell('B1').value = { text: 'vietne', hyperlink: 'https://example.com' };
      ws.getCell('A2').value = 42.5;
      ws.getCell('B2').value = { formula: 'A2*2', result: 85 };
      ws.getCell('C2').value = { formula: 'A2*3', result: undefined };
      ws.getCell('D2').value = { formula: 'A1&"!"', result: 'Treknraksts un parasts!' };
      ws.getCell('A3').value = new Date(Date.UTC(2025, 2, 15));
      ws.getCell('B3').value = { error: '#DIV/0!' };
      ws.getCell('C3').value = true;
      ws.getCell('D3').value = 'Dalībnieks Nr. 1';
      ws.getRow(3).hidden = true;
      ws.mergeCells('A5:C6');
      ws.getCell('A5').value = 'apvienots';
      wb.addWorksheet('Paslēpta', { state: 'hidden' }).getCell('A1').value = 1;
      wb.addWorksheet('Ļoti paslēpta', { state: 'veryHidden' }).getCell('B2').value = 'x';
    });
    const wb = workbookOf(readXlsx(xlsx));
    expect(wb.date1904).toBe(false);
    expect(wb.sheets.map((s) => [s.name, s.state])).toEqual([
      ['Dati', 'visible'],
      ['Paslēpta', 'hidden'],
      ['Ļoti paslēpta', 'veryHidden'],
    ]);
    expect(cellAt(wb, 'Dati', 'A1')).toBe('Treknraksts un parasts');
    expect(cellAt(wb, 'Dati', 'B1')).toBe('vietne');
    expect(cellAt(wb, 'Dati', 'A2')).toBe(42.5);
    expect(cellAt(wb, 'Dati', 'B2')).toBe(85);
    expect(cellAt(wb, 'Dati', 'C2')).toEqual({ t: 'no-cached-value', formula: 'A2*3' });
    expect(cellAt(wb, 'Dati', 'D2')).toBe('Treknraksts un parasts!');
    expect(cellAt(wb, 'Dati', 'A3')).toEqual({ t: 'date', iso: '2025-03-15', serial: 45731 });
    expect(cellAt(wb, 'Dati', 'B3')).toEqual({ t: 'error', code: '#DIV/0!' });
    expect(cellAt(wb, 'Dati', 'C3')).toBe(true);
    expect(cellAt(wb, 'Dati', 'D3')).toBe('Dalībnieks Nr. 1');
    expect(cellAt(wb, 'Dati', 'A5')).toBe('apvienots');
    // The merge's other cells stay empty: the value is not repeated (no double counting).
    expect(cellAt(wb, 'Dati', 'B5')).toBeUndefined();
    expect(wb.sheets[0]!.merges).toEqual(['A5:C6']);
    expect(wb.sheets[0]!.rows.map((r) => r.row)).toEqual([1, 2, 3, 5]);
    expect(cellAt(wb, 'Paslēpta', 'A1')).toBe(1);
    expect(cellAt(wb, 'Ļoti paslēpta', 'B2')).toBe('x');
  });

  it('gives the same visible date from a 1900 and a 1904 workbook', async () => {
    const build = (date1904: boolean) =>
      exceljsXlsx((wb) => {
        wb.properties.date1904 = date1904;
        const ws = wb.addWorksheet('Dati');
        ws.getCell('A1').value = new Date(Date.UTC(2025, 2, 15));
        ws.getCell('A2').value = new Date(Date.UTC(1999, 11, 31));
      });
    const [x1900, x1904] = await Promise.all([build(false), build(true)]);
    // The files really differ: the 1904 workbook stores serials 1462 days smaller.
    expect(partText(x1900, 'xl/worksheets/sheet1.xml')).toContain('<v>45731</v>');
    expect(partText(x1904, 'xl/worksheets/sheet1.xml')).toContain('<v>44269</v>');
    const wb1900 = workbookOf(readXlsx(x1900));
    const wb1904 = workbookOf(readXlsx(x1904));
    expect(wb1904.date1904).toBe(true);
    expect(cellAt(wb1904, 'Dati', 'A1')).toEqual({ t: 'date', iso: '2025-03-15', serial: 45731 });
    expect(cellAt(wb1904, 'Dati', 'A2')).toEqual({ t: 'date', iso: '1999-12-31', serial: 36525 });
    expect(wb1904.sheets[0]!.rows).toEqual(wb1900.sheets[0]!.rows);
  });
});

describe('readXlsx on hand-written parts', () => {
  it('reads t="d", inline strings (runs joined, phonetic dropped), errors, booleans, t="str" and _xHHHH_ escapes', () => {
    const xlsx = oneSheet(
      '<row r="1">' +
        '<c r="A1" t="d"><v>2025-03-15T10:30:00</v></c>' +
        '<c r="B1" t="inlineStr"><is><r><t>Rīga</t></r><r><t xml:space="preserve"> un </t></r><r><t>Liepāja</t></r>' +
        '<rPh sb="0" eb="1"><t>PHONETIC</t></rPh></is></c>' +
        '<c r="C1" t="e"><v>#N/A</v></c>' +
        '<c r="D1" t="b"><v>0</v></c>' +
        '<c r="E1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>' +
        '<c r="F1" t="s"><v>0</v></c>' +
        '<c r="G1" t="d"><v>2025-02-31</v></c>' +
        '</row>',
      { sharedStrings: sharedStringsXml(['<t>pirmā rinda_x000D_\notrā; _x005F_x0041_ paliek</t>']) },
    );
    const wb = workbookOf(readXlsx(xlsx));
    expect(wb.sheets[0]!.rows).toEqual([
      {
        row: 1,
        cells: [
          { t: 'date', iso: '2025-03-15', serial: 45731.4375 },
          'Rīga un Liepāja',
          { t: 'error', code: '#N/A' },
          false,
          'ab',
          'pirmā rinda\r\notrā; _x0041_ paliek',
          // Not a real date: kept as the text it is.
          '2025-02-31',
        ],
      },
    ]);
  });

  it('places cells without r after the previous cell, and rows without r after the previous row', () => {
    const xlsx = oneSheet(
      '<row r="2"><c><v>1</v></c><c><v>2</v></c><c r="E2"><v>5</v></c><c><v>6</v></c></row>' +
        '<row><c><v>7</v></c></row>' +
        '<row><c r="C9"><v>9</v></c></row>' +
        '<row><c><v>10</v></c></row>',
    );
    const rows = workbookOf(readXlsx(xlsx)).sheets[0]!.rows;
    expect(rows.map((r) => r.row)).toEqual([2, 3, 9, 10]);
    expect(rows[0]!.cells).toEqual([1, 2, undefined, undefined, 5, 6]);
    expect(rows[1]!.cells).toEqual([7]);
    expect(rows[2]!.cells[2]).toBe(9);
    expect(rows[3]!.cells).toEqual([10]);
  });

  it('tells date formats from other formats by their codes', () => {
    const xlsx = oneSheet(
      '<row r="1">' +
        ['0', '1', '2', '3', '4', '5', '6']
          .map((s, i) => `<c r="${String.fromCharCode(65 + i)}1" s="${s}"><v>45731</v></c>`)
          .join('') +
        '</row>',
      {
        styles: stylesXml(
          [
            { id: 164, code: 'dd.mm.yyyy' },
            { id: 165, code: '0" days"' },
            { id: 166, code: '[$-426]#,##0.00\\ "EUR";[Red]\\-#,##0.00' },
            { id: 167, code: '[h]:mm' },
          ],
          [0, 14, 164, 165, 166, 167, 4],
        ),
      },
    );
    const cells = workbookOf(readXlsx(xlsx)).sheets[0]!.rows[0]!.cells;
    const date = { t: 'date', iso: '2025-03-15', serial: 45731 };
    expect(cells).toEqual([45731, date, date, 45731, 45731, date, 45731]);
  });

  it('converts 1904-system serials so consumers only ever see 1900-system serials', () => {
    const xlsx = oneSheet('<row r="1"><c r="A1" s="1"><v>44269</v></c><c r="B1"><v>44269</v></c></row>', {
      date1904: true,
      styles: stylesXml([], [0, 14]),
    });
    const wb = workbookOf(readXlsx(xlsx));
    expect(wb.date1904).toBe(true);
    // The date cell is converted; a plain number stays the number it is.
    expect(wb.sheets[0]!.rows[0]!.cells).toEqual([{ t: 'date', iso: '2025-03-15', serial: 45731 }, 44269]);
  });

  it('reads parts stored as UTF-16 with a byte order mark', () => {
    const xml = worksheetXml('<row r="1"><c r="A1" t="inlineStr"><is><t>Ērglis</t></is></c></row>').replace(
      'encoding="UTF-8"',
      'encoding="UTF-16"',
    );
    const utf16 = new Uint8Array(2 + xml.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < xml.length; i++) {
      utf16[2 + i * 2] = xml.charCodeAt(i) & 0xff;
      utf16[3 + i * 2] = xml.charCodeAt(i) >> 8;
    }
    const xlsx = rawXlsx({ sheets: [{ name: 'Data', xml: '' }], extra: { 'xl/worksheets/sheet1.xml': utf16 } });
    expect(workbookOf(readXlsx(xlsx)).sheets[0]!.rows).toEqual([{ row: 1, cells: ['Ērglis'] }]);
  });

  it('resolves absolute relationship targets and reads prefixed (x:) worksheets', () => {
    const prefixed =
      `<x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr">` +
      '<x:is><x:t>prefiksēts</x:t></x:is></x:c><x:c r="B1"><x:v>3</x:v></x:c></x:row></x:sheetData>' +
      '<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells></x:worksheet>';
    const xlsx = rawXlsx({
      sheets: [
        {
          name: 'Absolute',
          xml: worksheetXml('<row r="1"><c r="A1"><v>1</v></c></row>'),
          target: '/xl/worksheets/sheet1.xml',
        },
        { name: 'Prefixed', xml: prefixed, target: './worksheets/../worksheets/sheet2.xml' },
      ],
    });
    const wb = workbookOf(readXlsx(xlsx));
    expect(cellAt(wb, 'Absolute', 'A1')).toBe(1);
    expect(wb.sheets[1]!.rows).toEqual([{ row: 1, cells: ['prefiksēts', 3] }]);
    expect(wb.sheets[1]!.merges).toEqual(['A1:B1']);
  });

  it('skips chartsheets and says no-sheets when no worksheet is left', () => {
    const chart = '<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>';
    const withData = rawXlsx({
      sheets: [
        { name: 'Diagramma', xml: chart, kind: 'chartsheet' },
        { name: 'Dati', xml: worksheetXml('<row r="1"><c r="A1"><v>1</v></c></row>') },
      ],
    });
    expect(workbookOf(readXlsx(withData)).sheets.map((s) => s.name)).toEqual(['Dati']);
    const onlyChart = rawXlsx({ sheets: [{ name: 'Diagramma', xml: chart, kind: 'chartsheet' }] });
    expect(problemOf(readXlsx(onlyChart)).code).toBe('no-sheets');
  });

  it('ignores whole-sheet dimensions, validations and styled blank cells far away, without allocating for them', () => {
    const xlsx = rawXlsx({
      sheets: [
        {
          name: 'Data',
          xml: worksheetXml(
            '<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row><row r="1048576"><c r="A1048576" s="0"/></row>',
            {
              before: '<dimension ref="A1:XFD1048576"/>',
              after:
                '<conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting>' +
                '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
            },
          ),
        },
      ],
    });
    const started = performance.now();
    const sheet = workbookOf(readXlsx(xlsx)).sheets[0]!;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sheet.rows).toEqual([{ row: 1, cells: [1] }]);
  });

  it('sorts rows a writer left out of order', () => {
    const xlsx = oneSheet('<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>');
    const rows = workbookOf(readXlsx(xlsx)).sheets[0]!.rows;
    expect(rows).toEqual([
      { row: 1, cells: [1] },
      { row: 3, cells: [3] },
    ]);
  });

  it('refuses a row number given twice, naming a cell of the second row', () => {
    // The later row used to win silently: an amount of 205 337,45 became 1.
    const xlsx = oneSheet(
      '<row r="3"><c r="A3"><v>205337.45</v></c></row><row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><v>1</v></c></row>',
    );
    expect(problemOf(readXlsx(xlsx))).toMatchObject({ code: 'row-duplicate', sheet: 'Data', cell: 'B3' });
  });

  it('refuses a cell given twice in one row, naming it', () => {
    const xlsx = oneSheet('<row r="2"><c r="B2"><v>205337.45</v></c><c r="B2"><v>1</v></c></row>');
    const problem = problemOf(readXlsx(xlsx));
    expect(problem).toMatchObject({ code: 'cell-duplicate', sheet: 'Data', cell: 'B2' });
    expect(problem.message.en).toMatch(/twice/);
  });

  it('keeps hex, NaN, Infinity and blanks in a number cell as text, never as numbers', () => {
    const cells = ['0x1A', 'NaN', 'Infinity', '-Infinity', '   ', '1e999']
      .map((v, i) => `<c r="${cellRef(1, i + 1)}"><v>${v}</v></c>`)
      .join('');
    const [row] = workbookOf(readXlsx(oneSheet(`<row r="1">${cells}</row>`))).sheets[0]!.rows;
    expect(row?.cells).toEqual(['0x1A', 'NaN', 'Infinity', '-Infinity', '   ', '1e999']);
  });

  it('reads a number cell as a number exactly when it is a decimal number, for generated values', () => {
    // The file format's number (ECMA-376 xsd:double as Excel writes it): sign, digits, point, exponent, spaces around.
    const decimal = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
    let seed = 11;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const alphabet = ['0', '1', '5', '9', '.', '-', '+', 'e', 'E', ' ', 'x', '\u00a0', ','];
    const values = ['7', '-0', '+3.', '.25', '-.5', '1.2.3', '--1', '.', '-', '+', '1e5', ' 12 ', '12,5'];
    for (let i = 0; i < 600; i++) {
      values.push(Array.from({ length: 1 + Math.floor(next() * 7) }, () => alphabet[Math.floor(next() * 13)]).join(''));
    }
    const rows = values.map((v, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${v}</v></c></row>`).join('');
    const read = workbookOf(readXlsx(oneSheet(rows))).sheets[0]!.rows;
    const got = values.map((_, i) => read.find((r) => r.row === i + 1)?.cells[0]);
    const number = (v: string) => decimal.test(v) && Number.isFinite(Number(v));
    expect(got).toEqual(values.map((v) => (v === '' ? undefined : number(v) ? Number(v) : v)));
  });

  it('keeps the formula of a calculated cell beside its value (totals are recognised by it)', () => {
    const xlsx = oneSheet('<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4"><f>SUM(B2:B3)</f><v>7</v></c></row>', {
      sharedStrings: sharedStringsXml(['<t>x</t>']),
    });
    const [row] = workbookOf(readXlsx(xlsx)).sheets[0]!.rows;
    expect(row).toEqual({ row: 4, cells: ['x', 7], formulas: [undefined, 'SUM(B2:B3)'] });
  });
});

describe('readXlsx limits', () => {
  it('refuses a value past the column limit, naming the first such cell', () => {
    const cells = Array.from({ length: 300 }, (_, i) => `<c r="${cellRef(1, i + 1)}"><v>${i}</v></c>`).join('');
    const problem = problemOf(readXlsx(oneSheet(`<row r="1">${cells}</row>`)));
    expect(problem).toMatchObject({ code: 'too-many-columns', sheet: 'Data', cell: 'IW1' });
    expect(problem.message.lv).toMatch(/kolonn/);
    expect(problem.message.en).toMatch(/columns/);
  });

  it('refuses a string longer than Excel allows, naming the sheet and cell', () => {
    const long = 'ā'.repeat(40_000);
    const shared = readXlsx(
      oneSheet('<row r="7"><c r="C7" t="s"><v>0</v></c></row>', {
        sharedStrings: sharedStringsXml([`<t>${long}</t>`]),
      }),
    );
    expect(problemOf(shared)).toMatchObject({ code: 'cell-too-long', sheet: 'Data', cell: 'C7' });
    expect(problemOf(shared).found).toContain('40000');
    const inline = readXlsx(oneSheet(`<row r="2"><c r="B2" t="inlineStr"><is><t>${long}</t></is></c></row>`));
    expect(problemOf(inline)).toMatchObject({ code: 'cell-too-long', cell: 'B2' });
    const exactly = readXlsx(
      oneSheet(`<row r="2"><c r="B2" t="inlineStr"><is><t>${'x'.repeat(32_767)}</t></is></c></row>`),
    );
    expect((workbookOf(exactly).sheets[0]!.rows[0]!.cells[1] as string).length).toBe(32_767);
  });

  it('refuses rows past the row limit, cells past the cell limit and merges past the merge limit', () => {
    const rows = Array.from(
      { length: 12 },
      (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}"><v>0</v></c></row>`,
    );
    const twelveRows = oneSheet(rows.join(''));
    expect(problemOf(readXlsx(twelveRows, { maxRows: 10 }))).toMatchObject({ code: 'too-many-rows', cell: 'A11' });
    expect(problemOf(readXlsx(twelveRows, { maxCells: 15 }))).toMatchObject({ code: 'too-many-cells', cell: 'B8' });
    expect(workbookOf(readXlsx(twelveRows, { maxRows: 12, maxCells: 24 })).sheets[0]!.rows).toHaveLength(12);

    const merges =
      '<mergeCells count="3"><mergeCell ref="A1:B1"/><mergeCell ref="A2:B2"/><mergeCell ref="A3:B3"/></mergeCells>';
    const merged = rawXlsx({ sheets: [{ name: 'M', xml: worksheetXml('', { after: merges }) }] });
    expect(problemOf(readXlsx(merged, { maxMerges: 2 }))).toMatchObject({ code: 'too-many-merges', sheet: 'M' });
    expect(workbookOf(readXlsx(merged, { maxMerges: 3 })).sheets[0]!.merges).toEqual(['A1:B1', 'A2:B2', 'A3:B3']);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxFileBytes: 20 * 1024 * 1024,
      maxEntries: 1000,
      maxEntryBytes: 200 * 1024 * 1024,
      maxTotalInflatedBytes: 200 * 1024 * 1024,
      maxRatio: 200,
      maxRows: 200_000,
      maxColumns: 256,
      maxCells: 3_000_000,
      maxStringLength: 32_767,
      maxMerges: 10_000,
    } satisfies ReadLimits);
  });
});

describe('readXlsx refuses what is not a plain .xlsx', () => {
  const text = (s: string) => new TextEncoder().encode(s);

  it('says what the file is when it is not a zip', () => {
    const cases: [Uint8Array, string, string | undefined][] = [
      [new Uint8Array(0), 'file-empty', undefined],
      [
        concat([new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), new Uint8Array(504)]),
        'not-xlsx-ole2',
        undefined,
      ],
      [text('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'not-xlsx-other', 'PDF'],
      [text('\uFEFF<!DOCTYPE html><html><body><table></table></body></html>'), 'not-xlsx-other', 'HTML'],
      [
        text('<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'),
        'not-xlsx-other',
        'XML',
      ],
      [text('Kods;Vērtība\nO.1.1;12\nO.1.2;3\n'), 'not-xlsx-other', 'CSV/text'],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not-xlsx-other', 'image'],
      [new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x01, 0x02]), 'not-xlsx-other', 'unknown'],
    ];
    for (const [bytes, code, found] of cases) {
      const problem = problemOf(readXlsx(bytes));
      expect([problem.code, problem.found]).toEqual([code, found]);
    }
    const ole2 = problemOf(readXlsx(cases[1]![0]));
    expect(ole2.message.en).toContain('password');
    expect(ole2.message.lv).toContain('paroli');
  });

  it('refuses files over the size limit before looking inside', () => {
    const problem = problemOf(readXlsx(oneSheet('<row r="1"><c r="A1"><v>1</v></c></row>'), { maxFileBytes: 100 }));
    expect(problem.code).toBe('file-too-large');
  });

  it('recognises OpenDocument spreadsheets, Word documents and other zips', () => {
    const ods = zipFiles({
      mimetype: 'application/vnd.oasis.opendocument.spreadsheet',
      'content.xml': '<office:document-content/>',
      'META-INF/manifest.xml': '<manifest:manifest/>',
    });
    expect(problemOf(readXlsx(ods))).toMatchObject({ code: 'not-xlsx-other', found: 'ODS' });
    const docx = zipFiles({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });
    expect(problemOf(readXlsx(docx))).toMatchObject({ code: 'not-xlsx-other', found: 'DOCX' });
    expect(problemOf(readXlsx(zipFiles({ 'readme.txt': 'hello' })))).toMatchObject({ found: 'zip' });
  });

  it('refuses macros, by part or by content type, external links, embedded objects and ActiveX', () => {
    const sheets = [{ name: 'Data', xml: worksheetXml('') }];
    const withPart = (name: string) => readXlsx(rawXlsx({ sheets, extra: { [name]: new Uint8Array([1, 2, 3]) } }));
    expect(problemOf(withPart('xl/vbaProject.bin')).code).toBe('macros');
    expect(problemOf(withPart('xl/externalLinks/externalLink1.xml')).code).toBe('external-links');
    expect(problemOf(withPart('xl/embeddings/oleObject1.bin')).code).toBe('embedded-objects');
    expect(problemOf(withPart('xl/activeX/activeX1.xml')).code).toBe('activex');
    const xlsm = rawXlsx({
      sheets,
      contentTypes:
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>',
    });
    expect(problemOf(readXlsx(xlsm))).toMatchObject({ code: 'macros' });
    expect(problemOf(readXlsx(xlsm)).message.en).toContain('.xlsx');
  });

  it('refuses truncated zips, bad CRCs, duplicate entries and too many entries', () => {
    const xlsx = oneSheet('<row r="1"><c r="A1"><v>1</v></c></row>');
    expect(problemOf(readXlsx(xlsx.subarray(0, xlsx.length - 30))).code).toBe('zip-corrupt');
    expect(problemOf(readXlsx(xlsx.subarray(0, Math.floor(xlsx.length / 2)))).code).toBe('zip-corrupt');

    const entries = [...minimalWorkbookEntries(), deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(''))];
    expect(workbookOf(readXlsx(writeZip(entries))).sheets).toHaveLength(1);
    const badCrc = entries.map((e) => (e.name === 'xl/worksheets/sheet1.xml' ? { ...e, crc: e.crc ^ 1 } : e));
    expect(problemOf(readXlsx(writeZip(badCrc)))).toMatchObject({
      code: 'zip-corrupt',
      found: expect.stringContaining('CRC'),
    });
    const duplicate = writeZip([...entries, entries[0]!]);
    expect(problemOf(readXlsx(duplicate))).toMatchObject({
      code: 'zip-corrupt',
      found: expect.stringContaining('duplicate'),
    });
    expect(problemOf(readXlsx(writeZip(entries), { maxEntries: entries.length - 1 })).code).toBe(
      'zip-too-many-entries',
    );
  });

  it('refuses a zip bomb by its declared size, and by its ratio when the size limit is higher', () => {
    const zeros = deflatedZeros(300);
    expect(zeros.data.length).toBeLessThan(1024 * 1024);
    const bomb = writeZip([
      ...minimalWorkbookEntries(),
      { name: 'xl/worksheets/sheet1.xml', data: zeros.data, method: 8, crc: zeros.crc, size: zeros.size },
    ]);
    expect(problemOf(readXlsx(bomb))).toMatchObject({ code: 'zip-too-large' });
    const roomy = { maxEntryBytes: 400 * 1024 * 1024, maxTotalInflatedBytes: 400 * 1024 * 1024 };
    expect(problemOf(readXlsx(bomb, roomy))).toMatchObject({ code: 'zip-ratio' });
  });

  it('stops inflating a bomb whose directory under-declares its size, at the declared size', () => {
    const zeros = deflatedZeros(300);
    const lying = writeZip([
      ...minimalWorkbookEntries(),
      // Declared 64 KB: the size and the ratio (300 KB packed) both look harmless.
      { name: 'xl/worksheets/sheet1.xml', data: zeros.data, method: 8, crc: zeros.crc, size: 64 * 1024 },
    ]);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const problem = problemOf(readXlsx(lying));
    expect(problem.code).toBe('zip-corrupt');
    expect(problem.found).toContain('declared');
    // Refused after about one push (≤ 1 MB of output), not after 300 MB.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  // Entries that may unpack to 40 MB or less are inflated by native zlib in one call, bigger ones by fflate as a
  // stream: the guard's verdicts must not depend on which side of that line an entry falls.
  it('stops a lying bomb at its declared size on either side of the native-inflate line', () => {
    // Spaces, not zeros: the streaming path hands bytes to the XML parser as they come, and a NUL would be refused
    // there first (xml-invalid); blank space keeps the parser reading until the size check speaks.
    const MiB = 1024 * 1024;
    const spaces = new Uint8Array(MiB).fill(0x20);
    const piece = deflateRawSync(spaces, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    let crc = 0;
    for (let i = 0; i < 64; i++) crc = crc32(spaces, crc);
    const blank = { data: concat([...Array.from({ length: 64 }, () => piece), new Uint8Array([3, 0])]), crc };
    const line = NATIVE_INFLATE_MAX_BYTES;
    for (const declared of [1, 64 * 1024, line - 1, line, line + 1, line + 8 * MiB]) {
      const lying = writeZip([
        ...minimalWorkbookEntries(),
        { name: 'xl/worksheets/sheet1.xml', data: blank.data, method: 8, crc: blank.crc, size: declared },
      ]);
      // Blank space packs far beyond the ratio limit; the ratio rule is not what is tested here.
      const problem = problemOf(readXlsx(lying, { maxRatio: 1e9 }));
      expect(problem, `declared ${declared}`).toMatchObject({
        code: 'zip-corrupt',
        found: expect.stringContaining(`more than its declared ${declared} bytes`),
      });
    }
  });

  it('reads a worksheet alike on either side of the native-inflate line, and refuses a damaged deflate stream', () => {
    // Rows of a number and a 30 000-character text: 1 500 of them make a part past the line.
    const text = 'x'.repeat(30_000);
    const rowsFor = (count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c><c r="B${i + 1}" t="inlineStr"><is><t>${text}</t></is></c></row>`,
      ).join('');
    const small = oneSheet(rowsFor(10));
    const big = oneSheet(rowsFor(1_500));
    expect(partText(big, 'xl/worksheets/sheet1.xml').length).toBeGreaterThan(NATIVE_INFLATE_MAX_BYTES);
    for (const [xlsx, count] of [
      [small, 10],
      [big, 1_500],
    ] as const) {
      const rows = workbookOf(readXlsx(xlsx, { maxRatio: 1e9 })).sheets[0]!.rows;
      expect(rows).toHaveLength(count);
      expect(rows.at(-1)).toEqual({ row: count, cells: [count - 1, text] });
    }
    const sheet = deflatedEntry('xl/worksheets/sheet1.xml', worksheetXml(rowsFor(2)));
    const cut = { ...sheet, data: sheet.data.subarray(0, sheet.data.length - 10) };
    const problem = problemOf(readXlsx(writeZip([...minimalWorkbookEntries(), cut])));
    expect(problem).toMatchObject({ code: 'zip-corrupt', found: expect.stringContaining('sheet1.xml') });
    const garbage = { ...sheet, data: sheet.data.map((b, i) => (i > 4 ? b ^ 0x5a : b)) };
    expect(problemOf(readXlsx(writeZip([...minimalWorkbookEntries(), garbage]))).code).toBe('zip-corrupt');
  });

  it('refuses DOCTYPE declarations (XXE, billion laughs), undefined entities and malformed XML', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet xmlns="${MAIN_NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>`;
    const xxeProblem = problemOf(readXlsx(rawXlsx({ sheets: [{ name: 'Data', xml: xxe }] })));
    expect(xxeProblem).toMatchObject({ code: 'xml-invalid', sheet: 'Data' });
    expect(xxeProblem.found).toContain('DOCTYPE');

    const laughs =
      '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      `]><sst xmlns="${MAIN_NS}"><si><t>&lol9;</t></si></sst>`;
    const laughsProblem = problemOf(readXlsx(oneSheet('', { sharedStrings: laughs })));
    expect(laughsProblem).toMatchObject({ code: 'xml-invalid', found: expect.stringContaining('sharedStrings.xml') });

    const undefinedEntity = oneSheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>');
    expect(problemOf(readXlsx(undefinedEntity)).code).toBe('xml-invalid');
    const malformed = rawXlsx({ sheets: [{ name: 'Data', xml: worksheetXml('<row r="1"><c r="A1"><v>1</v></row>') }] });
    expect(problemOf(readXlsx(malformed)).code).toBe('xml-invalid');
    const missingSharedString = oneSheet('<row r="1"><c r="A1" t="s"><v>5</v></c></row>', {
      sharedStrings: sharedStringsXml([]),
    });
    expect(problemOf(readXlsx(missingSharedString))).toMatchObject({ code: 'xml-invalid', cell: 'A1' });
  });

  it('gives every problem a Latvian and an English message', () => {
    const problem = problemOf(readXlsx(new Uint8Array(0)));
    expect(problem.message.lv).toMatch(/tukšs/);
    expect(problem.message.en).toMatch(/empty/);
  });
});
