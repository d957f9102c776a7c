/**
 * The font data file (functions/pdf/font-data.ts, written by scripts/build-font-data.ts): what the bundles ship is
 * what the fonts give now, its shaping is fontkit's, documents drawn with it are the same bytes as documents that
 * compute everything, and a file that is damaged, made from another font or from other inputs is not used (the
 * documents are then computed: the same bytes again).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_LIGATURES, BASE_TEXT, useBaseSubsets } from '../../functions/pdf/base-subset';
import { bufferPageContent } from '../../functions/pdf/content-stream';
import {
  type FaceData,
  FONT_DATA_DIR,
  FONT_DATA_FILE,
  fontDataText,
  parseFontData,
  useFontDataText,
} from '../../functions/pdf/font-data';
import { FONT_NAMES, fontPaths } from '../../functions/pdf/fonts';
import { cacheCurrentFont, placeLine } from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';
import { CLI_OUT_DIR } from '../../scripts/build-cli';
import { fontDataFileText } from '../../scripts/build-font-data';
import { dejaVuDocument, documentSha } from '../helpers/pdfkit';

const root = resolve(import.meta.dirname, '..', '..');
const computed = fontDataFileText();

afterEach(() => useFontDataText(undefined));

/** Pieces of text of each kind a report draws, with some it does not: outside the base, combining marks, ligatures. */
const PIECES = [
  'Dalībnieku',
  'skaits',
  'ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž',
  '12\u00a0345,67',
  '2025-Q3',
  '“x” ‘y’ — –',
  'AV To Wa',
  'j',
  '≥ 5 € §',
  'office affluent fjord',
  'Ωμέγα',
  'straße',
  'e\u0301 n\u0327',
  'ı',
  '½ ✓',
];

/** A document as the reports make them (base subsets, cached text), drawing generated text in both faces. */
async function render(seed: number, pieces = PIECES): Promise<{ sha: string; fonts: object[] }> {
  const doc = dejaVuDocument({ subset: 'PDF/A-2b', pdfVersion: '1.7' });
  useBaseSubsets(doc);
  bufferPageContent(doc);
  const rng = mulberry32(seed);
  const fonts = new Set<object>();
  for (let i = 0; i < 80; i++) {
    if (i > 0 && i % 40 === 0) doc.addPage();
    const words = 1 + Math.floor(rng() * 6);
    const text = Array.from({ length: words }, () => pieces[Math.floor(rng() * pieces.length)]!).join(' ');
    doc.font(rng() < 0.4 ? FONT_NAMES.bold : FONT_NAMES.regular).fontSize([7.5, 9, 12][Math.floor(rng() * 3)]!);
    cacheCurrentFont(doc);
    fonts.add((doc as unknown as { _font: { font: object } })._font.font);
    if (rng() < 0.3) doc.text(text, 40 + rng() * 100, 40 + rng() * 300, { width: 150 });
    else placeLine(doc, text, 40 + rng() * 150, 40 + rng() * 700);
  }
  return { sha: await documentSha(doc), fonts: [...fonts] };
}

/** The data file's text with each face changed by `change`, digest made afresh (a well-formed file). */
function edited(change: (face: FaceData, hash: string) => [string, FaceData]): string {
  const faces = parseFontData(computed)!;
  return fontDataText(Object.fromEntries([...faces].map(([hash, face]) => change(structuredClone(face), hash))));
}

interface ParsedFont {
  unitsPerEm: number;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
  layout(text: string): { glyphs: { id: number }[]; positions: { xAdvance: number }[] };
}

/** Whether fontkit laid anything out with this font (its layout engine is made on the first layout). */
const laidOut = (font: object): boolean => Object.hasOwn(font, '_layoutEngine');

describe('the font data file', () => {
  it('is what the command line bundle ships (run `npm run build` after changing the fonts or the code)', () => {
    const shipped = readFileSync(join(root, CLI_OUT_DIR, FONT_DATA_DIR, FONT_DATA_FILE), 'utf8');
    expect(shipped === computed, 'dist/cli/data/report-fonts.json differs from the fonts').toBe(true);
  });

  it('holds both faces, with the base subset and the shaping of every single character and pair as fontkit has it', () => {
    const faces = parseFontData(computed)!;
    const paths = fontPaths();
    expect(faces.size).toBe(2);
    for (const path of [paths.regular, paths.bold]) {
      // A freshly parsed font, as pdfkit parses it (fontkit is pdfkit's dependency, not ours).
      const font = (new PDFDocument({ font: path }) as unknown as { _font: { font: ParsedFont } })._font.font;
      const hash = [...faces.keys()].find((h) => h === sha256(readFileSync(path)));
      expect(hash, path).toBeDefined();
      const { base, shaping } = faces.get(hash!)! as {
        base: { text: string; glyphs: number[]; widths: number[] };
        shaping: {
          alphabet: string;
          singles: ([number, number] | null)[];
          ligatures: [string, number, number][];
          pairs: string;
        };
      };
      expect(base.text).toBe(BASE_TEXT);
      // Every character of the base text has its glyph in the base, with its advance in thousandths of an em.
      for (const ch of BASE_TEXT) {
        const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
        const at = base.glyphs.indexOf(glyph.id);
        expect(at, ch).toBeGreaterThan(0);
        expect(base.widths[at]).toBeCloseTo((glyph.advanceWidth * 1000) / font.unitsPerEm, 9);
      }
      // The f-ligatures are read whole (the composition of runs of f, i and l is checked against fontkit below).
      expect(shaping.ligatures.map(([letters]) => letters).sort()).toEqual([...BASE_LIGATURES].sort());
      const alphabet = [...shaping.alphabet];
      const pairs = Buffer.from(shaping.pairs, 'base64');
      const units = alphabet.length + shaping.ligatures.length;
      expect(pairs.length).toBe(2 * units ** 2);
      alphabet.forEach((ch, i) => {
        const run = font.layout(ch);
        expect(shaping.singles[i], ch).toEqual([run.glyphs[0]!.id, run.positions[0]!.xAdvance]);
      });
      const rng = mulberry32(7);
      let kerned = 0;
      let shapedOtherwise = 0;
      const ligatures = ['ff', 'fi', 'fl'].map((pair) => [...pair].map((ch) => alphabet.indexOf(ch)));
      const random = Array.from({ length: 3000 }, () => [0, 0].map(() => Math.floor(rng() * alphabet.length)));
      for (const [i, j] of [...ligatures, ...random] as [number, number][]) {
        const run = font.layout(alphabet[i]! + alphabet[j]!);
        const stored = pairs.readInt16LE(2 * (i * units + j));
        if (run.glyphs.length !== 2) {
          expect(stored, `${alphabet[i]}${alphabet[j]}`).toBe(-0x8000);
          shapedOtherwise++;
          continue;
        }
        expect(stored, `${alphabet[i]}${alphabet[j]}`).toBe(run.positions[0]!.xAdvance);
        if (stored !== shaping.singles[i]![1]) kerned++;
      }
      // The sample holds kerned pairs and ligatures (f before f, i, l).
      expect(kerned).toBeGreaterThan(20);
      expect(shapedOtherwise).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives the same document bytes as computing, and spares fontkit the layout of pair-shaped text', async () => {
    for (const seed of [1, 2, 3]) {
      useFontDataText(null);
      const without = await render(seed);
      useFontDataText(computed);
      const withFile = await render(seed);
      expect(withFile.sha, `seed ${seed}`).toBe(without.sha);
    }
    useFontDataText(computed);
    const plain = await render(4, PIECES.slice(0, 10));
    expect(plain.fonts.map(laidOut)).toEqual([false, false]);
    useFontDataText(null);
    const computing = await render(4, PIECES.slice(0, 10));
    expect(computing.fonts.map(laidOut)).toEqual([true, true]);
    expect(plain.sha).toBe(computing.sha);
  });

  it('is not used when damaged, made from another font or from other inputs: the documents are computed', async () => {
    useFontDataText(null);
    const { sha: expected } = await render(5);
    const [digest, body] = computed.split('\n');
    /** Change every width and every advance, so that a file used in spite of its inputs would draw otherwise. */
    const wrong = (face: FaceData): FaceData => {
      const base = face.base as { widths: number[] };
      base.widths = base.widths.map((w) => w + 1);
      const shaping = face.shaping as { singles: ([number, number] | null)[]; pairs: string };
      shaping.singles = shaping.singles.map((e) => (e ? [e[0], e[1] + 7] : e));
      shaping.pairs = Buffer.from(Buffer.from(shaping.pairs, 'base64').map((b, i) => (i % 2 ? b : b ^ 4))).toString(
        'base64',
      );
      return face;
    };
    // name → [file, whether the shaping is refused (the base alone is refused otherwise)]
    const cases: Record<string, [string, boolean]> = {
      'a changed byte': [`${digest}\n${body!.replace('"base"', '"basf"')}\n`, true],
      truncated: [computed.slice(0, computed.length / 2), true],
      'another format': [`${fontDataText({})}`.replace('"format":1', '"format":2'), true],
      'other fonts': [edited((face, hash) => [hash.replace(/^./, (c) => (c === '0' ? '1' : '0')), wrong(face)]), true],
      'another base text': [
        edited((face, hash) => {
          const base = wrong(face).base as { text: string; widths: number[] };
          base.text += 'ŗ';
          face.shaping = parseFontData(computed)!.get(hash)!.shaping;
          return [hash, face];
        }),
        false,
      ],
      'another alphabet': [
        edited((face, hash) => {
          (wrong(face).shaping as { alphabet: string }).alphabet += 'ŗ';
          face.base = parseFontData(computed)!.get(hash)!.base;
          return [hash, face];
        }),
        true,
      ],
      'pairs cut short': [
        edited((face, hash) => {
          const shaping = face.shaping as { pairs: string };
          shaping.pairs = shaping.pairs.slice(0, 400);
          return [hash, face];
        }),
        true,
      ],
      'a base without its program': [
        edited((face, hash) => {
          delete (face.base as { program?: string }).program;
          return [hash, face];
        }),
        false,
      ],
    };
    for (const [name, [text, shapingRefused]] of Object.entries(cases)) {
      useFontDataText(text);
      expect((await render(5)).sha, name).toBe(expected);
      if (!shapingRefused) continue;
      // Text the file would have spared fontkit is laid out by fontkit.
      useFontDataText(text);
      expect((await render(4, PIECES.slice(0, 10))).fonts.map(laidOut), name).toEqual([true, true]);
    }
    // The damaged ones are refused whole.
    expect(parseFontData(cases['a changed byte']![0])).toBeNull();
    expect(parseFontData(cases.truncated![0])).toBeNull();
    expect(parseFontData(cases['another format']![0])).toBeNull();
    // The wrong widths and advances would show if used.
    useFontDataText(edited((face, hash) => [hash, wrong(face)]));
    expect((await render(5)).sha).not.toBe(expected);
  });
});

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
