/**
 * The text caches and the placed-line and wrapped-line drawing write exactly what pdfkit writes: the same PDF bytes,
 * for generated strings (Latvian letters, kerning pairs, combining marks, no-break spaces, long wrapping text), at
 * several sizes, widths and alignments, in both faces, and again in a second document after the caches are warm.
 * The reference is a plain pdfkit document with none of this installed. The table's compact lines (fewer
 * operators, new bytes) are read back with pdf.js: the same text at the same places as pdfkit's lines.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { bufferPageContent } from '../../functions/pdf/content-stream';
import { FONT_NAMES, fontPaths } from '../../functions/pdf/fonts';
import {
  cacheCurrentFont,
  drawWrapped,
  newLineState,
  placeCompactLine,
  placeLine,
  wrapText,
} from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';

const PIECES = [
  'Dalībnieku',
  'skaits',
  'ĀČĒĢĪĶĻŅŠŪŽ',
  'āčēģīķļņšūž',
  'AV',
  'To',
  'Ta',
  'W.',
  'LT',
  'yy',
  '12\u00a0345,67',
  'O.2.3.1',
  '2025-Q3',
  'e\u0301',
  'a\u0308o',
  '—',
  '“x”',
  'ffi',
  '(ID)',
  'https://example.lv/a/b',
  '',
];

/** Strings built from the pieces above, joined by spaces, some long enough to wrap several lines. */
function generatedStrings(count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const words = Math.floor(rng() ** 2 * 30);
    const parts = Array.from({ length: words }, () => PIECES[Math.floor(rng() * PIECES.length)]!);
    const text = parts.join(rng() < 0.2 ? '  ' : ' ');
    return rng() < 0.1 ? `${text} ` : text;
  });
}

interface Draw {
  text: string;
  bold: boolean;
  size: number;
  x: number;
  y: number;
  width: number;
  align: 'left' | 'right' | 'center';
}

function draws(seed: number): Draw[] {
  const rng = mulberry32(seed);
  return generatedStrings(160, seed).map((text) => ({
    text,
    bold: rng() < 0.3,
    size: [6.5, 7.5, 9, 10.25][Math.floor(rng() * 4)]!,
    x: 40 + rng() * 200,
    y: 40 + rng() * 700,
    width: 40 + rng() * 300,
    align: (['left', 'right', 'center'] as const)[Math.floor(rng() * 3)]!,
  }));
}

function newDocument(): PDFKit.PDFDocument {
  const paths = fontPaths();
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    font: paths.regular,
    info: { CreationDate: new Date(0), ModDate: new Date(0) },
  });
  doc.registerFont(FONT_NAMES.regular, paths.regular);
  doc.registerFont(FONT_NAMES.bold, paths.bold);
  return doc;
}

async function bytesOf(doc: PDFKit.PDFDocument): Promise<string> {
  const chunks: Uint8Array[] = [];
  doc.on('data', (c: Uint8Array) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  doc.end();
  await done;
  return createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
}

function face(doc: PDFKit.PDFDocument, d: Draw, cached: boolean): void {
  doc.font(d.bold ? FONT_NAMES.bold : FONT_NAMES.regular).fontSize(d.size);
  if (cached) cacheCurrentFont(doc);
}

/** Each string on one line at its place, then wrapped in its width; a new page every 40 strings. */
function drawAll(doc: PDFKit.PDFDocument, list: Draw[], cached: boolean): void {
  list.forEach((d, i) => {
    if (i > 0 && i % 40 === 0) doc.addPage();
    face(doc, d, cached);
    doc.fillColor('#223344');
    if (cached) placeLine(doc, d.text, d.x, d.y);
    else doc.text(d.text, d.x, d.y, { lineBreak: false });
    // High on the page, so that the text fits above the bottom margin (the table's rows always do).
    const y = d.y / 4;
    if (cached) {
      const wrapped = wrapText(doc, d.text, d.width, 0.5);
      expect(wrapped).not.toBeNull();
      expect(wrapped!.height).toBe(doc.heightOfString(d.text, { width: d.width, lineGap: 0.5 }));
      drawWrapped(doc, wrapped!, d.x, y, d.align, 0.5);
    } else {
      doc.text(d.text, d.x, y, { width: d.width, align: d.align, lineGap: 0.5 });
    }
  });
}

describe('cached text drawing', () => {
  it('writes the same bytes as plain pdfkit, in a first and in a later document', async () => {
    for (const seed of [1, 2, 3]) {
      const list = draws(seed);
      const plain = newDocument();
      drawAll(plain, list, false);
      const expected = await bytesOf(plain);
      for (let round = 0; round < 2; round++) {
        const cached = newDocument();
        cacheCurrentFont(cached);
        bufferPageContent(cached);
        drawAll(cached, list, true);
        expect(await bytesOf(cached), `seed ${seed}, document ${round + 1}`).toBe(expected);
      }
    }
  });

  it('leaves the cursor where pdfkit leaves it', () => {
    const plain = newDocument();
    const cached = newDocument();
    cacheCurrentFont(cached);
    for (const d of draws(4).slice(0, 40)) {
      face(plain, d, false);
      face(cached, d, true);
      plain.text(d.text, d.x, d.y, { lineBreak: false });
      placeLine(cached, d.text, d.x, d.y);
      expect([cached.x, cached.y]).toEqual([plain.x, plain.y]);
      // High on the page, so that the text fits above the bottom margin (the table's rows always do).
      const y = d.y / 4;
      plain.text(d.text, d.x, y, { width: d.width, align: d.align, lineGap: 0.5 });
      drawWrapped(cached, wrapText(cached, d.text, d.width, 0.5)!, d.x, y, d.align, 0.5);
      expect([cached.x, cached.y]).toEqual([plain.x, plain.y]);
    }
  });

  it('draws compact lines as the same text at the same places as pdfkit, across fonts, sizes and pages', async () => {
    const list = draws(5);
    const render = async (compact: boolean): Promise<string[]> => {
      const doc = newDocument();
      const state = newLineState();
      list.forEach((d, i) => {
        if (i > 0 && i % 40 === 0) doc.addPage();
        face(doc, d, true);
        if (compact) placeCompactLine(doc, d.text, d.x, d.y, state);
        else doc.text(d.text, d.x, d.y, { lineBreak: false });
        // pdfkit's own text in between sets its font inside q/Q; the compact lines' font must hold after it.
        if (i % 7 === 0) {
          doc.font(FONT_NAMES.bold).fontSize(12).text('x', 20, 20, { lineBreak: false });
          face(doc, d, true);
        }
        const y = d.y / 4;
        const wrapped = wrapText(doc, d.text, d.width, 0.5)!;
        if (compact) drawWrapped(doc, wrapped, d.x, y, d.align, 0.5, state);
        else doc.text(d.text, d.x, y, { width: d.width, align: d.align, lineGap: 0.5 });
      });
      const chunks: Uint8Array[] = [];
      doc.on('data', (c: Uint8Array) => chunks.push(c));
      const done = new Promise<void>((resolve) => doc.on('end', resolve));
      doc.end();
      await done;
      const pdf = await getDocumentProxy(new Uint8Array(Buffer.concat(chunks)));
      const items: string[] = [];
      for (let p = 1; p <= pdf.numPages; p++) {
        const content = await (await pdf.getPage(p)).getTextContent();
        for (const item of content.items) {
          if (!('str' in item) || item.str === '') continue;
          const [a, b, c, dd, e, f] = item.transform.map((n: number) => n.toFixed(3));
          items.push(
            `${p} ${item.fontName.length > 0} ${a} ${b} ${c} ${dd} ${e} ${f} ${item.width.toFixed(3)} ${item.str}`,
          );
        }
      }
      return items;
    };
    const expected = await render(false);
    expect(expected.length).toBeGreaterThan(200);
    expect(await render(true)).toEqual(expected);
  });
});
