/**
 * What a fresh process would otherwise work out from the report fonts before its first report: the base subset
 * (base-subset.ts: its glyph ids, widths, ToUnicode map and deflated font program) and how fontkit shapes every
 * single character and character pair of the pair-shaped alphabet (text-cache.ts). Both are pure functions of the
 * font files and of constants in the code; computing them took a fresh process about a fifth of its first table
 * render (fontkit layouts, two subset encodes, deflates).
 *
 * Every bundle that renders gets them in a data file written at build time (scripts/build-font-data.ts), beside
 * pdfkit's colour profile in the bundle's `data/` folder; the repository holds no copy. The file is read the first
 * time a font needs it, and used for a font only when everything matches:
 * - the file's first line is the SHA-256 of the rest (a truncated or damaged file is ignored whole);
 * - its format is {@link FONT_DATA_FORMAT};
 * - the font's bytes have the SHA-256 a face of the file was made from (another font, or another version of
 *   DejaVu, finds no face);
 * - each section names the inputs it was made from (the base text, the alphabet), which its reader compares with
 *   its own.
 * Otherwise the data is computed as before, so a missing, stale or damaged file costs time, never a different PDF.
 * Running from the sources (tsx, the tests) there is no file and everything is computed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bumped whenever what a section holds, or how it is computed, changes. */
export const FONT_DATA_FORMAT = 1;

/** The data file's name, in {@link FONT_DATA_DIR} beside the bundle. */
export const FONT_DATA_FILE = 'report-fonts.json';

/** The folder beside the running bundle that holds the data file (and pdfkit's colour profile). */
export const FONT_DATA_DIR = 'data';

/** One font's sections, by the module that reads them ('base', 'shaping'). */
export type FaceData = Record<string, unknown>;

/** Faces by the SHA-256 (hex) of the font file's bytes. */
type Faces = Map<string, FaceData>;

/** undefined: not looked for yet; null: none usable. */
let faces: Faces | null | undefined;
const byFont = new WeakMap<object, FaceData | null>();

function sha256(bytes: string | Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The data file's text for `byFontHash` (faces by {@link fontHash}). */
export function fontDataText(byFontHash: Record<string, FaceData>): string {
  const body = JSON.stringify({ format: FONT_DATA_FORMAT, faces: byFontHash });
  return `${sha256(body)}\n${body}\n`;
}

/** The faces of a data file's text; null when it is damaged or of another format. */
export function parseFontData(text: string): Faces | null {
  const match = /^([0-9a-f]{64})\n([^\n]*)\n$/.exec(text);
  if (!match || sha256(match[2]!) !== match[1]) return null;
  try {
    const parsed = JSON.parse(match[2]!) as { format?: unknown; faces?: unknown };
    if (parsed.format !== FONT_DATA_FORMAT || typeof parsed.faces !== 'object' || parsed.faces === null) return null;
    return new Map(Object.entries(parsed.faces as Record<string, FaceData>));
  } catch {
    return null;
  }
}

/** The SHA-256 of the bytes a fontkit font was parsed from (its `stream.buffer`), or undefined. */
export function fontHash(font: object): string | undefined {
  const bytes = (font as { stream?: { buffer?: unknown } }).stream?.buffer;
  return bytes instanceof Uint8Array ? sha256(bytes) : undefined;
}

function readFaces(): Faces | null {
  const file = join(dirname(fileURLToPath(import.meta.url)), FONT_DATA_DIR, FONT_DATA_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return parseFontData(text);
}

/**
 * The data file's sections for a fontkit font, or undefined when there is no usable file or it holds no face made
 * from this font's bytes. The file is read once per process, each font hashed once.
 */
export function fontData(font: object): FaceData | undefined {
  let face = byFont.get(font);
  if (face === undefined) {
    faces ??= readFaces();
    const hash = faces && faces.size > 0 ? fontHash(font) : undefined;
    face = (hash !== undefined && faces?.get(hash)) || null;
    byFont.set(font, face);
  }
  return face ?? undefined;
}

/**
 * Use `text` as the data file's contents from now on (null: no file), for fonts not yet looked up; undefined goes
 * back to reading the file beside the bundle. For the build, which must compute, and for tests.
 */
export function useFontDataText(text: string | null | undefined): void {
  faces = text === undefined ? undefined : text === null ? null : parseFontData(text);
}
