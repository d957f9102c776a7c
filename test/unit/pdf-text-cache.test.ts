/**
 * The text caches and the placed-line and wrapped-line drawing write exactly what pdfkit writes: the same PDF bytes,
 * for generated strings (Latvian letters, kerning pairs, combining marks, no-break spaces, long wrapping text), at
 * several sizes, widths and alignments, in both faces, and again in a second document after the caches are warm.
 * The reference is a plain pdfkit document with none of this installed. The table's compact lines (fewer
 * operators, new bytes) are read back with pdf.js: the same text at the same places as pdfkit's lines.
 */
import { createHash } from 'node:crypto';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { bufferPageContent } from '../../functions/pdf/content-stream';
import { FONT_NAMES } from '../../functions/pdf/fonts';
import {
  cacheCurrentFont,
  drawText,
  drawWrapped,
  newLineState,
  placeCompactLine,
  placeLine,
  TEXT_CACHE_LIMIT,
  type TextOptions,
  textCacheSizes,
  wrapText,
} from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';
import { dejaVuDocument, documentSha, endDocument } from '../helpers/pdfkit';

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

/** Line breaks of every kind pdfkit's line breaker knows, alone, doubled, at the start and at the end. */
const BREAKS = ['\n', '\n\n', '\r\n', '\r', '\u2028', '\v'];

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

const newDocument = (): PDFKit.PDFDocument => dejaVuDocument();
const bytesOf = documentSha;

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

  it('holds at most its limit of strings per font, and writes the same bytes after starting afresh', {
    timeout: 60_000,
  }, async () => {
    // A render worker's life in one long document: more distinct strings than the caches keep.
    const distinct = TEXT_CACHE_LIMIT + 1_500;
    const write = (cached: boolean) => {
      const doc = newDocument();
      if (cached) bufferPageContent(doc);
      doc.font(FONT_NAMES.regular).fontSize(7.5).fillColor('#223344');
      if (cached) cacheCurrentFont(doc);
      let largest = 0;
      for (let i = 0; i < distinct; i++) {
        if (i > 0 && i % 80 === 0) doc.addPage();
        const [text, y] = [`Dalībnieks P-${i} ${i * 7}`, 40 + (i % 80) * 9];
        if (!cached) {
          doc.text(text, 40, y, { lineBreak: false });
          continue;
        }
        placeLine(doc, text, 40, y);
        const sizes = textCacheSizes(doc)!;
        largest = Math.max(largest, sizes.runs, sizes.wraps, sizes.encoded, sizes.shows);
      }
      return { doc, largest };
    };
    const cached = write(true);
    expect(cached.largest).toBe(TEXT_CACHE_LIMIT);
    // It started afresh once it was full, and the document is still the bytes plain pdfkit writes.
    expect(textCacheSizes(cached.doc)!.runs).toBeLessThan(2_000);
    expect(await bytesOf(cached.doc)).toBe(await bytesOf(write(false).doc));
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
      return textItems(new Uint8Array(Buffer.concat(await endDocument(doc))), { withFont: true });
    };
    const expected = await render(false);
    expect(expected.length).toBeGreaterThan(200);
    expect(await render(true)).toEqual(expected);
  });
});

/** A running text as the reports draw them: generated strings with line breaks, empty, long enough to run on. */
function runningTexts(count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  return generatedStrings(count, seed).map((text) => {
    if (rng() < 0.15) return '';
    if (rng() < 0.5) return text;
    const at = Math.floor(rng() * (text.length + 1));
    const brk = BREAKS[Math.floor(rng() * BREAKS.length)]!;
    const broken = `${text.slice(0, at)}${brk}${text.slice(at)}`;
    return rng() < 0.3 ? `${broken}${brk}` : broken;
  });
}

interface TextDraw extends Draw {
  options: TextOptions;
  colour: string;
}

/**
 * Texts at every kind of place the reports draw them: wrapped in a width (several run over the bottom margin onto
 * new pages), one line with no width, right and centred in a box, clipped to a height with an ellipsis.
 */
function textDraws(seed: number): TextDraw[] {
  const rng = mulberry32(seed);
  return runningTexts(220, seed).map((text) => {
    const kind = rng();
    const width = 20 + rng() * 480;
    const align = (['left', 'right', 'center'] as const)[Math.floor(rng() * 3)]!;
    const options: TextDraw['options'] =
      kind < 0.55
        ? { width, align, lineGap: [0, 0.5, 1, 1.5][Math.floor(rng() * 4)]! }
        : kind < 0.7
          ? { lineBreak: false }
          : kind < 0.78
            ? {}
            : kind < 0.83
              ? { width, align }
              : kind < 0.88
                ? { width, characterSpacing: [0.6, 1.5, -0.2][Math.floor(rng() * 3)]!, lineGap: 0.5 }
                : { width, height: 6 + rng() * 20, ellipsis: true };
    return {
      text: kind >= 0.55 && kind < 0.7 ? text.replace(/[\n\r\v\u2028]/g, ' ') : text,
      bold: rng() < 0.3,
      size: [6.5, 7.5, 9, 10, 13, 22][Math.floor(rng() * 6)]!,
      x: 40 + rng() * 100,
      // Low on the page half of the time: a text that does not fit continues on a new page.
      y: rng() < 0.5 ? 700 + rng() * 120 : 40 + rng() * 600,
      width,
      align,
      options,
      colour: ['#223344', '#8a8f99', '#123456'][Math.floor(rng() * 3)]!,
    };
  });
}

/** Every text item pdf.js reads: page, (whether it has a font,) matrix, width and string. */
async function textItems(bytes: Uint8Array, options: { withFont?: boolean } = {}): Promise<string[]> {
  const pdf = await getDocumentProxy(bytes);
  const items: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const content = await (await pdf.getPage(p)).getTextContent();
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue;
      const [a, b, c, dd, e, f] = item.transform.map((n: number) => n.toFixed(3));
      const font = options.withFont ? ` ${item.fontName.length > 0}` : '';
      items.push(`${p}${font} ${a} ${b} ${c} ${dd} ${e} ${f} ${item.width.toFixed(3)} ${item.str}`);
    }
  }
  return items;
}

describe('cached running text (drawText)', () => {
  it("writes pdfkit's text bytes and leaves its cursor, page breaks included, in a first and a later document", async () => {
    for (const seed of [11, 12, 13, 14]) {
      const list = textDraws(seed);
      let fallbacks = 0;
      const pdfkitDrew: string[] = [];
      const render = async (cached: boolean, pageFont = false): Promise<{ bytes: Uint8Array; cursors: number[][] }> => {
        const doc = newDocument();
        // As the report canvas does: a page pdfkit adds keeps the current font (with the option it sets its own).
        if (!pageFont) delete (doc as unknown as { options: { font?: unknown } }).options.font;
        if (cached) bufferPageContent(doc);
        const cursors: number[][] = [];
        const host = doc as unknown as { text(...args: unknown[]): unknown };
        const text = host.text.bind(doc);
        host.text = (...args: unknown[]) => {
          fallbacks++;
          return text(...args);
        };
        for (const d of list) {
          // Only lines with combining marks (glyph offsets) and clipped texts that need an ellipsis go to pdfkit.
          const plainText = !/[\u0300-\u036f]/.test(d.text) && d.options.height === undefined;
          const before = fallbacks;
          face(doc, d, cached);
          doc.fillColor(d.colour);
          if (cached) drawText(doc, d.text, d.x, d.y, d.options);
          else doc.text(d.text, d.x, d.y, d.options);
          cursors.push([doc.x, doc.y, doc.bufferedPageRange().count]);
          if (plainText && fallbacks > before) pdfkitDrew.push(d.text);
        }
        return { bytes: new Uint8Array(Buffer.concat(await endDocument(doc))), cursors };
      };
      const plain = await render(false);
      pdfkitDrew.length = 0;
      expect(plain.cursors.at(-1)![2], 'texts ran onto new pages').toBeGreaterThan(20);
      const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
      for (let round = 0; round < 2; round++) {
        const cached = await render(true);
        expect(pdfkitDrew).toEqual([]);
        expect(cached.cursors, `seed ${seed}, document ${round + 1}`).toEqual(plain.cursors);
        if (hash(cached.bytes) !== hash(plain.bytes))
          expect(await textItems(cached.bytes)).toEqual(await textItems(plain.bytes));
        expect(hash(cached.bytes), `seed ${seed}, document ${round + 1}`).toBe(hash(plain.bytes));
      }
      // Pages that set their own font: the wrapper goes on in it after a page break, so pdfkit draws.
      const pageFont = await render(true, true);
      expect(hash(pageFont.bytes)).toBe(hash((await render(false, true)).bytes));
    }
  });
});
