/**
 * Pair-shaped runs (text-cache.ts) are fontkit's runs: the same glyphs and the same positions, for generated
 * strings over the whole pair-shaped alphabet in both DejaVu faces, and for the table and report texts that matter
 * most (numbers with no-break spaces, codes, cell names, dates, Latvian words). Text outside the alphabet and pairs
 * fontkit shapes otherwise still go through fontkit.
 */
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontData, useFontDataText } from '../../functions/pdf/font-data';
import { fontPaths } from '../../functions/pdf/fonts';
import { readPairKerning } from '../../functions/pdf/pair-kerning';
import { cacheCurrentFont, composePairShapedRuns } from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';
import { fontDataFileText } from '../../scripts/build-font-data';

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
  // The rest of the base subset's signs (base-subset.ts): quotes, dots, comparison, currency and other signs.
  ...'„·…•≤≥€§°×±',
];

const TYPICAL = [
  'office affluent fjord',
  'ffi ffl fff ffff fffi fffl ffffi',
  'Specifiskais līdzfinansējums identificē',
  '„Vienas”; „Izcelsme”)',
  '≥ 5 € § 12 · 3 … 8d542ffe1270…',
  '± 3 °C × 2 • 4 ≤ 9',
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

/** Each face, with its shaping computed in the process and read from the font data file. */
const FACES_AND_SOURCES = [
  ['regular', false],
  ['bold', false],
  ['regular', true],
  ['bold', true],
] as const;

describe('pair-shaped runs', () => {
  for (const [face, fromFile] of FACES_AND_SOURCES) {
    it(`equal fontkit's runs for generated and typical strings (${face}${fromFile ? ', font data file' : ''})`, () => {
      const path = fontPaths()[face];
      const reference = parsedFont(path);
      useFontDataText(fromFile ? fontDataFileText() : null);
      const composed = parsedFont(path);
      composePairShapedRuns(composed);
      // The first layout reads the file for the font when asked to.
      composed.layout('AV');
      useFontDataText(undefined);
      expect(fontData(composed) !== undefined).toBe(fromFile);
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

  it('take most pairs from the font tables: no fontkit layout for them, fontkit still for a ligature', () => {
    const composed = parsedFont(fontPaths().regular);
    const shaped: string[] = [];
    const layout = composed.layout;
    composed.layout = function counted(text, features) {
      shaped.push(text);
      return layout.call(this, text, features);
    };
    composePairShapedRuns(composed);
    const strings = generated(300, 3);
    for (const text of strings) composed.layout(text);
    const pairs = new Set(strings.flatMap((t) => [...t].slice(1).map((ch, i) => t[i]! + ch)));
    const shapedPairs = shaped.filter((t) => t.length === 2);
    // Only pairs the tables leave to fontkit (those with a glyph a contextual lookup covers, ligatures) are shaped.
    expect(shapedPairs.length).toBeLessThan(pairs.size / 4);
    shaped.length = 0;
    composed.layout('fi');
    expect(shaped).toContain('fi');
  });
});

describe('pair kerning read from the tables', () => {
  for (const face of ['regular', 'bold'] as const) {
    it(`equals fontkit's pair shaped alone for every pair it answers, over the whole alphabet (${face})`, () => {
      const font = parsedFont(fontPaths()[face]) as unknown as {
        layout(text: string): Run;
      };
      const kerning = readPairKerning(font, ALPHABET, (ch) => /\p{Script=Latin}/u.test(ch));
      expect(kerning).toBeDefined();
      const single = new Map(ALPHABET.map((ch) => [ch, font.layout(ch)]));
      let answered = 0;
      for (const a of ALPHABET) {
        for (const b of ALPHABET) {
          const advance = kerning!(a, b, single.get(a)!.glyphs[0]!.id, single.get(b)!.glyphs[0]!.id);
          if (advance === undefined) continue;
          answered++;
          const run = summary(font.layout(a + b));
          expect(run.ids, a + b).toEqual([single.get(a)!.glyphs[0]!.id, single.get(b)!.glyphs[0]!.id]);
          expect(run.positions, a + b).toEqual([
            [advance, 0, 0, 0],
            [single.get(b)!.positions[0]!.xAdvance, 0, 0, 0],
          ]);
        }
      }
      // The tables answer for most pairs (the rest, e.g. with i, j or a ligature's start, go through fontkit).
      expect(answered).toBeGreaterThan(ALPHABET.length ** 2 * 0.8);
    }, 120_000);
  }

  it('answers for nothing in a font whose tables it does not read, and for no glyph it was not told of', () => {
    expect(readPairKerning({}, ALPHABET, () => true)).toBeUndefined();
    const font = parsedFont(fontPaths().regular) as unknown as { layout(text: string): Run };
    const kerning = readPairKerning(font, ALPHABET, (ch) => /\p{Script=Latin}/u.test(ch))!;
    const [a, v] = [font.layout('A').glyphs[0]!.id, font.layout('V').glyphs[0]!.id];
    expect(kerning('A', 'V', a, v)).toBeDefined();
    // Glyphs other than the ones the characters map to (a substitution happened): fontkit's business.
    expect(kerning('A', 'V', v, a)).toBeUndefined();
    expect(kerning('A', 'ж', a, v)).toBeUndefined();
  });
});

/** pdfkit's layout of a whole string (EmbeddedFont.layout: words, scaled positions, summed advance), summarised. */
function scaledSummary(run: { glyphs: { id: number }[]; positions: Record<string, number>[]; advanceWidth: number }) {
  return {
    ids: run.glyphs.map((g) => g.id),
    positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset, p.advanceWidth]),
    advanceWidth: run.advanceWidth,
  };
}

describe("whole strings through the text cache's layout", () => {
  const words = [...TYPICAL, 'office', 'affluent', 'fjords', ' ', '', 'Ωμέγα', 'e\u0301', 'a\tb'];
  for (const [face, fromFile] of FACES_AND_SOURCES) {
    it(`equal pdfkit's own for generated strings with spaces, ligatures and other scripts (${face}${fromFile ? ', font data file' : ''})`, () => {
      useFontDataText(fromFile ? fontDataFileText() : null);
      try {
        const path = fontPaths()[face];
        const plain = new PDFDocument({ font: path }) as unknown as { _font: PdfkitFont };
        const cached = new PDFDocument({ font: path }) as unknown as PDFKit.PDFDocument & { _font: PdfkitFont };
        cacheCurrentFont(cached);
        const rng = mulberry32(face === 'regular' ? 11 : 12);
        const strings = [
          ...words,
          ' lead',
          'trail ',
          'two  spaces',
          ...generated(1500, fromFile ? 5 : 6),
          ...Array.from({ length: 500 }, () =>
            Array.from({ length: 1 + Math.floor(rng() * 5) }, () => words[Math.floor(rng() * words.length)]).join(
              rng() < 0.2 ? '  ' : ' ',
            ),
          ),
        ];
        for (const text of strings)
          expect(scaledSummary(cached._font.layout(text)), JSON.stringify(text)).toEqual(
            scaledSummary(plain._font.layout(text)),
          );
        // The file was read for the cached font when asked to be, and the plain one never looked.
        expect(fontData(cached._font.font) !== undefined).toBe(fromFile);
      } finally {
        useFontDataText(undefined);
      }
    });
  }
});

interface PdfkitFont {
  font: object;
  layout(text: string): { glyphs: { id: number }[]; positions: Record<string, number>[]; advanceWidth: number };
}
