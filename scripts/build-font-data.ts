/**
 * The font data file every rendering bundle carries (functions/pdf/font-data.ts says what it holds and why): the
 * base subset and the pair-shaped alphabet's shaping of each report face, computed here as a process without the
 * file computes them, through pdfkit's own fontkit. `npm run build` writes it into `dist/cli/data/`, the bench's
 * build beside its children, and the Lambda bundling (infra/bundling.ts) into each rendering asset's `data/`.
 * `node_modules/.bin/tsx scripts/build-font-data.ts <folder>` writes it into a folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { storedBaseOf } from '../functions/pdf/base-subset';
import { type FaceData, FONT_DATA_FILE, fontDataText, fontHash, useFontDataText } from '../functions/pdf/font-data';
import { fontPaths } from '../functions/pdf/fonts';
import { cacheSubsetGlyphs } from '../functions/pdf/subset-cache';
import { storedShapingOf } from '../functions/pdf/text-cache';

interface EmbeddedFontLike {
  font: object;
  scale: number;
  subset: unknown;
}

/** The data file's text, computed from the report fonts found as documents find them (fonts.ts). */
export function fontDataFileText(): string {
  // Computed, whatever file lies beside this module.
  useFontDataText(null);
  const paths = fontPaths();
  const faces: Record<string, FaceData> = {};
  for (const path of [paths.regular, paths.bold]) {
    const doc = new PDFDocument({ autoFirstPage: false, font: path });
    const embedded = (doc as unknown as { _font: EmbeddedFontLike })._font;
    // The subset writer the reports use (the same bytes as fontkit's, see subset-cache.ts).
    cacheSubsetGlyphs(embedded.subset);
    const hash = fontHash(embedded.font);
    if (!hash) throw new Error(`pdfkit did not keep the bytes of ${path}`);
    const base = storedBaseOf(embedded.font, embedded.scale);
    faces[hash] = { ...(base ? { base } : {}), shaping: storedShapingOf(embedded.font) };
  }
  useFontDataText(undefined);
  return fontDataText(faces);
}

/** Write the data file into `dir` (made if missing); returns its path. */
export async function writeFontData(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, FONT_DATA_FILE);
  await writeFile(file, fontDataFileText());
  return file;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: build-font-data.ts <folder>');
  await writeFontData(resolve(dir));
}
