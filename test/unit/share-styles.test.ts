import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { repackDeterministic } from '../../functions/workbooks/deterministic-zip';
import { shareCellStyles } from '../../functions/workbooks/share-styles';
import { mulberry32 } from '../../sample/sample-projects';

const FORMATS = [undefined, '0', '#,##0.00', 'dd.mm.yyyy', '0.0%'];
const FONTS = [undefined, { bold: true }, { bold: true, color: { argb: 'FF1F3864' } }, { italic: true, size: 9 }];
const FILLS: (ExcelJS.Fill | undefined)[] = [
  undefined,
  { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } },
  { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } },
];
const ALIGNMENTS = [undefined, { wrapText: true, vertical: 'top' as const }, { horizontal: 'right' as const }];

/** A workbook of generated cells: every value type, styles drawn from small sets so that many cells share one. */
function generatedWorkbook(seed: number): ExcelJS.Workbook {
  const rng = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const workbook = new ExcelJS.Workbook();
  workbook.created = new Date(Date.UTC(2025, 0, 1));
  workbook.modified = workbook.created;
  for (const name of ['Kopsavilkums', 'Izcelsme']) {
    const sheet = workbook.addWorksheet(name);
    for (let r = 1; r <= 60; r++) {
      for (let c = 1; c <= 6; c++) {
        const cell = sheet.getCell(r, c);
        const kind = Math.floor(rng() * 6);
        if (kind === 0) cell.value = `teksts ${Math.floor(rng() * 20)}`;
        else if (kind === 1) cell.value = Math.round(rng() * 1e5) / 100;
        else if (kind === 2) cell.value = new Date(Date.UTC(2025, Math.floor(rng() * 12), 1));
        else if (kind === 3) cell.value = { formula: `A${r}*2`, result: rng() < 0.5 ? 4 : 'x' };
        else if (kind === 4) cell.value = rng() < 0.5;
        // kind 5: a styled cell without a value
        const numFmt = pick(FORMATS);
        if (numFmt) cell.numFmt = numFmt;
        const font = pick(FONTS);
        if (font) cell.font = font;
        const fill = pick(FILLS);
        if (fill) cell.fill = fill;
        const alignment = pick(ALIGNMENTS);
        if (alignment) cell.alignment = alignment;
        if (rng() < 0.2) cell.border = { bottom: { style: 'thin' } };
      }
    }
    if (rng() < 0.5) sheet.mergeCells(61, 1, 61, 3);
  }
  return workbook;
}

async function bytesOf(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  const buffer = await workbook.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
  return repackDeterministic(new Uint8Array(buffer as ArrayBuffer));
}

describe('shareCellStyles', () => {
  for (const seed of [11, 12, 13, 14, 15, 16]) {
    it(`leaves the written bytes as they were (generated workbook ${seed})`, async () => {
      const plain = await bytesOf(generatedWorkbook(seed));
      const sharedWorkbook = generatedWorkbook(seed);
      shareCellStyles(sharedWorkbook);
      expect(Buffer.compare(await bytesOf(sharedWorkbook), plain)).toBe(0);
    });
  }

  it('makes cells with equal styles and types share one object, and keeps unequal ones apart', () => {
    const workbook = generatedWorkbook(21);
    shareCellStyles(workbook);
    const sheet = workbook.getWorksheet('Izcelsme')!;
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell)));
    let sharing = 0;
    for (const a of cells) {
      for (const b of cells) {
        if (a === b || a.isMerged || b.isMerged) continue;
        const alike = a.effectiveType === b.effectiveType && JSON.stringify(a.style) === JSON.stringify(b.style);
        expect(a.style === b.style).toBe(alike);
        if (alike) sharing++;
      }
    }
    expect(sharing).toBeGreaterThan(0);
  });
});
