/**
 * Pair-shaped runs (text-cache.ts) are fontkit's runs: the same glyphs and the same positions, for generated
 * strings over the whole pair-shaped alphabet in both DejaVu faces, and for the table and report texts that matter
 * most (numbers with no-break spaces, codes, cell names, dates, Latvian words). Text outside the alphabet and pairs
 * fontkit shapes otherwise still go through fontkit.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontPaths } from '../../functions/pdf/fonts';
import { composePairShapedRuns } from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';

const ALPHABET = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  '\u00a0',
  ...'ĀāČčĒēĢģĪīĶķĻļŅņŠšŪūŽž',
  '\u2013',
  '\u2014',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
];

const TYPICAL = [
  '12\u00a0345,67',
  'O.2.3.1',
  '2025-Q3',
  'B1234',
  'Dalībnieki',
  'Rādītāji',
  'ĀVĒTA',
  'To',
  'AV',
  'LTA',
  'Wa.',
  'ff',
  'fi',
  'fl',
  '“Ķ”',
  '—',
  '01.10.2025',
  'latvian-language',
];

function generated(count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(rng() ** 2 * 24);
    return Array.from({ length }, () => ALPHABET[Math.floor(rng() * ALPHABET.length)]).join('');
  });
}

/** A freshly parsed fontkit font, as pdfkit parses it for a document (fontkit is pdfkit's dependency, not ours). */
function parsedFont(path: string): { layout(text: string, features?: string[]): Run } {
  const doc = new PDFDocument({ font: path });
  return (doc as unknown as { _font: { font: { layout(text: string, features?: string[]): Run } } })._font.font;
}

interface Run {
  glyphs: { id: number }[];
  positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[];
  advanceWidth: number;
}

function summary(run: Run) {
  return {
    ids: run.glyphs.map((g) => g.id),
    positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
    advanceWidth: run.advanceWidth,
  };
}

describe('pair-shaped runs', () => {
  for (const face of ['regular', 'bold'] as const) {
    it(`equal fontkit's runs for generated and typical strings (${face})`, () => {
      const path = fontPaths()[face];
      const reference = parsedFont(path);
      const composed = parsedFont(path);
      composePairShapedRuns(composed);
      const strings = [...TYPICAL, ...generated(3000, face === 'regular' ? 1 : 2)];
      // Twice: the second pass reads pairs remembered by the first.
      for (let pass = 0; pass < 2; pass++) {
        for (const text of strings)
          expect(summary(composed.layout(text)), text).toEqual(summary(reference.layout(text)));
      }
      // Each call gives fresh positions (pdfkit scales them in place).
      expect(composed.layout('AV').positions[0]).not.toBe(composed.layout('AV').positions[0]);
    });
  }

  it('leaves text outside the alphabet to fontkit (combining marks, other scripts, features)', () => {
    const path = fontPaths().regular;
    const reference = parsedFont(path);
    const composed = parsedFont(path);
    composePairShapedRuns(composed);
    for (const text of ['e\u0301x', 'a\u0308o', 'Привет', 'i\u0307\u0301', 'ﬁ x', '½ ⁄ 1']) {
      expect(summary(composed.layout(text)), text).toEqual(summary(reference.layout(text)));
    }
    expect(summary(composed.layout('AV', ['smcp']))).toEqual(summary(reference.layout('AV', ['smcp'])));
  });
});
