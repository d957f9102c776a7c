/**
 * Font subsets built from glyph data read once per process. Every document embeds the subset of DejaVu it uses,
 * and fontkit builds it glyph by glyph: it decodes each glyph's outline (only to learn whether it is composite),
 * reads its bytes from the glyf table and its metrics, for every document again. A report uses the same hundred or
 * so glyphs as the one before, so that was most of the time a small report spends in finishing. Here each glyph's
 * bytes, composite components and metrics are kept per parsed font; a subset is assembled from them exactly as
 * fontkit assembles it (components renumbered into the subset in the same order), so the embedded font is the
 * same bytes. The font program is then written from those glyphs by subset-writer.ts, not by fontkit's encoder.
 *
 * Reads fontkit internals (`_addGlyph`, `encode`, `glyphs`, `glyf`, `loca`, `hmtx`, `offset`); if they are not
 * there, or the font has variations, fontkit's own code runs.
 */
import { type FixedTables, fixedTablesOf, writeSubsetProgram } from './subset-writer';

interface GlyphData {
  bytes: Uint8Array;
  /** Components of a composite glyph: the component's glyph id and where it is written in `bytes`. */
  components: { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}

interface FontkitGlyph {
  advanceWidth: number;
  _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
  _getMetrics(): { leftBearing: number };
}

interface FontkitFont {
  getGlyph(id: number): FontkitGlyph;
  createSubset(): TrueTypeSubset;
  loca: { offsets: number[]; version: number };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
  _variationProcessor?: unknown;
}

interface TrueTypeSubset {
  font: FontkitFont;
  glyphs: number[];
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[]; bearings: number[] };
  offset: number;
  includeGlyph(id: number): number;
  _addGlyph(id: number): number;
  encode(): Uint8Array;
}

const PATCHED = Symbol('pmif-subset-cache');
const byFont = new WeakMap<object, Map<number, GlyphData>>();

function readGlyph(font: FontkitFont, gid: number): GlyphData {
  const glyph = font.getGlyph(gid);
  const glyf = glyph._decode();
  const start = font.loca.offsets[gid]!;
  const end = font.loca.offsets[gid + 1]!;
  const stream = font._getTableStream('glyf');
  stream.pos += start;
  // A copy: the stream's buffer may be a view that fontkit reuses.
  const bytes = new Uint8Array(stream.readBuffer(end - start));
  const components =
    glyf && glyf.numberOfContours < 0 ? (glyf.components ?? []).map((c) => ({ glyphID: c.glyphID, pos: c.pos })) : null;
  return { bytes, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
}

/**
 * Make the TrueType subsets of `subset`'s class assemble glyphs from per-font kept data and write their font program
 * with subset-writer.ts; once per class.
 */
export function cacheSubsetGlyphs(subset: unknown): void {
  const proto = subset ? (Object.getPrototypeOf(subset) as Partial<TrueTypeSubset> & { [PATCHED]?: true }) : null;
  if (!proto || proto[PATCHED] || typeof proto._addGlyph !== 'function' || typeof proto.encode !== 'function') return;
  const original = proto._addGlyph;
  proto[PATCHED] = true;
  proto.encode = writeKeptProgram(proto.encode);
  proto._addGlyph = function addKeptGlyph(this: TrueTypeSubset, gid: number): number {
    const font = this.font;
    if (font._variationProcessor || !Array.isArray(this.glyf) || !Array.isArray(this.loca?.offsets))
      return original.call(this, gid);
    let glyphs = byFont.get(font);
    if (!glyphs) {
      glyphs = new Map();
      byFont.set(font, glyphs);
    }
    let data = glyphs.get(gid);
    if (!data) {
      data = readGlyph(font, gid);
      glyphs.set(gid, data);
    }
    let bytes = data.bytes;
    if (data.components) {
      // Components are renumbered into this subset, as fontkit does, in a copy.
      bytes = new Uint8Array(data.bytes);
      const view = new DataView(bytes.buffer);
      for (const component of data.components) view.setUint16(component.pos, this.includeGlyph(component.glyphID));
    }
    this.glyf.push(bytes);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: data.advance, bearing: data.bearing });
    this.offset += bytes.length;
    return this.glyf.length - 1;
  };
}

/** Per font: the tables that do not depend on the glyphs, as fontkit encodes them (null: fontkit encodes). */
const fixedByFont = new WeakMap<object, FixedTables | null>();

function fixedTables(font: FontkitFont, encode: () => Uint8Array): FixedTables | null {
  let fixed = fixedByFont.get(font);
  if (fixed === undefined) {
    // fontkit's own encoding of a subset of the font (the missing glyph only), once per font.
    fixed = fixedTablesOf(encode.call(font.createSubset()));
    fixedByFont.set(font, fixed);
  }
  return fixed;
}

/** `encode` for the subset class: fontkit's steps up to the glyphs, then the program written from them. */
function writeKeptProgram(encode: () => Uint8Array): (this: TrueTypeSubset) => Uint8Array {
  return function encodeKept(this: TrueTypeSubset): Uint8Array {
    const font = this.font;
    const fixed = font._variationProcessor || !font.loca ? null : fixedTables(font, encode);
    if (!fixed) return encode.call(this);
    // As fontkit's encode starts: glyphs are added in order, composites adding their components at the end.
    this.glyf = [];
    this.offset = 0;
    this.loca = { offsets: [], version: font.loca.version };
    this.hmtx = { metrics: [], bearings: [] };
    for (let i = 0; i < this.glyphs.length; i++) this._addGlyph(this.glyphs[i]!);
    return writeSubsetProgram(fixed, { glyf: this.glyf, metrics: this.hmtx.metrics });
  };
}
