import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isPortableFormula } from '../../functions/intake/read-layout';
import { parseSubmission } from '../../functions/intake/read-submission';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { buildAnnotatedWorkbook, ISSUES_SHEET } from '../../functions/workbooks/annotate-workbook';
import {
  layOutSubmissionWorkbook,
  writeFormValues,
  writeTableRows,
  writeWorkbookBytes,
} from '../../functions/workbooks/write-template';
import { source, testRegistry, workbook } from '../helpers/workbooks';

async function load(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return wb;
}

describe('annotated copy of a refused workbook', () => {
  it('lists every issue first, links to each cell, and marks the bad cells with the message', async () => {
    const read = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [
        ['Kods', 'Vērtība periodā', 'Komentārs'],
        ['O.2.3.1', -4, '=HYPERLINK("http://x")'],
        ['X.9.9', 2, ''],
      ],
      Izdevumi: [
        ['Izmaksu kategorija', 'Summa periodā, EUR'],
        ['Personāla izmaksas', 100],
      ],
    });
    const { issues } = parseSubmission(read, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    expect(issues.map((i) => `${i.code}@${i.cell}`)).toEqual(['value-negative@B2', 'indicator-unknown@A3']);
    const wb = await load(await buildAnnotatedWorkbook(read, issues));

    expect(wb.worksheets.map((w) => w.name)).toEqual([ISSUES_SHEET, 'Projekts', 'Rādītāji', 'Izdevumi']);
    const list = wb.getWorksheet(ISSUES_SHEET)!;
    expect(list.rowCount).toBe(3);
    // Printed, all seven columns of the list fit one A4 landscape page's width.
    expect(list.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 });
    const link = list.getRow(2).getCell(2).value as { text: string; hyperlink: string };
    expect(link).toEqual({ text: 'Rādītāji!B2', hyperlink: "#'Rādītāji'!B2" });
    expect(list.getRow(2).getCell(4).value).toBe(issues[0]!.message.lv);
    expect(list.getRow(2).getCell(5).value).toBe(issues[0]!.message.en);

    const sheet = wb.getWorksheet('Rādītāji')!;
    expect(sheet.getCell('B2').value).toBe(-4);
    expect(String(sheet.getCell('B2').note)).toContain('The value must not be negative.');
    expect((sheet.getCell('B2').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(String(sheet.getCell('A3').note)).toContain('Nezināms rādītāja kods.');
    expect(sheet.getCell('A2').note).toBeUndefined();
    // User text stays text: a formula-looking comment is not turned into a formula.
    expect(sheet.getCell('C2').value).toBe('=HYPERLINK("http://x")');
    expect(sheet.getCell('C2').formula).toBeUndefined();
  });

  it('keeps hidden sheets hidden, marks no correct header for a missing column, and names places in words', async () => {
    const read = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [
        ['Kods', 'Komentārs'],
        ['O.2.3.1', ''],
      ],
    });
    const hidden = {
      ...read,
      sheets: [...read.sheets, { ...read.sheets[0]!, name: 'Saraksti', state: 'hidden' as const }],
    };
    const { issues } = parseSubmission(hidden, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    const missingColumn = issues.find((i) => i.code === 'column-missing')!;
    const missingSheet = issues.find((i) => i.code === 'sheet-missing')!;
    expect(missingColumn).toBeDefined();
    expect(missingSheet).toBeDefined();
    const wb = await load(await buildAnnotatedWorkbook(hidden, issues));
    expect(wb.getWorksheet('Saraksti')!.state).toBe('hidden');
    expect(wb.getWorksheet(ISSUES_SHEET)!.state).toBe('visible');
    // The header row is right; the column is what is missing: nothing in it is highlighted or annotated.
    const indicators = wb.getWorksheet('Rādītāji')!;
    expect(indicators.getCell('A1').fill).toBeUndefined();
    expect(indicators.getCell('A1').note).toBeUndefined();
    const list = wb.getWorksheet(ISSUES_SHEET)!;
    const places: string[] = [];
    const headers = (list.getRow(1).values as unknown[]).map(String);
    list.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.getCell(2).value as string | { text: string };
      places.push(typeof v === 'string' ? v : v.text);
    });
    expect(places).toContain('lapa „Rādītāji”, 1. rinda / sheet “Rādītāji”, row 1');
    expect(places).toContain(`lapa „${missingSheet.sheet}” / sheet “${missingSheet.sheet}”`);
    expect(places.some((p) => p.endsWith('!'))).toBe(false);
    // Issues are explained in words; no internal codes such as column-missing.
    expect(headers.join(' ')).not.toMatch(/Kods|Code/);
    list.eachRow((row) => {
      for (const cell of row.values as unknown[])
        expect(String(cell ?? '')).not.toMatch(/\b[a-z]+-[a-z]+(-[a-z]+)*\b(?!\.)/);
    });
  });

  it('explains whole-file problems in plain words when the file could not be read', async () => {
    const wb = await load(
      await buildAnnotatedWorkbook(null, [
        {
          severity: 'error',
          code: 'macros',
          message: { lv: 'Darbgrāmatā ir makro.', en: 'The workbook contains macros.' },
        },
      ]),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual([ISSUES_SHEET]);
    expect(wb.getWorksheet(ISSUES_SHEET)!.getRow(2).getCell(2).value).toBe('visa datne / whole file');
    expect(wb.getWorksheet(ISSUES_SHEET)!.getRow(2).getCell(5).value).toBe('The workbook contains macros.');
  });

  it('keeps the upload’s drop-downs, number formats and hidden sheets, and still masks a refused personal code', async () => {
    // A coordinator's file as they get it: our own template, filled in (drop-downs, formats, a hidden lists sheet).
    const { workbook: template, sheets } = layOutSubmissionWorkbook({ catalogue: [] });
    const sheet = (id: string) => sheets.get(id)!;
    writeFormValues(sheet('project'), { projectId: 'lv-courses', period: '2025-Q3' });
    writeTableRows(sheet('indicators'), [{ code: 'O.2.3.1', value: -4.5 }]);
    writeTableRows(sheet('participants'), [
      {
        participantId: '120399-12345',
        activity: 'language-course',
        startDate: new Date('2025-07-03T00:00:00Z'),
        gender: 'sieviete',
        ageGroup: '18-60',
      },
    ]);
    writeTableRows(sheet('expenditure'), [{ category: 'Personāla izmaksas', amount: 1234.5 }]);
    const upload = await writeWorkbookBytes(template);
    const read = readXlsx(upload);
    if (!read.ok) throw new Error(read.problem.code);
    const { issues } = parseSubmission(read.workbook, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    const personal = issues.find((i) => i.code === 'participant-id-personal')!;
    const negative = issues.find((i) => i.code === 'value-negative')!;
    expect(personal?.mask).toBeDefined();
    expect(negative).toBeDefined();

    const bytes = await buildAnnotatedWorkbook(read.workbook, issues, upload);
    const [original, copy] = [await load(upload), await load(bytes)];

    let validated = 0;
    let formatted = 0;
    for (const ws of original.worksheets) {
      const twin = copy.getWorksheet(ws.name)!;
      expect(twin, ws.name).toBeDefined();
      expect(twin.state, `${ws.name} state`).toBe(ws.state);
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.numFmt) {
            formatted++;
            expect(twin.getCell(cell.address).numFmt, `${ws.name}!${cell.address}`).toBe(cell.numFmt);
          }
        }),
      );
      // Every drop-down of the original, on its first, a middle and its last row.
      const validations = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } })
        .dataValidations.model;
      const twinValidations = (
        twin as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }
      ).dataValidations.model;
      for (const [address, validation] of Object.entries(validations)) {
        if (!/^[A-Z]+(2|1000|2000)$/.test(address) && !/^B\d$/.test(address)) continue;
        validated++;
        expect(twinValidations[address], `${ws.name}!${address}`).toMatchObject({
          type: validation.type,
          formulae: validation.formulae,
        });
      }
      for (const column of ws.columns ?? []) {
        if (column.width)
          expect(twin.getColumn(column.number!).width, `${ws.name} column ${column.number}`).toBe(column.width);
      }
    }
    expect(validated, 'drop-downs compared').toBeGreaterThan(5);
    expect(formatted, 'formatted cells compared').toBeGreaterThan(1);
    expect(copy.getWorksheet(ISSUES_SHEET)!.state).toBe('visible');
    expect(original.worksheets.some((ws) => ws.state === 'hidden')).toBe(true);

    // The refused value is masked and never in the file; the bad cells carry the message.
    const participants = copy.getWorksheet('Dalībnieki')!;
    expect(participants.getCell(personal.cell!).value).toBe(personal.mask);
    const xml = Object.values(unzipSync(bytes))
      .map((b) => strFromU8(b))
      .join('');
    expect(xml).not.toContain('120399');
    expect(String(participants.getCell(personal.cell!).note)).toContain(personal.message.lv);
    const indicators = copy.getWorksheet('Rādītāji')!;
    expect(indicators.getCell(negative.cell!).value).toBe(-4.5);
    expect(String(indicators.getCell(negative.cell!).note)).toContain(negative.message.en);
  });
});

describe('validation formulas the annotated copy may carry', () => {
  it.each([
    ['"Jā,Nē"', true],
    ['Saraksti!$A$2:$A$9', true],
    ["'Saraksti (2)'!$A$2:$A$9", true],
    ['0', true],
    ['$B$2', true],
    ['[1]Saraksti!$A$2:$A$9', false],
    ["'C:\\x\\[a.xlsx]S'!$A$1", false],
    ['INDIRECT("A1")', false],
    ['HYPERLINK("http://x")', false],
    ['', false],
    [`"${'x'.repeat(300)}"`, false],
  ])('%s → %s', (formula, portable) => {
    expect(isPortableFormula(formula)).toBe(portable);
  });
});
