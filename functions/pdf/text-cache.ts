/**
 * Text costs once per distinct string. pdfkit lays text out word by word through fontkit (shaping, kerning) and
 * caches words per document only, then re-assembles every string from its words each time the string is measured
 * or drawn, re-encodes its glyphs on every draw, and runs its line wrapper (a Unicode line breaker) on every
 * measure and every draw. A report measures each cell two or three times and draws the same codes, periods, sheet
 * names and dates hundreds of times, so that was most of a long table's render time.
 *
 * What is kept, hung on pdfkit's embedded-font objects:
 * - per parsed font, for the whole process: the glyph run of each distinct string (and of each word: pdfkit's own
 *   cache, moved up from the document to the font), so a string is shaped once however many documents use it;
 * - per document and font: the encoded glyph ids of each distinct string, and the text-showing operator built
 *   from them, because glyph ids are numbered per document subset. The first encoding adds the string's glyphs to
 *   the subset in the same order as before; later ones would add nothing.
 * Placing a line ({@link placeLine}) writes the operators pdfkit's `_fragment` writes for a plain left-aligned
 * line, and wrapping ({@link wrapText}) records pdfkit's own line breaks once so the table draws them without a
 * second pass. Documents come out byte for byte as pdfkit alone writes them (the unit tests compare).
 *
 * This reads pdfkit internals (`_font`, `_fontSize`, `layoutCache`, `layout`, `encode`, `_text`). If an upgrade
 * changes them, nothing is hooked and every call goes through pdfkit's public `text`: slower, never different.
 */

/** A laid-out string as pdfkit's EmbeddedFont.layout returns it (positions already in 1/1000 em). */
interface GlyphRun {
  glyphs: unknown[];
  positions: GlyphPosition[];
  advanceWidth: number;
}

interface GlyphPosition {
  xAdvance: number;
  advanceWidth: number;
  xOffset?: number;
  yOffset?: number;
}

type Encoded = [string[], GlyphPosition[]];

/** The parts of pdfkit's EmbeddedFont this module uses. */
interface EmbeddedFontLike {
  id: string;
  font: object;
  ascender: number;
  layoutCache?: Record<string, unknown>;
  layout(text: string, features?: unknown, onlyWidth?: boolean): GlyphRun;
  encode(text: string, features?: unknown): Encoded;
  ref(): unknown;
  [HOOKED]?: DocumentCaches;
}

/** The parts of the pdfkit document this module uses. */
interface DocumentLike {
  _font?: unknown;
  _fontSize: number;
  _lineGap?: number;
  x: number;
  y: number;
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): unknown;
  currentLineHeight(includeGap?: boolean): number;
  widthOfString(text: string, options?: object): number;
  text(text: string, x: number, y: number, options: object): unknown;
  _text(text: string, x: number, y: number, options: object, line: (text: string, options: LineOptions) => void): void;
  _initOptions(options: object): object;
}

interface LineOptions {
  lineWidth: number;
  textWidth: number;
}

const HOOKED = Symbol('pmif-text-cache');

/**
 * Entries kept per font before the caches start afresh. A report uses a few thousand distinct strings; a render
 * worker that lives through hundreds of projects must not grow without bound. Starting afresh changes no bytes.
 */
const MAX_ENTRIES = 50_000;

interface FontCaches {
  /** Whole strings. */
  runs: Map<string, GlyphRun>;
  /** Words with their trailing space, as pdfkit's own `layoutCache` keys them; shared by reference. */
  words: Record<string, unknown>;
}

/** Per document and font: encodings, and the `TJ` operator of each string (null: it needs glyph offsets). */
interface DocumentCaches {
  encoded: Map<string, Encoded>;
  shows: Map<string, string | null>;
  /** Line breaks by size, width, line gap and text. */
  wraps: Map<string, WrappedLine[]>;
}

const byFont = new WeakMap<object, FontCaches>();

function cachesFor(font: object): FontCaches {
  let caches = byFont.get(font);
  if (!caches) {
    caches = { runs: new Map(), words: Object.create(null) };
    byFont.set(font, caches);
  }
  return caches;
}

/** Empty both caches in place (documents hold the word cache by reference). */
function forget(caches: FontCaches): void {
  caches.runs.clear();
  for (const key of Object.keys(caches.words)) delete caches.words[key];
}

function isEmbeddedFont(value: unknown): value is EmbeddedFontLike {
  const f = value as Partial<EmbeddedFontLike> | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.id === 'string' &&
    typeof f.font === 'object' &&
    typeof f.ascender === 'number' &&
    typeof f.layout === 'function' &&
    typeof f.encode === 'function' &&
    typeof f.ref === 'function' &&
    typeof f.layoutCache === 'object'
  );
}

/** Wrap one document's embedded font: its layouts come from the font's shared cache, its encodings are kept. */
function hook(embedded: EmbeddedFontLike): void {
  const caches = cachesFor(embedded.font);
  const layout = embedded.layout;
  const encode = embedded.encode;
  embedded.layoutCache = caches.words;
  embedded.layout = function cachedLayout(text, features, onlyWidth) {
    // Font features change the shaping; pdfkit does not cache those either.
    if (features) return layout.call(this, text, features, onlyWidth);
    let run = caches.runs.get(text);
    if (!run) {
      if (caches.runs.size >= MAX_ENTRIES) forget(caches);
      run = layout.call(this, text, undefined, false);
      caches.runs.set(text, run);
    }
    return run;
  };
  const documentCaches: DocumentCaches = { encoded: new Map(), shows: new Map(), wraps: new Map() };
  embedded.encode = function cachedEncode(text, features) {
    if (features) return encode.call(this, text, features);
    let result = documentCaches.encoded.get(text);
    if (!result) {
      result = encode.call(this, text);
      documentCaches.encoded.set(text, result);
    }
    return result;
  };
  embedded[HOOKED] = documentCaches;
}

function isDocument(doc: unknown): doc is DocumentLike {
  const d = doc as Partial<DocumentLike>;
  return (
    typeof d._fontSize === 'number' &&
    typeof d.addContent === 'function' &&
    typeof d._text === 'function' &&
    typeof d._initOptions === 'function'
  );
}

/** Install the caches on the document's current font, once per document and font. */
export function cacheCurrentFont(doc: PDFKit.PDFDocument): void {
  const current = (doc as unknown as { _font?: unknown })._font;
  if (isEmbeddedFont(current) && !current[HOOKED]) hook(current);
}

/** pdfkit's number format in content streams (PDFObject.number): six decimals at most. */
function num(n: number): string {
  return `${Math.round(n * 1e6) / 1e6}`;
}

/**
 * The `TJ` operator that shows `text` in this document's subset of `font`, as pdfkit's `_fragment` builds it:
 * runs of glyph ids, split where kerning moves the next glyph. Null when a glyph carries an x/y offset (combining
 * marks), where pdfkit moves the text matrix mid-string: those lines go through pdfkit.
 */
function showOperator(font: EmbeddedFontLike, caches: DocumentCaches, text: string): string | null {
  const known = caches.shows.get(text);
  if (known !== undefined) return known;
  const [encoded, positions] = font.encode(text);
  const commands: string[] = [];
  let last = 0;
  let offsets = false;
  const segment = (cur: number): void => {
    if (last < cur) {
      const pos = positions[cur - 1]!;
      commands.push(`<${encoded.slice(last, cur).join('')}> ${num(-(pos.xAdvance - pos.advanceWidth))}`);
    }
    last = cur;
  };
  for (let i = 0; i < positions.length; i++) {
    const pos = positions[i]!;
    if (pos.xOffset || pos.yOffset) offsets = true;
    else if (pos.xAdvance - pos.advanceWidth !== 0) segment(i + 1);
  }
  segment(positions.length);
  const show = offsets ? null : commands.length > 0 ? `[${commands.join(' ')}] TJ` : '';
  caches.shows.set(text, show);
  return show;
}

/**
 * Draw one line of `text` with its top-left corner at (x, y) in the current font, size and fill colour: the same
 * bytes as `doc.text(text, x, y, { lineBreak: false })`, without pdfkit's option handling, re-measuring and
 * per-glyph encoding. Leaves `doc.x` after the text and `doc.y` at `y`, as pdfkit does.
 */
export function placeLine(pdf: PDFKit.PDFDocument, line: string, x: number, y: number): void {
  const doc = pdf as unknown as DocumentLike;
  const font = doc._font;
  const caches = isEmbeddedFont(font) && isDocument(doc) ? font[HOOKED] : undefined;
  // pdfkit drops line feeds from a line it draws (a wrapped line keeps the one that ended it).
  const text = line.includes('\n') ? line.replace(/\n/g, '') : line;
  const show = caches ? showOperator(font as EmbeddedFontLike, caches, text) : null;
  if (show === null) {
    pdf.text(text, x, y, { lineBreak: false });
    return;
  }
  const embedded = font as EmbeddedFontLike;
  doc.x = x;
  doc.y = y;
  if (text.length === 0) return;
  const { page } = doc;
  if (page.fonts[embedded.id] == null) page.fonts[embedded.id] = embedded.ref();
  const dy = (embedded.ascender / 1000) * doc._fontSize;
  // save, flip the y axis, text object, restore: what _fragment writes around every line.
  doc.addContent('q');
  doc.addContent(`1 0 0 -1 0 ${num(page.height)} cm`);
  doc.addContent('BT');
  doc.addContent(`1 0 0 1 ${num(x)} ${num(page.height - y - dy)} Tm`);
  doc.addContent(`/${embedded.id} ${num(doc._fontSize)} Tf`);
  if (show) doc.addContent(show);
  doc.addContent('ET');
  doc.addContent('Q');
  doc.x = x + doc.widthOfString(text);
}

/** One line of wrapped text as pdfkit's wrapper emitted it. */
export interface WrappedLine {
  text: string;
  /** The wrapper's line width and this line's text width (what `_fragment` aligns with). */
  lineWidth: number;
  textWidth: number;
}

/** Text broken into lines at a width, and its height as `heightOfString` gives it. */
export interface WrappedText {
  lines: WrappedLine[];
  height: number;
}

/**
 * `heightOfString(text, { width, lineGap })`, keeping the lines pdfkit's wrapper broke the text into, so that
 * {@link drawWrapped} can draw them without wrapping again. Null when pdfkit's internals are not as expected.
 */
export function wrapText(pdf: PDFKit.PDFDocument, text: string, width: number, lineGap: number): WrappedText | null {
  const doc = pdf as unknown as DocumentLike;
  const font = doc._font;
  const caches = isEmbeddedFont(font) && isDocument(doc) ? font[HOOKED] : undefined;
  if (!caches) return null;
  const gap = lineGap || doc._lineGap || 0;
  const key = `${doc._fontSize}|${width}|${gap}|${text}`;
  let lines = caches.wraps.get(key);
  if (!lines) {
    const found: WrappedLine[] = [];
    const { x, y } = doc;
    const options = doc._initOptions({ width, lineGap }) as { height?: number };
    options.height = Number.POSITIVE_INFINITY;
    doc._text(text, doc.x, doc.y, options, (line, opts) => {
      found.push({ text: line, lineWidth: opts.lineWidth, textWidth: opts.textWidth });
      doc.y += doc.currentLineHeight(true) + gap;
    });
    doc.x = x;
    doc.y = y;
    lines = found;
    caches.wraps.set(key, lines);
  }
  // The height as heightOfString adds it up, from the cursor: the same sums give the same floating-point result.
  let bottom = doc.y;
  for (let i = 0; i < lines.length; i++) bottom += doc.currentLineHeight(true) + gap;
  return { lines, height: bottom - doc.y };
}

/**
 * Draw lines from {@link wrapText} from (x, y) down, aligned in their line width: the bytes of
 * `doc.text(text, x, y, { width, align, lineGap })` when the text fits its height. Leaves `doc.y` under the text.
 */
export function drawWrapped(
  pdf: PDFKit.PDFDocument,
  wrapped: WrappedText,
  x: number,
  y: number,
  align: 'left' | 'right' | 'center',
  lineGap: number,
): void {
  const doc = pdf as unknown as DocumentLike;
  const gap = lineGap || doc._lineGap || 0;
  let lineY = y;
  for (const line of wrapped.lines) {
    let lineX = x;
    if (align === 'right') lineX += line.lineWidth - pdf.widthOfString(line.text.replace(/\s+$/, ''));
    else if (align === 'center') lineX += line.lineWidth / 2 - line.textWidth / 2;
    placeLine(pdf, line.text, lineX, lineY);
    lineY += pdf.currentLineHeight(true) + gap;
  }
  pdf.x = x;
  pdf.y = lineY;
}
