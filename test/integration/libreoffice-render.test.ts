/**
 * The workbooks as a LibreOffice user sees them (docs/architecture.md §6: "Excel and LibreOffice both show every value
 * and every wrapped row"). A project report (both editions), the programme report and the two templates are converted
 * to PDF by LibreOffice headless (`libreoffice-calc-nogui`, installed by `.ci/run`): no `###` anywhere, reports on A4
 * landscape and one page wide (every page repeats its sheet's whole header row), the template's instructions on A4
 * portrait. Clipped text stays in a PDF's text layer, so wrapped rows are checked by their stored heights: each must
 * hold the lines its text wraps to at its column's width, measured with DejaVu Sans (the font LibreOffice falls back to
 * here) through pdfkit, independently of the writer's own estimate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontPaths } from '../../functions/pdf/fonts';
import { renderProgrammeXlsx, renderProjectXlsx } from '../../functions/workbooks/write-report-xlsx';
import { programmeModel, projectModel } from '../fixtures/xlsx-report-models';

const dir = mkdtempSync(join(tmpdir(), 'pmif-lo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Converted {
  name: string;
  xlsx: Uint8Array;
  pages: { text: string; width: number; height: number }[];
}

const files: Record<string, () => Promise<Uint8Array> | Uint8Array> = {
  'project-lv': () => renderProjectXlsx(projectModel(), 'lv'),
  'project-en': () => renderProjectXlsx(projectModel(), 'en'),
  'programme-lv': () => renderProgrammeXlsx(programmeModel(), 'lv'),
  'submission-template': () => new Uint8Array(readFileSync('templates/submission-template.xlsx')),
  'registry-template': () => new Uint8Array(readFileSync('templates/registry-template.xlsx')),
};
const converted = new Map<string, Converted>();

function pdfPages(pdf: string): Converted['pages'] {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', pdf], { encoding: 'utf8' });
  const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
  }));
  return sizes.map((size, i) => ({
    ...size,
    text: execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdf, '-'], {
      encoding: 'utf8',
    }),
  }));
}

beforeAll(async () => {
  const inputs: string[] = [];
  for (const [name, make] of Object.entries(files)) {
    const bytes = await make();
    const path = join(dir, `${name}.xlsx`);
    writeFileSync(path, bytes);
    inputs.push(path);
    converted.set(name, { name, xlsx: bytes, pages: [] });
  }
  // One LibreOffice start for all files; its own profile folder, so nothing of the machine's is touched.
  execFileSync(
    'soffice',
    [
      '--headless',
      '--norestore',
      `-env:UserInstallation=file://${dir}/profile`,
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      ...inputs,
    ],
    { stdio: 'ignore', timeout: 240_000 },
  );
  for (const c of converted.values()) c.pages = pdfPages(join(dir, `${c.name}.pdf`));
}, 300_000);

const A4 = { short: 595.3, long: 841.9 };
const isA4 = (p: { width: number; height: number }, landscape: boolean) =>
  Math.abs((landscape ? p.width : p.height) - A4.long) < 2 && Math.abs((landscape ? p.height : p.width) - A4.short) < 2;

describe.each(Object.keys(files))('%s in LibreOffice', (name) => {
  it('shows every value: no ### anywhere', () => {
    const c = converted.get(name)!;
    expect(c.pages.length).toBeGreaterThan(0);
    for (const [i, page] of c.pages.entries()) expect(page.text, `page ${i + 1}`).not.toContain('###');
  });

  it('stores a height for every wrapped row that holds its lines at its column width', async () => {
    const c = converted.get(name)!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(c.xlsx) as unknown as ArrayBuffer);
    const measure = new PDFDocument({ font: fontPaths().regular });
    measure.registerFont('bold', fontPaths().bold);
    let checked = 0;
    for (const sheet of wb.worksheets) {
      if (sheet.state !== 'visible') continue;
      sheet.eachRow((row, r) => {
        row.eachCell((cell, col) => {
          if (!cell.alignment?.wrapText || cell.isMerged || typeof cell.value !== 'string' || cell.value === '') return;
          const units = sheet.getColumn(col).width ?? 8.43;
          // A column unit is 7 px (5.25 pt); LibreOffice keeps about 2 pt of padding on each side.
          const room = units * 5.25 - 4;
          measure.font(cell.font?.bold ? 'bold' : fontPaths().regular).fontSize(cell.font?.size ?? 11);
          const lines = cell.value.split('\n').reduce((n, paragraph) => n + linesOf(measure, paragraph, room), 0);
          const needed = lines * (cell.font?.size ?? 11) * 1.164;
          expect(row.height ?? 15, `${sheet.name}!${cell.address}: ${lines} lines`).toBeGreaterThanOrEqual(needed);
          checked++;
          void r;
        });
      });
    }
    expect(checked).toBeGreaterThan(0);
  });
});

/** Greedy word wrap with real DejaVu metrics. */
function linesOf(doc: PDFKit.PDFDocument, text: string, room: number): number {
  let lines = 1;
  let used = 0;
  const space = doc.widthOfString(' ');
  for (const word of text.split(' ')) {
    const w = doc.widthOfString(word);
    if (used === 0) {
      lines += Math.max(0, Math.ceil(w / room) - 1);
      used = w > room ? w % room : w;
    } else if (used + space + w <= room) used += space + w;
    else {
      lines += 1 + Math.max(0, Math.ceil(w / room) - 1);
      used = w > room ? w % room : w;
    }
  }
  return lines;
}

describe('page layout', () => {
  it('prints the reports on A4 landscape, each sheet one page wide (every page has its whole header row)', async () => {
    for (const name of ['project-lv', 'project-en', 'programme-lv']) {
      const c = converted.get(name)!;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(c.xlsx) as unknown as ArrayBuffer);
      const headers = wb.worksheets.map((s) => {
        const cells = (s.getRow(1).values as unknown[]).filter((v) => typeof v === 'string') as string[];
        return { first: cells[0]!, last: cells.at(-1)! };
      });
      for (const [i, page] of c.pages.entries()) {
        expect(isA4(page, true), `${name} page ${i + 1}: ${page.width}×${page.height}`).toBe(true);
        const text = page.text.replace(/\s+/g, ' ');
        // The last header word of some sheet is on the page with its first: no sheet is split across page widths.
        const whole = headers.some(
          (h) => text.includes(h.first.split(' ')[0]!) && text.includes(h.last.split(' ').at(-1)!),
        );
        expect(whole, `${name} page ${i + 1}`).toBe(true);
      }
      // At least one page per sheet, and no more than the rows need (a lineage sheet of ~150 rows: a few pages).
      expect(c.pages.length).toBeGreaterThanOrEqual(wb.worksheets.length);
      expect(c.pages.length).toBeLessThanOrEqual(wb.worksheets.length + 8);
    }
  });

  it("prints the templates' instruction sheet on A4 portrait, first", () => {
    for (const name of ['submission-template', 'registry-template']) {
      const c = converted.get(name)!;
      const first = c.pages[0]!;
      expect(first.text).toContain('Norādījumi / Instructions');
      expect(isA4(first, false), `${name}: ${first.width}×${first.height}`).toBe(true);
      // The instructions are one page wide: their pages (up to the first sheet that is not them) are all A4 portrait
      // and the last column's help text is on the first page.
      expect(first.text).toContain('Description');
    }
  });
});
