/**
 * One font subset for every report, made once per process. pdfkit numbers a document's glyphs in the order the
 * document first uses them, so every document had its own glyph ids, its own encoding of every string, and its
 * own font program, ToUnicode map and widths to write and deflate, although reports use nearly the same glyphs.
 *
 * A report's subset now starts with a fixed base: the glyphs of {@link BASE_TEXT} (Latin letters, digits and
 * punctuation, the no-break space, the Latvian letters, the dashes, quotes and signs reports write) and of the
 * ligatures fi, ff, fl, ffi, ffl, at the same ids in every document, then the parts composite glyphs are built from. Their font program (deflated),
 * their widths and their ToUnicode map are made once per font; a document that uses no other glyph embeds them as
 * they are. Strings of base glyphs then encode the same in every document, so the text cache keeps their encoding
 * per font (text-cache.ts). A glyph outside the base is added after it, as pdfkit adds glyphs, and that document
 * writes its own program and map (base and added glyphs together).
 *
 * The cost is size: a document embeds all base glyphs, used or not. What readers see is unchanged: the same
 * outlines at the same places, widths from the font, the same text extracted (the unit tests read documents back).
 *
 * Reads pdfkit internals (the embedded font's `subset`, `widths`, `unicode`, `scale`, `embed`, `toUnicodeCmap`,
 * `dictionary`, the document's `ref`, `subset`, `compress`); a document that is not as expected is left to pdfkit.
 */
import { deflateSync } from 'node:zlib';
import { fontData } from './font-data';

/** The characters whose glyphs every report's subset holds at fixed ids. */
export const BASE_TEXT = [
  // Printable ASCII.
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  '\u00a0·',
  'ĀāČčĒēĢģĪīĶķĻļŅņŠšŪūŽž',
  '–—‘’“”„…•≤≥€§°×±',
].join('');

/** Letter pairs and triples DejaVu draws as one glyph (its standard ligatures): English text is full of them. */
export const BASE_LIGATURES = ['ff', 'fi', 'fl', 'ffi', 'ffl'];

/** The parts of a fontkit font and its TrueType subset used here. */
interface FontkitFont {
  numGlyphs: number;
  unitsPerEm: number;
  postscriptName?: string;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  italicAngle: number;
  ascent: number;
  capHeight: number;
  xHeight: number;
  post: { isFixedPitch?: number };
  head: { macStyle: { italic?: boolean } };
  'OS/2'?: { sFamilyClass?: number };
  createSubset(): FontkitSubset;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
  layout(text: string): { glyphs: { id: number }[] };
  getGlyph(id: number): { advanceWidth: number };
  _cmapProcessor?: { codePointsForGlyph(id: number): number[] };
}

interface FontkitSubset {
  glyphs: number[];
  mapping: Record<number, number>;
  cff?: unknown;
  includeGlyph(id: number): number;
  encode(): Uint8Array;
}

interface PdfReference {
  data: Record<string, unknown>;
  end(chunk?: string | Uint8Array): void;
}

/** The parts of pdfkit's EmbeddedFont used here. */
interface EmbeddedFont {
  document: { ref(data?: Record<string, unknown>): PdfReference; subset?: number; compress?: boolean };
  font: FontkitFont;
  id: string;
  subset: FontkitSubset;
  widths: number[];
  unicode: (number[] | undefined)[];
  scale: number;
  ascender: number;
  descender: number;
  dictionary: PdfReference;
  embed(): void;
  toUnicodeCmap(): PdfReference;
}

/** A font's base subset, made once per process. */
interface BaseSubset {
  /** Font glyph ids in subset order: the missing glyph, the characters' glyphs, then composite glyphs' parts. */
  glyphs: number[];
  mapping: Record<number, number>;
  /** Subset ids below this are glyphs whose widths and text are set: the characters', then parts with a text. */
  shown: number;
  /** Width of each subset glyph, as pdfkit computes it, in thousandths of an em. */
  widths: number[];
  unicode: (number[] | undefined)[];
  /** The font program, deflated. */
  program: Uint8Array;
  /** The ToUnicode map of the base glyphs, deflated. */
  toUnicode: Uint8Array;
}

const BASES = new WeakMap<object, BaseSubset | null>();
const DOCUMENTS = new WeakSet<object>();
const USING = new WeakMap<object, BaseSubset>();

/** Give the embedded fonts of `doc` the base subset (when each is first used; see {@link useBaseSubset}). */
export function useBaseSubsets(doc: PDFKit.PDFDocument): void {
  DOCUMENTS.add(doc);
}

function isEmbeddedFont(value: unknown): value is EmbeddedFont {
  const f = value as Partial<EmbeddedFont> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.document?.ref === 'function' &&
    typeof f.font?.createSubset === 'function' &&
    typeof f.font.glyphForCodePoint === 'function' &&
    Array.isArray(f.subset?.glyphs) &&
    typeof f.subset.mapping === 'object' &&
    Array.isArray(f.widths) &&
    Array.isArray(f.unicode) &&
    typeof f.scale === 'number' &&
    typeof f.embed === 'function' &&
    typeof f.toUnicodeCmap === 'function'
  );
}

/** The characters' glyphs, each with the text it shows (a ligature shows its letters), the missing glyph first. */
function characterGlyphs(font: FontkitFont): { id: number; codePoints: number[] }[] {
  const glyphs = [{ id: 0, codePoints: [0] }];
  const seen = new Set([0]);
  const add = (id: number, text: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    glyphs.push({ id, codePoints: [...text].map((ch) => ch.codePointAt(0)!) });
  };
  for (const ch of BASE_TEXT) add(font.glyphForCodePoint(ch.codePointAt(0)!).id, ch);
  for (const text of BASE_LIGATURES) {
    const run = font.layout(text).glyphs;
    if (run.length === 1) add(run[0]!.id, text);
  }
  return glyphs;
}

function buildBase(font: FontkitFont, scale: number): BaseSubset | null {
  const characters = characterGlyphs(font);
  // Composite glyphs' parts (Latvian letters are built from a base letter and an accent): found by encoding a
  // first subset, then listed after the characters, those that have a character of their own (ı, ¯, ˇ) first, so
  // that their text is set too. fontkit keeps one glyph object per id with the characters it was first asked for,
  // and a part read for a composite has none: pdfkit would then give the part, drawn on its own, no text.
  const probe = font.createSubset();
  for (const { id } of characters) probe.includeGlyph(id);
  probe.encode();
  const cmap = font._cmapProcessor;
  const parts = probe.glyphs.slice(characters.length).map((id) => {
    const codePoint = cmap?.codePointsForGlyph(id)[0];
    return { id, codePoints: codePoint === undefined ? undefined : [codePoint] };
  });
  parts.sort((a, b) => Number(a.codePoints === undefined) - Number(b.codePoints === undefined));
  const subset = font.createSubset();
  const unicode: BaseSubset['unicode'] = [];
  for (const { id, codePoints } of [...characters, ...parts]) {
    subset.includeGlyph(id);
    if (codePoints) unicode.push(codePoints);
  }
  const program = subset.encode();
  if (subset.cff != null || subset.glyphs.length !== characters.length + parts.length) return null;
  // pdfkit lists the missing glyph's width unscaled (font units, not thousandths of an em), so a character the font
  // lacks would show wider than it was laid out; here it is scaled like every other width.
  const widths = subset.glyphs.map((id) => font.getGlyph(id).advanceWidth * scale);
  return {
    glyphs: [...subset.glyphs],
    mapping: { ...subset.mapping },
    shown: unicode.length,
    widths,
    unicode,
    program: deflateSync(program),
    toUnicode: deflateSync(Buffer.from(toUnicodeText(unicode), 'latin1')),
  };
}

/** A base subset as the font data file holds it (font-data.ts), with the inputs it was made from. */
interface StoredBase {
  text: string;
  ligatures: string[];
  scale: number;
  glyphs: number[];
  shown: number;
  widths: number[];
  unicode: number[][];
  /** Base64 of the deflated program and map. */
  program: string;
  toUnicode: string;
}

/**
 * The font's base subset for the font data file (null: the font gets none): computed, as {@link baseOf} computes
 * it for a process without the file.
 */
export function storedBaseOf(font: unknown, scale: number): StoredBase | null {
  const base = buildBase(font as FontkitFont, scale);
  if (!base) return null;
  if (base.unicode.length !== base.shown || base.unicode.some((u) => u === undefined))
    throw new Error('a base subset has a glyph without text among its shown glyphs');
  return {
    text: BASE_TEXT,
    ligatures: BASE_LIGATURES,
    scale,
    glyphs: base.glyphs,
    shown: base.shown,
    widths: base.widths,
    unicode: base.unicode as number[][],
    program: Buffer.from(base.program).toString('base64'),
    toUnicode: Buffer.from(base.toUnicode).toString('base64'),
  };
}

const isNumbers = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((n) => typeof n === 'number');

/** The base subset from the font data file, if it has one made from this font and these inputs. */
function storedBase(font: object, scale: number): BaseSubset | undefined {
  const stored = fontData(font)?.base as Partial<StoredBase> | undefined;
  if (
    !stored ||
    stored.text !== BASE_TEXT ||
    stored.ligatures?.join('|') !== BASE_LIGATURES.join('|') ||
    stored.scale !== scale ||
    !isNumbers(stored.glyphs) ||
    !isNumbers(stored.widths) ||
    stored.widths.length !== stored.glyphs.length ||
    !Array.isArray(stored.unicode) ||
    !stored.unicode.every(isNumbers) ||
    stored.unicode.length !== stored.shown ||
    typeof stored.program !== 'string' ||
    typeof stored.toUnicode !== 'string'
  )
    return undefined;
  // fontkit's subset maps each font glyph id to its place in the subset.
  const mapping: Record<number, number> = {};
  stored.glyphs.forEach((id, i) => {
    mapping[id] = i;
  });
  return {
    glyphs: stored.glyphs,
    mapping,
    shown: stored.shown,
    widths: stored.widths,
    unicode: stored.unicode,
    program: Buffer.from(stored.program, 'base64'),
    toUnicode: Buffer.from(stored.toUnicode, 'base64'),
  };
}

function baseOf(embedded: EmbeddedFont): BaseSubset | null {
  let base = BASES.get(embedded.font);
  if (base === undefined) {
    base = storedBase(embedded.font, embedded.scale) ?? buildBase(embedded.font, embedded.scale);
    BASES.set(embedded.font, base);
  }
  return base;
}

/**
 * Start this embedded font's subset with the base, if its document asked for it ({@link useBaseSubsets}) and
 * nothing has been drawn with it yet. Returns how many subset ids from 0 are base glyphs whose widths and text are
 * set (a string of only those encodes the same in every such document), or 0 when the font is left to pdfkit.
 */
export function useBaseSubset(value: unknown): number {
  if (!isEmbeddedFont(value)) return 0;
  const embedded = value;
  const known = USING.get(embedded);
  if (known) return known.shown;
  if (!DOCUMENTS.has(embedded.document) || embedded.subset.glyphs.length !== 1 || embedded.unicode.length !== 1)
    return 0;
  const base = baseOf(embedded);
  if (!base) return 0;
  embedded.subset.glyphs = [...base.glyphs];
  embedded.subset.mapping = { ...base.mapping };
  embedded.widths = [...base.widths];
  embedded.unicode = [...base.unicode];
  const embed = embedded.embed;
  embedded.embed = function embedWithBase(this: EmbeddedFont): void {
    if (!embedBase(this, base)) embed.call(this);
  };
  embedded.toUnicodeCmap = function baseToUnicode(this: EmbeddedFont): PdfReference {
    return toUnicodeWithBase(this, base);
  };
  USING.set(embedded, base);
  return base.shown;
}

/** Whether the document added nothing to the base: no glyph, and no text for a composite's part. */
function onlyBase(embedded: EmbeddedFont, base: BaseSubset): boolean {
  return embedded.subset.glyphs.length === base.glyphs.length && embedded.unicode.length === base.unicode.length;
}

function toHex(n: number): string {
  return `0000${n.toString(16)}`.slice(-4);
}

/**
 * A ToUnicode CMap as pdfkit writes it, for glyph texts that may have gaps: a composite's part has no text of its
 * own and is left out, as pdfkit leaves it out (it never shows on its own). Ranges stay within 256 codes.
 */
export function toUnicodeText(unicode: readonly (readonly number[] | undefined)[]): string {
  const ranges: string[] = [];
  let start = -1;
  let entries: string[] = [];
  const close = (end: number): void => {
    if (start >= 0) ranges.push(`<${toHex(start)}> <${toHex(end)}> [${entries.join(' ')}]`);
    start = -1;
    entries = [];
  };
  for (let gid = 0; gid < unicode.length; gid++) {
    const codePoints = unicode[gid];
    if (!codePoints || (start >= 0 && gid % 256 === 0)) close(gid - 1);
    if (!codePoints) continue;
    if (start < 0) start = gid;
    const encoded: string[] = [];
    for (let value of codePoints) {
      if (value > 0xffff) {
        value -= 0x10000;
        encoded.push(toHex(((value >>> 10) & 0x3ff) | 0xd800));
        value = 0xdc00 | (value & 0x3ff);
      }
      encoded.push(toHex(value));
    }
    entries.push(`<${encoded.join(' ')}>`);
  }
  close(unicode.length - 1);
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo <<',
    '  /Registry (Adobe)',
    '  /Ordering (UCS)',
    '  /Supplement 0',
    '>> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000><ffff>',
    'endcodespacerange',
    `${ranges.length} beginbfrange`,
    ...ranges,
    'endbfrange',
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

function toUnicodeWithBase(embedded: EmbeddedFont, base: BaseSubset): PdfReference {
  const same = onlyBase(embedded, base);
  const cmap = embedded.document.ref(same ? { Filter: 'FlateDecode' } : {});
  cmap.end(same ? base.toUnicode : toUnicodeText(embedded.unicode));
  return cmap;
}

/**
 * pdfkit's `embed` for a document that used base glyphs only: the same objects in the same order, with the font
 * program and the ToUnicode map already deflated. False (pdfkit embeds) for anything else: added glyphs, a
 * document that does not compress its streams, PDF/A-1's CIDSet.
 */
function embedBase(embedded: EmbeddedFont, base: BaseSubset): boolean {
  const doc = embedded.document;
  if (!onlyBase(embedded, base) || !doc.compress || doc.subset === 1) return false;
  const { font, scale } = embedded;
  const fontFile = doc.ref({ Filter: 'FlateDecode' });
  fontFile.end(base.program);
  const familyClass = (font['OS/2']?.sFamilyClass || 0) >> 8;
  let flags = 1 << 2;
  if (font.post.isFixedPitch) flags |= 1 << 0;
  if (1 <= familyClass && familyClass <= 7) flags |= 1 << 1;
  if (familyClass === 10) flags |= 1 << 3;
  if (font.head.macStyle.italic) flags |= 1 << 6;
  const tag = [1, 2, 3, 4, 5, 6].map((i) => String.fromCharCode((embedded.id.charCodeAt(i) || 73) + 17)).join('');
  const name = `${tag}+${font.postscriptName?.replaceAll(' ', '_')}`;
  const { bbox } = font;
  const descriptor = doc.ref({
    Type: 'FontDescriptor',
    FontName: name,
    Flags: flags,
    FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
    ItalicAngle: font.italicAngle,
    Ascent: embedded.ascender,
    Descent: embedded.descender,
    CapHeight: (font.capHeight || font.ascent) * scale,
    XHeight: (font.xHeight || 0) * scale,
    StemV: 0,
    FontFile2: fontFile,
  });
  descriptor.end();
  const descendantFont = doc.ref({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: name,
    CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
    FontDescriptor: descriptor,
    W: [0, embedded.widths],
    CIDToGIDMap: 'Identity',
  });
  descendantFont.end();
  embedded.dictionary.data = {
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: name,
    Encoding: 'Identity-H',
    DescendantFonts: [descendantFont],
    ToUnicode: embedded.toUnicodeCmap(),
  };
  embedded.dictionary.end();
  return true;
}
