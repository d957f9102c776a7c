/**
 * The embedded fonts. pdfkit's built-in fonts are WinAnsi-only and garble Latvian (ā č ē ģ ī ķ ļ ņ ū), so every
 * report embeds DejaVu Sans (subset by pdfkit to the glyphs used).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { refuseWoff2 } from './left-out/font-format';

/** File names of the two faces the reports use. */
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

/** Names the faces are registered under in every document: their PostScript names (see document.ts). */
export const FONT_NAMES = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' } as const;

/** Absolute paths of the regular and bold TTF files. */
export interface FontPaths {
  regular: string;
  bold: string;
}

/** Thrown when the TTF files cannot be found; says where it looked. */
export class FontNotFoundError extends Error {
  constructor(readonly tried: string[]) {
    super(`DejaVu fonts not found; looked in: ${tried.join(', ')}`);
    this.name = 'FontNotFoundError';
  }
}

let resolved: FontPaths | undefined;

/**
 * A parsed font as pdfkit holds it (a fontkit font). pdfkit accepts one wherever it accepts a path (it checks for
 * `layout`), though @types/pdfkit does not say so.
 */
export interface ParsedFont {
  layout: (...args: never[]) => unknown;
}

/** What to hand pdfkit for each face: a path, the file's bytes, or the font parsed by an earlier document. */
export interface FontSources {
  regular: string | Uint8Array | ParsedFont;
  bold: string | Uint8Array | ParsedFont;
}

const parsed: { regular?: ParsedFont; bold?: ParsedFont } = {};
let embedded: { regular: Uint8Array; bold: Uint8Array } | undefined;

/**
 * The TTF files' bytes, for code that carries its fonts inside itself (the one-file verifier bundle archived with
 * each revision, `functions/verifier/`): documents then read no font file. pdfkit parses bytes as it parses the
 * file it would read, so the PDFs are the same.
 */
export function useEmbeddedFonts(fonts: { regular: Uint8Array; bold: Uint8Array }): void {
  embedded = { regular: Buffer.from(fonts.regular), bold: Buffer.from(fonts.bold) };
}

/**
 * Font sources for a new document. Parsing DejaVu and setting up its glyph-layout tables is most of the cost of a
 * small report, so the fonts parsed by the first document are reused by later ones (they are read-only during
 * layout; each document still builds its own subset, so output bytes are the same either way).
 */
export function fontSources(): FontSources {
  const paths = embedded ?? fontPaths();
  return { regular: parsed.regular ?? paths.regular, bold: parsed.bold ?? paths.bold };
}

function asParsedFont(value: unknown): ParsedFont | undefined {
  const font = (value as { font?: unknown } | undefined)?.font;
  return typeof (font as ParsedFont | undefined)?.layout === 'function' ? (font as ParsedFont) : undefined;
}

/**
 * Keep the fonts a finished document parsed, for {@link fontSources}. Reads pdfkit's font table by the names the
 * canvas registered; if a pdfkit upgrade moves it, nothing is kept and documents simply parse their own fonts.
 */
export function rememberParsedFonts(doc: PDFKit.PDFDocument): void {
  if (parsed.regular && parsed.bold) return;
  const families = (doc as unknown as { _fontFamilies?: Record<string, unknown> })._fontFamilies ?? {};
  parsed.regular ??= asParsedFont(families[FONT_NAMES.regular]);
  parsed.bold ??= asParsedFont(families[FONT_NAMES.bold]);
}

/**
 * Find the TTF files, once per process. Looks first in a `fonts/` folder next to the running module, where a
 * bundled Lambda carries them (the bundle has no node_modules), then in the `dejavu-fonts-ttf` package resolved
 * from this module, which is what running from source with tsx (and the tests) finds.
 */
export function fontPaths(): FontPaths {
  if (resolved) return resolved;
  const tried: string[] = [];
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'fonts'), here];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(dirname(require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FILES.regular}`)));
  } catch {
    tried.push('dejavu-fonts-ttf (package not resolvable)');
  }
  for (const dir of candidates) {
    const regular = join(dir, FONT_FILES.regular);
    const bold = join(dir, FONT_FILES.bold);
    if (existsSync(regular) && existsSync(bold)) {
      refuseWoff2(regular);
      refuseWoff2(bold);
      resolved = { regular, bold };
      return resolved;
    }
    tried.push(dir);
  }
  throw new FontNotFoundError(tried);
}

const LIGHT_POST = new WeakSet<object>();

/** The parts of a fontkit TrueType font {@link readPostHeaderOnly} uses. */
interface FontkitTables {
  _tables: Record<string, unknown>;
  directory?: { tables?: Record<string, { offset: number; length: number } | undefined> };
  stream?: { buffer?: Uint8Array };
  _decodeTable(table: unknown): unknown;
}

/**
 * The `post` table's header, without its glyph names. pdfkit reads the table for two numbers when it embeds a font
 * (fixed pitch, italic angle), and fontkit decodes the whole table to give them: DejaVu's lists a name for each of
 * its 6 000 glyphs, which took about a twentieth of a fresh process's first render. The header is read here
 * (ISO/IEC 14496-22, 5.2.7: version, italic angle as 16.16 fixed, underline position and thickness, fixed pitch,
 * four memory hints); glyph names, if anything asks, are decoded by fontkit then. Reads fontkit internals
 * (`_tables`, `directory`, `stream`); if they are not as expected, the font is left alone.
 */
export function readPostHeaderOnly(font: object): void {
  if (LIGHT_POST.has(font)) return;
  LIGHT_POST.add(font);
  const f = font as Partial<FontkitTables>;
  const entry = f.directory?.tables?.post;
  const bytes = f.stream?.buffer;
  if (
    !f._tables ||
    'post' in f._tables ||
    !entry ||
    !bytes ||
    entry.length < 32 ||
    typeof f._decodeTable !== 'function'
  )
    return;
  const view = new DataView(bytes.buffer, bytes.byteOffset + entry.offset, 32);
  const fixed = (at: number) => view.getInt32(at) / 65536;
  const header: Record<string, number> = {
    version: fixed(0),
    italicAngle: fixed(4),
    underlinePosition: view.getInt16(8),
    underlineThickness: view.getInt16(10),
    isFixedPitch: view.getUint32(12),
    minMemType42: view.getUint32(16),
    maxMemType42: view.getUint32(20),
    minMemType1: view.getUint32(24),
    maxMemType1: view.getUint32(28),
  };
  const decode = f._decodeTable.bind(font);
  let full: Record<string, unknown> | undefined;
  const whole = () => {
    full ??= decode(entry) as Record<string, unknown>;
    return full;
  };
  const table: Record<string, unknown> = { ...header };
  for (const key of ['numberOfGlyphs', 'glyphNameIndex', 'names', 'offsets', 'map']) {
    Object.defineProperty(table, key, { enumerable: true, get: () => whole()[key] });
  }
  f._tables.post = table;
}
