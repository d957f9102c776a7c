/**
 * Colour operators (cacheColourOperators in document.ts, setColour in content-stream.ts): a hex colour is written
 * as one short `rg`/`RG` operator, and not at all when it is the colour in force on the page already. Read back
 * with qpdf and followed through q/Q, every fill and stroke painted is the 8-bit colour plain pdfkit paints for
 * generated drawings (hex of both lengths and cases, named, array and CMYK colours, gradients, opacity, saved and
 * restored states, text, page breaks), every level of every channel comes back as itself, and the sample reports
 * paint in the theme's colours only, each set no more often than it changes.
 */
import { describe, expect, it } from 'vitest';
import { STATUS_COLOURS } from '../../functions/core/report-types';
import { bufferPageContent } from '../../functions/pdf/content-stream';
import { cacheColourOperators, componentText } from '../../functions/pdf/document';
import { renderProgrammePdf } from '../../functions/pdf/render-programme-pdf';
import { renderProjectPdf } from '../../functions/pdf/render-project-pdf';
import { COLOURS, hex } from '../../functions/pdf/theme';
import { mulberry32 } from '../../sample/sample-projects';
import { sampleProgrammeReport, sampleProjectReport } from '../fixtures/report-models';
import { pageContents, readColours } from '../helpers/pdf-content';
import { dejaVuDocument, endDocument } from '../helpers/pdfkit';

/** A step of 1/255 is 0.0039; three decimals are within 0.0005 of any level, 0.1275 of a step. */
const WITHIN_LEVEL = 0.1275 + 1e-9;

function colourOf(rng: () => number): PDFKit.Mixins.ColorValue {
  const hexDigits = (digits: number) =>
    Array.from({ length: digits }, () => '0123456789abcdefABCDEF'[Math.floor(rng() * 22)]).join('');
  const kind = rng();
  if (kind < 0.5) return `#${hexDigits(6)}`;
  if (kind < 0.65) return `#${hexDigits(3)}`;
  if (kind < 0.75) return ['red', 'Navy', 'black', 'teal'][Math.floor(rng() * 4)]!;
  if (kind < 0.85) return [Math.floor(rng() * 256), Math.floor(rng() * 256), Math.floor(rng() * 256)];
  return [rng() * 100, rng() * 100, rng() * 100, rng() * 100];
}

/** Generated drawing: a small palette used over and over (as reports do), states saved and restored, text. */
function draw(doc: PDFKit.PDFDocument, seed: number): void {
  const rng = mulberry32(seed);
  const palette = Array.from({ length: 6 }, () => colourOf(rng));
  const pick = () => (rng() < 0.8 ? palette[Math.floor(rng() * palette.length)]! : colourOf(rng));
  let depth = 0;
  for (let i = 0; i < 700; i++) {
    if (i > 0 && i % 200 === 0) {
      for (; depth > 0; depth--) doc.restore();
      doc.addPage();
    }
    const what = rng();
    if (what < 0.08 && depth < 4) {
      doc.save();
      depth++;
    } else if (what < 0.16 && depth > 0) {
      doc.restore();
      depth--;
    } else if (what < 0.2) {
      const gradient = doc.linearGradient(0, 0, 100, 0).stop(0, '#ff0000').stop(1, '#0000ff');
      doc.rect(rng() * 500, rng() * 800, 20, 10).fill(gradient);
    } else if (what < 0.35) {
      doc.fillColor(pick()).text('Dalībnieki O.2.3.1', rng() * 400, rng() * 700, { lineBreak: false });
    } else {
      const opacity = rng() < 0.1 ? rng() : undefined;
      doc.rect(rng() * 500, rng() * 800, 20, 10);
      if (rng() < 0.5) doc.fillColor(pick(), opacity).fill();
      else doc.strokeColor(pick(), opacity).stroke();
    }
  }
  for (; depth > 0; depth--) doc.restore();
}

async function pagesOf(doc: PDFKit.PDFDocument): Promise<string[]> {
  return pageContents(Buffer.concat(await endDocument(doc)));
}

/** A document with the report canvas's content buffering and colour operators. */
function shortColourDocument(): PDFKit.PDFDocument {
  const doc = dejaVuDocument();
  bufferPageContent(doc, { level: 1 });
  cacheColourOperators(doc);
  return doc;
}

/** Colour operators that set a side to what is in force already, page by page (q/Q followed). */
function redundantSets(content: string): string[] {
  const out: string[] = [];
  let fill = '';
  let stroke = '';
  const saved: [string, string][] = [];
  for (const line of content.split('\n')) {
    if (line === 'q') saved.push([fill, stroke]);
    else if (line === 'Q') [fill, stroke] = saved.pop() ?? ['', ''];
    else if (line.endsWith(' rg')) {
      if (line === fill) out.push(line);
      fill = line;
    } else if (line.endsWith(' RG')) {
      if (line === stroke) out.push(line);
      stroke = line;
    } else if (/ (cs|scn|sc|g|k)$/.test(line)) fill = '';
    else if (/ (CS|SCN|SC|G|K)$/.test(line)) stroke = '';
  }
  return out;
}

describe('colour operators', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`paint every fill and stroke in the colour plain pdfkit paints, each set only when it changes (seed ${seed})`, async () => {
      const plain = dejaVuDocument();
      draw(plain, seed);
      const short = shortColourDocument();
      draw(short, seed);
      const [plainPages, shortPages] = [await pagesOf(plain), await pagesOf(short)];
      expect(shortPages).toHaveLength(plainPages.length);
      let written = 0;
      let asked = 0;
      for (const [i, content] of shortPages.entries()) {
        const ours = readColours(content);
        const theirs = readColours(plainPages[i]!);
        expect(ours.paints.length).toBeGreaterThan(50);
        expect(ours.paints).toEqual(theirs.paints);
        expect(redundantSets(content)).toEqual([]);
        written += ours.colourOperators.length;
        asked += theirs.colourOperators.length;
      }
      // pdfkit writes two operators a colour; a hex colour is one here, and none when it is in force.
      expect(written).toBeLessThan(asked);
    });
  }

  it('writes each 8-bit level of each channel as three decimals at most, which read back as that level', async () => {
    const expected: string[] = [];
    const doc = shortColourDocument();
    for (let level = 0; level < 256; level++) {
      const text = componentText(level);
      expect(text).toMatch(/^(0|1|0\.\d{1,3})$/);
      expect(Math.abs(Number(text) * 255 - level)).toBeLessThanOrEqual(WITHIN_LEVEL);
      const pair = level.toString(16).padStart(2, '0');
      for (const colour of [`#${pair}0000`, `#00${pair}00`, `#0000${pair}`, `#${pair}${pair}${pair}`]) {
        doc.rect(10, 10, 5, 5).fillColor(colour).fill();
        doc.rect(10, 10, 5, 5).strokeColor(colour).stroke();
        expected.push(colour, colour);
      }
    }
    const pages = await pagesOf(doc);
    const reading = readColours(pages.join('\n'));
    expect(reading.paints.map((p) => (p.op === 'f' ? p.fill : p.stroke))).toEqual(expected);
    expect(reading.worstOffLevel).toBeLessThanOrEqual(WITHIN_LEVEL);
  });
});

describe('the sample reports', () => {
  const theme = new Set(
    [...Object.values(COLOURS), ...Object.values(STATUS_COLOURS).map(hex)].map((c) => c.toLowerCase()),
  );
  const project = sampleProjectReport();
  const programme = sampleProgrammeReport();
  for (const lang of ['lv', 'en'] as const) {
    for (const [name, render] of [
      ['project', () => renderProjectPdf(project, lang)],
      ['programme', () => renderProgrammePdf(programme, lang)],
    ] as const) {
      it(`paint in the theme's 8-bit colours exactly, each set only when it changes (${name}, ${lang})`, async () => {
        const pages = pageContents(await render());
        for (const content of pages) {
          const reading = readColours(content);
          for (const operator of reading.colourOperators) expect(operator).toMatch(/^[\d. ]+ (rg|RG)$/);
          expect(reading.worstOffLevel).toBeLessThanOrEqual(WITHIN_LEVEL);
          // What is painted before any colour is set is pdfkit's black (text never is: the canvas sets a colour).
          const painted = reading.paints.flatMap((p) => (/^(f|F|f\*|TJ|Tj)$/.test(p.op) ? [p.fill] : [p.stroke]));
          for (const colour of painted) expect(theme.has(colour) || colour === '#000000').toBe(true);
          expect(reading.paints.filter((p) => p.op === 'TJ' && !theme.has(p.fill))).toEqual([]);
          expect(redundantSets(content)).toEqual([]);
        }
        expect(pages.length).toBeGreaterThan(1);
      });
    }
  }
});
