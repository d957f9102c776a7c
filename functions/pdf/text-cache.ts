/**
 * Text costs once per distinct string. pdfkit lays text out word by word through fontkit (shaping, kerning) and
 * caches words per document only, then re-assembles every string from its words each time the string is measured
 * or drawn, re-encodes its glyphs on every draw, and runs its line wrapper (a Unicode line breaker) on every
 * measure and every draw. A report measures each cell two or three times and draws the same codes, periods, sheet
 * names and dates hundreds of times, so that was most of a long table's render time.
 *
 * What is kept, hung on pdfkit's embedded-font objects:
 * - per parsed font, for the whole process: the glyph run of each distinct string (and of each word: pdfkit's own
 *   cache, moved up from the document to the font), so a string is shaped once however many documents use it,
 *   and the lines pdfkit's wrapper breaks each distinct string into at each size and width;
 * - per document and font: the encoded glyph ids of each distinct string, and the text-showing operator built
 *   from them, because glyph ids are numbered per document subset. The first encoding adds the string's glyphs to
 *   the subset in the same order as before; later ones would add nothing.
 * Placing a line ({@link placeLine}) writes the operators pdfkit's `_fragment` writes for a plain left-aligned
 * line, and wrapping ({@link wrapText}) records pdfkit's own line breaks once so that measuring and drawing
 * ({@link drawWrapped} for table cells, {@link drawText} for running text) need no second pass. Documents come out
 * byte for byte as pdfkit alone writes them (the unit tests compare; table cells use compact lines, below).
 *
 * This reads pdfkit internals (`_font`, `_fontSize`, `layoutCache`, `layout`, `encode`, `_text`). If an upgrade
 * changes them, nothing is hooked and every call goes through pdfkit's public `text`: slower, never different.
 */

import { BASE_LIGATURES, useBaseSubset } from './base-subset';
import { fontData } from './font-data';
import { readPostHeaderOnly } from './fonts';
import { type PairAdvance, readPairKerning } from './pair-kerning';
import { cacheSubsetGlyphs } from './subset-cache';

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
  _text(
    text: string,
    x: number,
    y: number,
    options: object,
    line: (text: string, options: LineOptions, wrapper?: object) => void,
  ): void;
  _initOptions(options: object): object;
}

interface LineOptions {
  lineWidth: number;
  textWidth: number;
  /**
   * Whether the wrapper, drawing, checks right after this line that the next one fits above the bottom margin (and
   * starts a new page if not). It does after most lines it emits on meeting a break, but not after the last line,
   * nor after a line it closes early because a forced break's word does not fit beside it.
   */
  pageCheck: boolean;
}

const HOOKED = Symbol('pmif-text-cache');

/**
 * Entries kept per font before the caches start afresh. A report uses a few thousand distinct strings, and each
 * project adds some fifty of its own (about 114 KB of glyph runs, held until the caches start afresh); a render
 * worker that lives through hundreds of projects must not grow without bound. At 50 000 a worker of a 2 000-project
 * run held a hundred megabytes more by its end, which every full garbage collection marks again: paired, that run
 * took 1.15× the time it takes at 10 000 (3 pairs). The 2 000-row table's warm renders are the same at both.
 * Starting afresh changes no bytes.
 */
export const TEXT_CACHE_LIMIT = 10_000;

interface FontCaches {
  /** Whole strings. */
  runs: Map<string, GlyphRun>;
  /** Words with their trailing space, as pdfkit's own `layoutCache` keys them; shared by reference. */
  words: Record<string, unknown>;
  /**
   * Line breaks by size, width, line gap and text. They depend on the glyph advances alone, which are the font's,
   * so a label, heading or legend that every report repeats is wrapped once in a render worker's life.
   */
  wraps: Map<string, WrappedLine[]>;
  /**
   * Encodings and `TJ` operators of strings of base glyphs only, for every document whose subset starts with the
   * font's base (base-subset.ts): their glyph ids are the same in all of them.
   */
  encoded: Map<string, Encoded>;
  shows: Map<string, string | null>;
}

/** Per document and font: encodings, and the `TJ` operator of each string (null: it needs glyph offsets). */
interface DocumentCaches {
  encoded: Map<string, Encoded>;
  shows: Map<string, string | null>;
  /** The font's caches for strings of base glyphs, when the subset starts with the base; else null. */
  shared: { caches: FontCaches; shown: number } | null;
}

const byFont = new WeakMap<object, FontCaches>();

function cachesFor(font: object): FontCaches {
  let caches = byFont.get(font);
  if (!caches) {
    caches = { runs: new Map(), words: Object.create(null), wraps: new Map(), encoded: new Map(), shows: new Map() };
    byFont.set(font, caches);
  }
  return caches;
}

/** Empty the caches in place (documents hold the word cache by reference). */
function forget(caches: FontCaches): void {
  caches.runs.clear();
  caches.wraps.clear();
  caches.encoded.clear();
  caches.shows.clear();
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

/** A glyph position as fontkit makes it (in font units). */
interface FontkitPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface FontkitGlyph {
  id: number;
}

interface FontkitRun {
  glyphs: FontkitGlyph[];
  positions: FontkitPosition[];
}

interface FontkitFont {
  layout(text: unknown, ...rest: unknown[]): FontkitRun;
  getGlyph(id: number, codePoints?: number[]): FontkitGlyph;
}

/**
 * Text shaped from pairs: ASCII, the no-break space, Latvian letters and typographic dashes and quotes. In DejaVu
 * these map to one glyph each, no contextual lookup applies to them, and positioning is pair kerning, which moves
 * the first glyph of a pair only. Every pair is still checked against fontkit when first met (below), and the unit
 * tests compare composed runs with fontkit's for generated strings in both faces.
 */
const PAIR_SHAPED =
  /^[\u0020-\u007e\u00a0ĀāČčĒēĢģĪīĶķĻļŅņŠšŪūŽž\u2013\u2014\u2018\u2019\u201c\u201d\u201e·…•≤≥€§°×±]+$/;

/** Above every character {@link PAIR_SHAPED} takes. */
const PAIR_SHAPED_END = 0x2270;

/** How {@link composePairShapedRuns} shapes a font's pair-shaped text, kept for {@link layoutPairShaped}. */
interface Composer {
  /** The unit of text at `i` (before `end`): the character, or the letters of a ligature the font data file has. */
  unit(text: string, i: number, end: number): string;
  /** The unit shaped alone; null when fontkit shapes it otherwise. */
  alone(unit: string): Single | null;
  /** The first glyph's advance before the second; null when fontkit shapes the pair otherwise. */
  before(a: string, b: string): number | null;
}

const COMPOSERS = new WeakMap<object, Composer>();

let pairCharacters: string[] | undefined;

/** Every character {@link PAIR_SHAPED} takes (one UTF-16 unit each), for reading the font's kerning of them. */
function pairShapedCharacters(): string[] {
  pairCharacters ??= Array.from({ length: PAIR_SHAPED_END }, (_, i) => String.fromCharCode(i)).filter((ch) =>
    PAIR_SHAPED.test(ch),
  );
  return pairCharacters;
}

/** Latin letters: fontkit shapes text holding one with the font's `latn` features, other text with its default. */
function isLatin(ch: string): boolean {
  return /\p{Script=Latin}/u.test(ch);
}

/** A character shaped alone: one glyph, moved by nothing but its advance. */
interface Single {
  glyph: FontkitGlyph;
  advance: number;
}

/** fontkit's run of one character as a {@link Single}; null when it is anything else. */
function singleOf(run: FontkitRun): Single | null {
  const p = run.positions[0];
  if (run.glyphs.length !== 1 || !p || p.xOffset !== 0 || p.yOffset !== 0 || p.yAdvance !== 0) return null;
  return { glyph: run.glyphs[0]!, advance: p.xAdvance };
}

/**
 * The first glyph's advance in fontkit's run of a pair, when the run is the two characters' glyphs shaped alone with
 * only that advance changed; null otherwise (a ligature, a change to the second glyph, an offset).
 */
function pairAdvanceOf(run: FontkitRun, first: Single | null, second: Single | null): number | null {
  const [p, q] = run.positions;
  const unchanged =
    first !== null &&
    second !== null &&
    run.glyphs.length === 2 &&
    run.glyphs[0] === first.glyph &&
    run.glyphs[1] === second.glyph &&
    p !== undefined &&
    q !== undefined &&
    p.xOffset === 0 &&
    p.yOffset === 0 &&
    p.yAdvance === 0 &&
    q.xAdvance === second.advance &&
    q.xOffset === 0 &&
    q.yOffset === 0 &&
    q.yAdvance === 0;
  return unchanged ? p.xAdvance : null;
}

/** fontkit's GlyphPosition, as pdfkit reads it (it scales each own property in place). */
class ComposedPosition implements FontkitPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
  constructor(xAdvance: number) {
    this.xAdvance = xAdvance;
    this.yAdvance = 0;
    this.xOffset = 0;
    this.yOffset = 0;
  }
}

/** fontkit's GlyphRun as pdfkit reads it: glyphs, positions, and their advance summed as fontkit sums it. */
class ComposedRun implements FontkitRun {
  constructor(
    readonly glyphs: FontkitGlyph[],
    readonly positions: ComposedPosition[],
  ) {}
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/** Where a pair has no advance of its own in {@link StoredShaping}: fontkit shapes text holding it. */
const NO_PAIR = -0x8000;

/** How fontkit shapes the pair-shaped alphabet, as the font data file holds it (font-data.ts). */
interface StoredShaping {
  alphabet: string;
  /** Each character's glyph id and advance shaped alone; null when fontkit shapes it otherwise. */
  singles: ([number, number] | null)[];
  /**
   * The font's ligatures of {@link BASE_LIGATURES} that a run of letters is read into, longest first as fontkit
   * forms them: the letters, the ligature's glyph id and its advance alone. Empty when fontkit forms them otherwise.
   */
  ligatures: [string, number, number][];
  /**
   * Base64 of a little-endian 16-bit advance of the first glyph of every pair of units (the alphabet's characters,
   * then the ligatures; first × units + second), in font units, or {@link NO_PAIR}.
   */
  pairs: string;
}

/** The unit of text at `i` (before `end`): a ligature's letters where one starts there, else the character. */
function unitAt(ligatures: readonly string[], text: string, i: number, end: number): string {
  if (ligatures.length > 0 && text.charCodeAt(i) === 0x66) {
    for (const letters of ligatures) if (i + letters.length <= end && text.startsWith(letters, i)) return letters;
  }
  return text[i]!;
}

/**
 * The ligatures fontkit forms from runs of their letters, longest first, when reading runs greedily by them gives
 * fontkit's glyphs for every string of up to four of their letters and another one; else none.
 */
function ligaturesOf(font: FontkitFont, singles: Map<string, Single | null>): { letters: string; single: Single }[] {
  const ligatures = [...BASE_LIGATURES]
    .sort((a, b) => b.length - a.length)
    .map((letters) => ({ letters, single: singleOf(font.layout(letters)) }))
    .filter((l): l is { letters: string; single: Single } => l.single !== null);
  const letters = [...new Set([...BASE_LIGATURES.join(''), 'a'])];
  const strings: string[] = [''];
  for (let length = 1; length <= 4; length++)
    for (const s of strings.filter((x) => x.length === length - 1)) for (const ch of letters) strings.push(s + ch);
  const byLetters = new Map(ligatures.map((l) => [l.letters, l.single]));
  const order = ligatures.map((l) => l.letters);
  for (const text of strings.filter((x) => x.length > 0)) {
    const expected: number[] = [];
    for (let i = 0; i < text.length; ) {
      const unit = unitAt(order, text, i, text.length);
      const single = byLetters.get(unit) ?? singles.get(unit);
      if (!single) return [];
      expected.push(single.glyph.id);
      i += unit.length;
    }
    if (
      font
        .layout(text)
        .glyphs.map((g) => g.id)
        .join() !== expected.join()
    )
      return [];
  }
  return ligatures;
}

/**
 * How fontkit shapes every character and pair of the pair-shaped alphabet, and its ligatures with the alphabet, for
 * the font data file: each through fontkit, as {@link composePairShapedRuns} shapes what it cannot read from the
 * font's tables.
 */
export function storedShapingOf(font: unknown): StoredShaping {
  const f = font as FontkitFont;
  const alphabet = pairShapedCharacters();
  const singles = alphabet.map((ch) => singleOf(f.layout(ch)));
  const ligatures = ligaturesOf(f, new Map(alphabet.map((ch, i) => [ch, singles[i]!])));
  const units = [...alphabet, ...ligatures.map((l) => l.letters)];
  const unitSingles = [...singles, ...ligatures.map((l) => l.single)];
  const n = units.length;
  const pairs = new DataView(new ArrayBuffer(2 * n * n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const first = unitSingles[i]!;
      const second = unitSingles[j]!;
      const advance = first && second ? pairAdvanceOf(f.layout(units[i]! + units[j]!), first, second) : null;
      if (advance !== null && (!Number.isInteger(advance) || advance <= NO_PAIR || advance > 0x7fff))
        throw new Error(`an advance of ${advance} font units does not fit the font data file`);
      pairs.setInt16(2 * (i * n + j), advance ?? NO_PAIR, true);
    }
  }
  return {
    alphabet: alphabet.join(''),
    singles: singles.map((s) => (s ? [s.glyph.id, s.advance] : null)),
    ligatures: ligatures.map((l) => [l.letters, l.single.glyph.id, l.single.advance]),
    pairs: Buffer.from(pairs.buffer).toString('base64'),
  };
}

/** Shaping from the font data file, for this alphabet: units of text, each unit's single, each pair's advance. */
interface Shaping {
  /** The ligatures' letters, in the order runs of letters are read into them. */
  ligatures: string[];
  single(unit: string): Single | null | undefined;
  pair(a: string, b: string): number | null | undefined;
}

const isLigature = (entry: unknown): entry is [string, number, number] =>
  Array.isArray(entry) &&
  entry.length === 3 &&
  typeof entry[0] === 'string' &&
  BASE_LIGATURES.includes(entry[0]) &&
  typeof entry[1] === 'number' &&
  typeof entry[2] === 'number';

function storedShaping(font: FontkitFont, alphabet: string[]): Shaping | undefined {
  const stored = fontData(font)?.shaping as Partial<StoredShaping> | undefined;
  if (
    !stored ||
    stored.alphabet !== alphabet.join('') ||
    !Array.isArray(stored.singles) ||
    stored.singles.length !== alphabet.length ||
    !Array.isArray(stored.ligatures) ||
    !stored.ligatures.every(isLigature) ||
    typeof stored.pairs !== 'string'
  )
    return undefined;
  const storedLigatures = stored.ligatures;
  const n = alphabet.length + storedLigatures.length;
  const bytes = Buffer.from(stored.pairs, 'base64');
  if (bytes.length !== 2 * n * n) return undefined;
  const pairs = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Each unit's place: characters by their code, ligatures after the alphabet.
  const byCode = new Int16Array(PAIR_SHAPED_END).fill(-1);
  alphabet.forEach((ch, i) => {
    byCode[ch.charCodeAt(0)] = i;
  });
  const ligatureIndex = new Map(storedLigatures.map(([letters], k) => [letters, alphabet.length + k]));
  const indexOf = (unit: string): number =>
    unit.length === 1 ? (byCode[unit.charCodeAt(0)] ?? -1) : (ligatureIndex.get(unit) ?? -1);
  const singles = new Map<string, Single | null>();
  const storedSingles = stored.singles;
  return {
    ligatures: storedLigatures.map(([letters]) => letters),
    single(unit) {
      let single = singles.get(unit);
      if (single === undefined) {
        const i = indexOf(unit);
        if (i < 0) return undefined;
        const entry = i < alphabet.length ? storedSingles[i] : storedLigatures[i - alphabet.length]!.slice(1);
        // The glyph object fontkit's layout would give: the one for this id, first asked for with these characters.
        const codePoints = [...unit].map((ch) => ch.charCodeAt(0));
        single = entry ? { glyph: font.getGlyph(entry[0] as number, codePoints), advance: entry[1] as number } : null;
        singles.set(unit, single);
      }
      return single;
    },
    pair(a, b) {
      const i = indexOf(a);
      const j = indexOf(b);
      if (i < 0 || j < 0) return undefined;
      const advance = pairs.getInt16(2 * (i * n + j), true);
      return advance === NO_PAIR ? null : advance;
    },
  };
}

/**
 * Shape pair-shaped text (above) from its character pairs. fontkit shapes every distinct string from the start
 * (script detection, a shaping plan, every GSUB and GPOS lookup), which was a third of a long table's first render:
 * a 2 000-row table has five thousand distinct numbers, codes and cell names, but only a few hundred distinct
 * character pairs. Each glyph is the one its character shapes to alone, advanced as fontkit advances it before the
 * next character; the last one as alone. Where the font data file (font-data.ts) has the font, singles and pairs
 * come from it, so a fresh process shapes no pair-shaped text through fontkit. Otherwise a pair's advance is read
 * from the font's kerning tables where nothing else can apply to it (pair-kerning.ts), and else taken from fontkit
 * shaping the pair alone. A pair fontkit shapes otherwise (a ligature, a change to the second glyph, an offset) is
 * remembered, and text holding it is shaped by fontkit as before.
 */
export function composePairShapedRuns(font: object): void {
  const target = font as Partial<FontkitFont>;
  if (COMPOSERS.has(font) || typeof target.layout !== 'function') return;
  const layout = target.layout;
  // Looked up on the first text, not when a document merely selects the font.
  let stored: Shaping | undefined | null = null;
  const fromFile = (): Shaping | undefined => {
    if (stored === null) stored = storedShaping(font as FontkitFont, pairShapedCharacters());
    return stored;
  };
  const singles = new Map<string, Single | null>();
  // The first glyph's advance in each pair (null: fontkit shapes the pair otherwise).
  const pairs = new Map<string, number | null>();
  const alone = (unit: string): Single | null => {
    let single = singles.get(unit);
    if (single === undefined) {
      single = fromFile()?.single(unit);
      if (single === undefined) single = singleOf(layout.call(font, unit));
      singles.set(unit, single);
    }
    return single;
  };
  // Read from the font's tables on the first pair the file does not answer; fontkit shapes what they cannot.
  let kerning: PairAdvance | undefined | null = null;
  const before = (a: string, b: string): number | null => {
    // The file's table is read directly: cheaper than remembering its answer.
    let advance = fromFile()?.pair(a, b);
    if (advance !== undefined) return advance;
    const key = a + b;
    advance = pairs.get(key);
    if (advance === undefined) {
      const first = alone(a);
      const second = alone(b);
      if (kerning === null) kerning = readPairKerning(font, pairShapedCharacters(), isLatin);
      const read = first && second ? kerning?.(a, b, first.glyph.id, second.glyph.id) : undefined;
      advance = read ?? pairAdvanceOf(layout.call(font, a + b), first, second);
      pairs.set(key, advance);
    }
    return advance;
  };
  const unit = (text: string, i: number, end: number): string => unitAt(fromFile()?.ligatures ?? [], text, i, end);
  COMPOSERS.set(font, { unit, alone, before });
  target.layout = function composedLayout(this: FontkitFont, text: unknown, ...rest: unknown[]): FontkitRun {
    if (typeof text !== 'string' || rest.some((r) => r !== undefined) || !PAIR_SHAPED.test(text))
      return layout.call(this, text, ...rest);
    const glyphs: FontkitGlyph[] = [];
    // Fresh positions for every run: pdfkit scales the positions it is given in place.
    const positions: ComposedPosition[] = [];
    for (let i = 0; i < text.length; ) {
      const current = unit(text, i, text.length);
      const single = alone(current);
      const after = i + current.length;
      const next = after < text.length ? before(current, unit(text, after, text.length)) : single?.advance;
      if (!single || next === null || next === undefined) return layout.call(this, text, ...rest);
      glyphs.push(single.glyph);
      positions.push(new ComposedPosition(next));
      i = after;
    }
    return new ComposedRun(glyphs, positions);
  };
}

/** pdfkit's EmbeddedFont parts {@link layoutPairShaped} reads. */
interface ScaledFont {
  font: object;
  scale: number;
  layoutCached(word: string): GlyphRun;
}

/** A position as pdfkit's `layoutRun` leaves it: fontkit's, scaled to thousandths of an em, with the glyph's advance. */
interface ScaledPosition extends GlyphPosition {
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

/** Per fontkit font and scale: each character's glyph advance in thousandths of an em, as `layoutRun` computes it. */
const SCALED_ADVANCES = new WeakMap<object, Map<string, number>>();

/**
 * pdfkit's `layout(text)` for pair-shaped text, without pdfkit's word runs: pdfkit splits the text after each space
 * or tab, lays out each word through fontkit (here, {@link composePairShapedRuns}), scales every position value to
 * thousandths of an em and adds the glyph's own advance, and sums the words' advances. The same glyphs and the same
 * numbers, summed in the same order; a word the composition leaves to fontkit goes through pdfkit's `layoutCached`.
 * Undefined when the text is not pair-shaped or the font composes nothing.
 */
function layoutPairShaped(embedded: ScaledFont, text: string): GlyphRun | undefined {
  const composer = COMPOSERS.get(embedded.font);
  if (!composer || typeof embedded.layoutCached !== 'function' || !PAIR_SHAPED.test(text)) return undefined;
  const { scale } = embedded;
  let advances = SCALED_ADVANCES.get(embedded.font);
  if (!advances) {
    advances = new Map();
    SCALED_ADVANCES.set(embedded.font, advances);
  }
  const glyphs: unknown[] = [];
  const positions: GlyphPosition[] = [];
  let advanceWidth = 0;
  let start = 0;
  while (start < text.length) {
    const space = text.indexOf(' ', start);
    const end = space < 0 ? text.length : space + 1;
    const word = wordPositions(composer, advances, scale, text, start, end);
    if (word) {
      let width = 0;
      for (const position of word.positions) width += position.xAdvance;
      advanceWidth += width;
      for (let i = 0; i < word.glyphs.length; i++) {
        glyphs.push(word.glyphs[i]);
        positions.push(word.positions[i]!);
      }
    } else {
      const run = embedded.layoutCached(text.slice(start, end));
      for (let i = 0; i < run.glyphs.length; i++) {
        glyphs.push(run.glyphs[i]);
        positions.push(run.positions[i]!);
      }
      advanceWidth += run.advanceWidth;
    }
    start = end;
  }
  return { glyphs, positions, advanceWidth };
}

/** One word of {@link layoutPairShaped}, composed and scaled; null when fontkit must shape it. */
function wordPositions(
  composer: Composer,
  advances: Map<string, number>,
  scale: number,
  text: string,
  start: number,
  end: number,
): { glyphs: FontkitGlyph[]; positions: ScaledPosition[] } | null {
  const glyphs: FontkitGlyph[] = [];
  const positions: ScaledPosition[] = [];
  for (let i = start; i < end; ) {
    const unit = composer.unit(text, i, end);
    const single = composer.alone(unit);
    const after = i + unit.length;
    const next = after < end ? composer.before(unit, composer.unit(text, after, end)) : single?.advance;
    if (!single || next === null || next === undefined) return null;
    let advanceWidth = advances.get(unit);
    if (advanceWidth === undefined) {
      advanceWidth = (single.glyph as FontkitGlyph & { advanceWidth: number }).advanceWidth * scale;
      advances.set(unit, advanceWidth);
    }
    glyphs.push(single.glyph);
    positions.push({ xAdvance: next * scale, yAdvance: 0, xOffset: 0, yOffset: 0, advanceWidth });
    i = after;
  }
  return { glyphs, positions };
}

/** Wrap one document's embedded font: its layouts come from the font's shared cache, its encodings are kept. */
function hook(embedded: EmbeddedFontLike): void {
  composePairShapedRuns(embedded.font);
  readPostHeaderOnly(embedded.font);
  cacheSubsetGlyphs((embedded as { subset?: unknown }).subset);
  const shown = useBaseSubset(embedded);
  const caches = cachesFor(embedded.font);
  const layout = embedded.layout;
  const encode = embedded.encode;
  embedded.layoutCache = caches.words;
  embedded.layout = function cachedLayout(text, features, onlyWidth) {
    // Font features change the shaping; pdfkit does not cache those either.
    if (features) return layout.call(this, text, features, onlyWidth);
    let run = caches.runs.get(text);
    if (!run) {
      if (caches.runs.size >= TEXT_CACHE_LIMIT) forget(caches);
      run = layoutPairShaped(this as unknown as ScaledFont, text) ?? layout.call(this, text, undefined, false);
      caches.runs.set(text, run);
    }
    return run;
  };
  const shared = shown > 0 ? { caches, shown } : null;
  const documentCaches: DocumentCaches = { encoded: new Map(), shows: new Map(), shared };
  embedded.encode = function cachedEncode(text, features) {
    if (features) return encode.call(this, text, features);
    let result = documentCaches.encoded.get(text) ?? shared?.caches.encoded.get(text);
    if (!result) {
      result = encode.call(this, text);
      if (shared && baseGlyphsOnly(result[0], shared.shown)) {
        if (caches.encoded.size >= TEXT_CACHE_LIMIT) forget(caches);
        caches.encoded.set(text, result);
      } else documentCaches.encoded.set(text, result);
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

/** How many strings the caches of the document's current font hold, for each kind; null for a font without them. */
export function textCacheSizes(doc: PDFKit.PDFDocument): Record<'runs' | 'wraps' | 'encoded' | 'shows', number> | null {
  const current = (doc as unknown as { _font?: unknown })._font;
  if (!isEmbeddedFont(current)) return null;
  const caches = byFont.get(current.font);
  if (!caches) return null;
  return { runs: caches.runs.size, wraps: caches.wraps.size, encoded: caches.encoded.size, shows: caches.shows.size };
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
  const { shared } = caches;
  let known = caches.shows.get(text);
  if (known === undefined && shared) known = shared.caches.shows.get(text);
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
  if (shared && baseGlyphsOnly(encoded, shared.shown)) {
    if (shared.caches.shows.size >= TEXT_CACHE_LIMIT) forget(shared.caches);
    shared.caches.shows.set(text, show);
  } else caches.shows.set(text, show);
  return show;
}

/** Whether every glyph id (4 hex digits) is below `shown`: base glyphs whose widths and text every such document has. */
function baseGlyphsOnly(encoded: readonly string[], shown: number): boolean {
  for (const gid of encoded) if (Number.parseInt(gid, 16) >= shown) return false;
  return true;
}

/** What both line writers need once pdfkit's font is known to be one of ours: the text and its show operator. */
interface PreparedLine {
  doc: DocumentLike;
  embedded: EmbeddedFontLike;
  text: string;
  show: string;
  page: DocumentLike['page'];
}

/**
 * The part {@link placeLine} and {@link placeCompactLine} share. Null when there is nothing more to write: the
 * font is not one of ours (pdfkit drew the line itself), or the line is empty. Otherwise `doc.y` is at `y` and the
 * page lists the font.
 */
function prepareLine(
  pdf: PDFKit.PDFDocument,
  line: string,
  x: number,
  y: number,
  characterSpacing = 0,
): PreparedLine | null {
  const doc = pdf as unknown as DocumentLike;
  const font = doc._font;
  const caches = isEmbeddedFont(font) && isDocument(doc) ? font[HOOKED] : undefined;
  // pdfkit drops line feeds from a line it draws (a wrapped line keeps the one that ended it).
  const text = line.includes('\n') ? line.replace(/\n/g, '') : line;
  const show = caches ? showOperator(font as EmbeddedFontLike, caches, text) : null;
  if (show === null) {
    pdf.text(text, x, y, characterSpacing ? { lineBreak: false, characterSpacing } : { lineBreak: false });
    return null;
  }
  const embedded = font as EmbeddedFontLike;
  doc.y = y;
  if (text.length === 0) return null;
  const { page } = doc;
  if (page.fonts[embedded.id] == null) page.fonts[embedded.id] = embedded.ref();
  return { doc, embedded, text, show, page };
}

/**
 * Draw one line of `text` with its top-left corner at (x, y) in the current font, size and fill colour: the same
 * bytes as `doc.text(text, x, y, { lineBreak: false })`, without pdfkit's option handling, re-measuring and
 * per-glyph encoding. Leaves `doc.x` after the text and `doc.y` at `y`, as pdfkit does.
 */
export function placeLine(pdf: PDFKit.PDFDocument, line: string, x: number, y: number): void {
  // x starts at the line's start (an empty line leaves it there); drawing the text moves it past the text.
  (pdf as unknown as DocumentLike).x = x;
  const text = writeLine(pdf, line, x, y);
  if (text !== null) pdf.x = x + pdf.widthOfString(text);
}

/**
 * The operators pdfkit's `_fragment` writes for a plain left-aligned line at (x, y). Returns the text written by
 * them, or null when there was nothing to write here (pdfkit drew the line itself, or it is empty).
 */
function writeLine(pdf: PDFKit.PDFDocument, line: string, x: number, y: number, characterSpacing = 0): string | null {
  const prepared = prepareLine(pdf, line, x, y, characterSpacing);
  if (!prepared) return null;
  const { doc, embedded, text, show, page } = prepared;
  const dy = (embedded.ascender / 1000) * doc._fontSize;
  // save, flip the y axis, text object, restore: what _fragment writes around every line.
  doc.addContent('q');
  doc.addContent(`1 0 0 -1 0 ${num(page.height)} cm`);
  doc.addContent('BT');
  doc.addContent(`1 0 0 1 ${num(x)} ${num(page.height - y - dy)} Tm`);
  doc.addContent(`/${embedded.id} ${num(doc._fontSize)} Tf`);
  if (characterSpacing) doc.addContent(`${num(characterSpacing)} Tc`);
  if (show) doc.addContent(show);
  doc.addContent('ET');
  doc.addContent('Q');
  return text;
}

/**
 * What {@link placeCompactLine} last set on a page: the font and size (Tf), which belong to the graphics state and
 * so hold until the page ends; pdfkit's own text sets its font inside q/Q, which restores this one after it.
 */
export interface LineState {
  page: unknown;
  font: string | null;
  size: number;
}

export function newLineState(): LineState {
  return { page: null, font: null, size: 0 };
}

/**
 * {@link placeLine} for long tables: the same glyphs at the same place, in fewer operators. pdfkit saves the
 * graphics state, flips the page's y axis back and sets the font around every line (q, cm, BT, Tm, Tf, TJ, ET, Q);
 * here the text matrix flips the glyphs itself (1 0 0 -1 in the page's flipped space is upright text) and the font
 * is set only when it changes on the page (`state`). A table cell was about 150 bytes of page content, deflated and
 * written for each of 16 000 cells; this is about half. Leaves `doc.y` at `y`; `doc.x` is not moved.
 */
export function placeCompactLine(pdf: PDFKit.PDFDocument, line: string, x: number, y: number, state: LineState): void {
  const prepared = prepareLine(pdf, line, x, y);
  if (!prepared) return;
  const { doc, embedded, show, page } = prepared;
  const dy = (embedded.ascender / 1000) * doc._fontSize;
  let out = `BT\n1 0 0 -1 ${num(x)} ${num(y + dy)} Tm`;
  if (state.page !== page || state.font !== embedded.id || state.size !== doc._fontSize) {
    out += `\n/${embedded.id} ${num(doc._fontSize)} Tf`;
    state.page = page;
    state.font = embedded.id;
    state.size = doc._fontSize;
  }
  doc.addContent(show ? `${out}\n${show}\nET` : `${out}\nET`);
}

/** One line of wrapped text as pdfkit's wrapper emitted it. */
export interface WrappedLine {
  text: string;
  /** The wrapper's line width and this line's text width (what `_fragment` aligns with). */
  lineWidth: number;
  textWidth: number;
  /**
   * Whether the wrapper, drawing, checks right after this line that the next one fits above the bottom margin (and
   * starts a new page if not). It does after most lines it emits on meeting a break, but not after the last line,
   * nor after a line it closes early because a forced break's word does not fit beside it.
   */
  pageCheck: boolean;
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
export function wrapText(
  pdf: PDFKit.PDFDocument,
  text: string,
  width: number,
  lineGap: number,
  /** pdfkit's `characterSpacing`: added after every glyph, and after every word as the wrapper measures it. */
  characterSpacing = 0,
): WrappedText | null {
  const doc = pdf as unknown as DocumentLike;
  const font = doc._font;
  if (!isEmbeddedFont(font) || !isDocument(doc) || !font[HOOKED]) return null;
  const caches = cachesFor(font.font);
  const gap = lineGap || doc._lineGap || 0;
  const key = `${doc._fontSize}|${width}|${gap}|${characterSpacing}|${text}`;
  let lines = caches.wraps.get(key);
  if (!lines) {
    if (caches.wraps.size >= TEXT_CACHE_LIMIT) forget(caches);
    const found: WrappedLine[] = [];
    const { x, y } = doc;
    const options = doc._initOptions(characterSpacing ? { width, lineGap, characterSpacing } : { width, lineGap }) as {
      height?: number;
    };
    options.height = Number.POSITIVE_INFINITY;
    let watched = false;
    doc._text(text, doc.x, doc.y, options, (line, opts, wrapper) => {
      if (!watched && wrapper) {
        watched = true;
        watchPageChecks(wrapper, found);
      }
      found.push({ text: line, lineWidth: opts.lineWidth, textWidth: opts.textWidth, pageCheck: false });
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
 * Note which lines pdfkit's LineWrapper checks the page after. Measuring, its bottom limit (`maxY`) is infinite and
 * read only by that check once lines are being emitted (the ellipsis test reads it only with an ellipsis, and the
 * check before the first line has passed by then), so a read of it marks the line just emitted.
 */
function watchPageChecks(wrapper: object, lines: WrappedLine[]): void {
  let maxY = (wrapper as { maxY?: number }).maxY;
  Object.defineProperty(wrapper, 'maxY', {
    configurable: true,
    get() {
      const last = lines.at(-1);
      if (last) last.pageCheck = true;
      return maxY;
    },
    set(value: number) {
      maxY = value;
    },
  });
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
  /** Draw with {@link placeCompactLine} instead of pdfkit's operators. */
  state?: LineState,
): void {
  const doc = pdf as unknown as DocumentLike;
  const gap = lineGap || doc._lineGap || 0;
  let lineY = y;
  for (const line of wrapped.lines) {
    let lineX = x;
    if (align === 'right') lineX += line.lineWidth - pdf.widthOfString(line.text.replace(/\s+$/, ''));
    else if (align === 'center') lineX += line.lineWidth / 2 - line.textWidth / 2;
    if (state) placeCompactLine(pdf, line.text, lineX, lineY, state);
    else placeLine(pdf, line.text, lineX, lineY);
    lineY += pdf.currentLineHeight(true) + gap;
  }
  pdf.x = x;
  pdf.y = lineY;
}

/** The options of pdfkit's `text` that {@link drawText} takes. */
export interface TextOptions {
  /** Wrap in this width and align in it; pdfkit's default is the room to the right margin. */
  width?: number;
  /** `false` without a width: one line from (x, y), not wrapped. (With a width pdfkit wraps all the same.) */
  lineBreak?: boolean;
  align?: 'left' | 'right' | 'center';
  lineGap?: number;
  /** pdfkit's clipping to a height with an ellipsis: drawn here only when the text fits one line. */
  height?: number;
  ellipsis?: boolean;
  /** Added after every glyph (drawn here for wrapped left-aligned text). */
  characterSpacing?: number;
}

/**
 * `doc.text(text, x, y, options)` for running text: the same bytes, with each distinct string wrapped once per font,
 * size and width ({@link wrapText}) and its lines placed with the cached operators. Text that runs past the bottom
 * margin continues on a new page where pdfkit's wrapper would start one (checked before the first line and after
 * the lines it checks after, see {@link WrappedLine}), which re-sets the fill colour there as pdfkit does. Anything else (a font that is not
 * ours, no room to wrap in, pages that set their own font) is pdfkit's own `text`. Leaves the cursor as pdfkit does.
 */
export function drawText(pdf: PDFKit.PDFDocument, text: string, x: number, y: number, options: TextOptions = {}): void {
  const { align = 'left', lineGap = 0, characterSpacing = 0 } = options;
  let { width } = options;
  if (characterSpacing && (align !== 'left' || width === undefined)) {
    // pdfkit aligns and places such text with its spacing added to the widths: not done here.
    pdf.text(text, x, y, options);
    return;
  }
  if (width === undefined && options.lineBreak === false) {
    // Without a width pdfkit draws each line feed's part after the last on the same line; one part is one line.
    if (text.includes('\n')) pdf.text(text, x, y, options);
    else placeLine(pdf, text, x, y);
    return;
  }
  width ??= pdf.page.width - x - pdf.page.margins.right;
  // A page pdfkit adds sets the font its options name (the report canvas's pages name none), and the wrapper
  // carries on in that font: lines wrapped beforehand would not be pdfkit's.
  const pageOptions = (pdf.page as unknown as { _options?: { font?: unknown; fontSize?: unknown } })._options;
  const samePageFont = !pageOptions?.font && !pageOptions?.fontSize;
  const wrapped = width > 0 && samePageFont ? wrapText(pdf, text, width, lineGap, characterSpacing) : null;
  if (!wrapped || (options.height !== undefined && !fitsOneLine(pdf, wrapped, y, options.height))) {
    pdf.text(text, x, y, options);
    return;
  }
  flowLines(pdf, wrapped.lines, { x, y, align, lineGap, characterSpacing }, options.height === undefined);
}

/** Whether pdfkit draws `wrapped` in `height` as one plain line: no ellipsis, no page or column break. */
function fitsOneLine(pdf: PDFKit.PDFDocument, wrapped: WrappedText, y: number, height: number): boolean {
  const [line, more] = wrapped.lines;
  return line !== undefined && more === undefined && y + pdf.currentLineHeight(true) <= floatDown(y + height);
}

/**
 * Place wrapped lines as pdfkit's LineWrapper and `_line` do: aligned in the line width, each a line height plus
 * the gap under the last; with `breakPages`, a new page first if the first line would cross the bottom margin, and
 * after each line the wrapper checks after (recorded when wrapping) when the next one would.
 */
function flowLines(
  pdf: PDFKit.PDFDocument,
  lines: WrappedLine[],
  place: { x: number; y: number; align: 'left' | 'right' | 'center'; lineGap: number; characterSpacing: number },
  breakPages: boolean,
): void {
  const { x, y, align, lineGap, characterSpacing } = place;
  const doc = pdf as unknown as DocumentLike & { _fillColor?: [unknown, unknown] };
  doc.x = x;
  doc.y = y;
  const step = pdf.currentLineHeight(true) + (lineGap || doc._lineGap || 0);
  const lineHeight = pdf.currentLineHeight(true);
  let maxY = floatDown(pdf.page.maxY());
  const nextPage = (): void => {
    pdf.continueOnNewPage();
    maxY = pdf.page.maxY();
    doc.x = x;
    if (doc._fillColor) pdf.fillColor(...(doc._fillColor as [PDFKit.Mixins.ColorValue, number]));
  };
  if (breakPages && (doc.y > maxY || doc.y + lineHeight > maxY)) nextPage();
  for (const line of lines) {
    let lineX = x;
    if (align === 'right') lineX += line.lineWidth - pdf.widthOfString(line.text.replace(/\s+$/, ''));
    else if (align === 'center') lineX += line.lineWidth / 2 - line.textWidth / 2;
    writeLine(pdf, line.text, lineX, doc.y, characterSpacing);
    doc.x = x;
    doc.y += step;
    if (breakPages && line.pageCheck && floatDown(doc.y + lineHeight) > maxY) nextPage();
  }
  doc.x = x;
}

const floatBits = new Float32Array(1);
const floatWord = new Uint32Array(floatBits.buffer);

/** pdfkit's PDFNumber, with which its wrapper rounds the limits it compares with: the 32-bit float not above `n`. */
function floatDown(n: number): number {
  const rounded = Math.fround(n);
  if (rounded <= n) return rounded;
  floatBits[0] = n;
  floatWord[0] = floatWord[0]! + (n <= 0 ? 1 : -1);
  return floatBits[0]!;
}
