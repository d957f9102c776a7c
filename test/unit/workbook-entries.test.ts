/**
 * exceljs's writer without its zip: the parts must be the ones `writeBuffer` zips, in its order, and the stable
 * packing must give byte for byte what re-packing exceljs's own zip gives, so committed workbooks (the templates,
 * the sample and the hostile corpus built from them) do not change.
 */

import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { repackDeterministic } from '../../functions/workbooks/deterministic-zip';
import { fitSheetLayout } from '../../functions/workbooks/fit-layout';
import { workbookEntries, writeWorkbookStable } from '../../functions/workbooks/workbook-entries';
import { layOutRegistryWorkbook, layOutSubmissionWorkbook } from '../../functions/workbooks/write-template';
import { mulberry32 } from '../../sample/sample-projects';

/** A workbook of generated cells: every value type, a merge, a hidden sheet, validations, a comment. */
function generatedWorkbook(seed: number): ExcelJS.Workbook {
  const rng = mulberry32(seed);
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(Date.UTC(2025, 0, 1));
  workbook.modified = workbook.created;
  for (const name of ['Kopsavilkums', 'Izcelsme ā', 'Saraksts']) {
    const sheet = workbook.addWorksheet(name, { state: name === 'Saraksts' ? 'hidden' : 'visible' });
    for (let r = 1; r <= 30; r++) {
      for (let c = 1; c <= 5; c++) {
        const cell = sheet.getCell(r, c);
        const kind = Math.floor(rng() * 6);
        if (kind === 0) cell.value = `teksts <${Math.floor(rng() * 20)}> & "x"`;
        else if (kind === 1) cell.value = Math.round(rng() * 1e5) / 100;
        else if (kind === 2) cell.value = new Date(Date.UTC(2025, Math.floor(rng() * 12), 1));
        else if (kind === 3) cell.value = { formula: `A${r}*2`, result: rng() < 0.5 ? 4 : 'x' };
        else if (kind === 4) cell.value = rng() < 0.5;
        if (rng() < 0.3) cell.font = { bold: true };
        if (rng() < 0.2) cell.numFmt = '#,##0.00';
      }
    }
    if (rng() < 0.7) sheet.mergeCells(31, 1, 31, 3);
    sheet.getCell('B2').dataValidation = { type: 'list', allowBlank: true, formulae: ['"a,b,c"'] };
    if (rng() < 0.5) sheet.getCell('C3').note = 'Piezīme';
  }
  return workbook;
}

/** Every file part of a zip as text (exceljs's zip also holds folder entries, which carry nothing). */
function xmlParts(zip: Uint8Array): Map<string, string> {
  const parts = new Map<string, string>();
  for (const [name, data] of Object.entries(unzipSync(zip))) {
    if (!name.endsWith('/')) parts.set(name, new TextDecoder().decode(data));
  }
  return parts;
}

async function viaWriteBuffer(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
  return new Uint8Array(buffer as ArrayBuffer);
}

/** The real workbooks the stable packing writes: both templates, laid out and fitted as they are built. */
function laidOutTemplate(kind: 'registry' | 'submission'): ExcelJS.Workbook {
  const { workbook } = kind === 'registry' ? layOutRegistryWorkbook() : layOutSubmissionWorkbook();
  workbook.eachSheet(fitSheetLayout);
  return workbook;
}

const cases: [string, () => ExcelJS.Workbook][] = [
  ...[31, 32, 33, 34].map((seed): [string, () => ExcelJS.Workbook] => [
    `generated workbook ${seed}`,
    () => generatedWorkbook(seed),
  ]),
  ['registry template', () => laidOutTemplate('registry')],
  ['submission template', () => laidOutTemplate('submission')],
];

describe('workbookEntries', () => {
  for (const [name, build] of cases) {
    it(`gives the parts writeBuffer zips, in its order (${name})`, async () => {
      const expected = xmlParts(await viaWriteBuffer(build()));
      const entries = await workbookEntries(build());
      expect(entries.map(([part]) => part)).toEqual([...expected.keys()]);
      for (const [part, data] of entries) expect(new TextDecoder().decode(data), part).toBe(expected.get(part));
    });

    it(`packs stably to the bytes re-packing exceljs's zip gives (${name})`, async () => {
      const expected = repackDeterministic(await viaWriteBuffer(build()));
      expect(Buffer.compare(await writeWorkbookStable(build()), expected)).toBe(0);
    });
  }

  it('refuses an edit of a sheet the workbook does not have', async () => {
    await expect(workbookEntries(generatedWorkbook(1), () => new Map([[99, (xml: string) => xml]]))).rejects.toThrow(
      /no sheet part to edit: xl\/worksheets\/sheet99.xml/,
    );
  });
});
