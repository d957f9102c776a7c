/**
 * Subsets assembled from kept glyph data (subset-cache.ts) and written by subset-writer.ts are the bytes fontkit
 * writes: for generated glyph sets (Latvian letters, which DejaVu builds as composite glyphs, digits, punctuation,
 * glyphs from across the font) in both faces, in a first and a later subset of the same font. The reference subsets
 * are encoded before the cache is installed (this file's modules are its own: no other test file installs it here).
 * The written programs are also read back (by pdfkit, as fontkit): each glyph with the original's outline and advance.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fontPaths } from '../../functions/pdf/fonts';
import { cacheSubsetGlyphs } from '../../functions/pdf/subset-cache';
import { fixedTablesOf, readTables } from '../../functions/pdf/subset-writer';
import { mulberry32 } from '../../sample/sample-projects';

interface Subset {
  glyphs: number[];
  includeGlyph(id: number): number;
  encode(): Uint8Array;
}

interface Glyph {
  id: number;
  advanceWidth: number;
  path: { toSVG(): string };
}

interface Font {
  numGlyphs: number;
  createSubset(): Subset;
  glyphsForString(text: string): Glyph[];
  getGlyph(id: number): Glyph;
}

function parsedFont(path: string | Buffer): Font {
  return (new PDFDocument({ font: path as string }) as unknown as { _font: { font: Font } })._font.font;
}

/** Glyph id lists: text glyphs (composites among them) and ids drawn from the whole font, in generated orders. */
function glyphSets(font: Font, seed: number): number[][] {
  const rng = mulberry32(seed);
  const text = 'ĀāČčĒēĢģĪīĶķĻļŅņŠšŪūŽž0123456789 .,;:-–—()“”AVWTo Dalībnieki Rādītāji ǅ ǻ ḗ';
  const fromText = font.glyphsForString(text).map((g) => g.id);
  return Array.from({ length: 8 }, () => {
    const ids = [...fromText].sort(() => rng() - 0.5).slice(0, 10 + Math.floor(rng() * fromText.length));
    for (let i = 0; i < 40; i++) ids.push(Math.floor(rng() * font.numGlyphs));
    return ids;
  });
}

function encoded(font: Font, ids: number[]): string {
  const subset = font.createSubset();
  for (const id of ids) subset.includeGlyph(id);
  return createHash('sha256').update(subset.encode()).digest('hex');
}

describe('subsets from kept glyph data', () => {
  it('encode to the bytes fontkit encodes, in a first and a later subset, in both faces', () => {
    const paths = fontPaths();
    const cases = (['regular', 'bold'] as const).map((face, i) => {
      const font = parsedFont(paths[face]);
      const sets = glyphSets(font, i + 1);
      return { face, font, sets, expected: sets.map((ids) => encoded(font, ids)) };
    });
    cacheSubsetGlyphs(cases[0]!.font.createSubset());
    for (const { face, font, sets, expected } of cases) {
      for (let round = 0; round < 2; round++) {
        expect(
          sets.map((ids) => encoded(font, ids)),
          `${face}, round ${round + 1}`,
        ).toEqual(expected);
      }
    }
  });
});

describe('font programs written from the kept glyphs', () => {
  it('are used for both faces, and read back as the same glyphs with the same advances', () => {
    const paths = fontPaths();
    (['regular', 'bold'] as const).forEach((face, i) => {
      const font = parsedFont(paths[face]);
      cacheSubsetGlyphs(font.createSubset());
      // The fixed tables are read from fontkit's own program: were they not as expected, fontkit would encode.
      const reference = font.createSubset();
      expect(fixedTablesOf(reference.encode()), face).not.toBeNull();
      for (const ids of glyphSets(font, 10 + i)) {
        const subset = font.createSubset();
        for (const id of ids) subset.includeGlyph(id);
        const program = subset.encode();
        expect(readTables(program).map(([tag]) => tag)).toEqual([
          'head',
          'hhea',
          'loca',
          'maxp',
          'cvt ',
          'prep',
          'glyf',
          'hmtx',
          'fpgm',
        ]);
        const back = parsedFont(Buffer.from(program));
        // Composites add their components after the glyphs asked for: every glyph in the subset is checked.
        expect(back.numGlyphs).toBe(subset.glyphs.length);
        subset.glyphs.forEach((original, gid) => {
          const expected = font.getGlyph(original);
          const read = back.getGlyph(gid);
          expect([read.advanceWidth, read.path.toSVG()], `${face} glyph ${original}`).toEqual([
            expected.advanceWidth,
            expected.path.toSVG(),
          ]);
        });
      }
    });
  });
});
