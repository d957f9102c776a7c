/**
 * The TrueType font program of a subset, written as fontkit writes it, without fontkit's encoder. fontkit encodes
 * the nine tables a PDF needs (head, hhea, loca, maxp, cvt, prep, glyf, hmtx, fpgm) through its generic structure
 * encoder, value by value, for every document: the hinting tables and headers number by number although they never
 * change, then every glyph and metric. That was most of the time a report spent embedding its fonts.
 *
 * Here the tables that do not depend on the glyphs are taken, once per font, from a subset fontkit itself encoded
 * (so they are fontkit's bytes, whatever its round trip of a table does), and each document's program is those
 * bytes with the glyph count patched in, plus loca, glyf and hmtx written straight from the glyphs: the same bytes
 * as fontkit's encoder (the unit tests compare both faces over generated glyph sets). fontkit's directory is kept
 * as it writes it: tag `true`, tables in the order above, back to back, checksums 0.
 */

/** The glyphs of a subset as fontkit's `_addGlyph` collects them. */
export interface SubsetGlyphs {
  /** Each glyph's bytes in the glyf table, in subset order. */
  glyf: Uint8Array[];
  /** Advance width and left side bearing of each glyph, in subset order. */
  metrics: { advance: number; bearing: number }[];
}

/** A font program's tables, by tag, in the order fontkit writes them. */
export type FontTables = [tag: string, bytes: Uint8Array][];

/** The order fontkit's TTFSubset.encode lists its tables in (and so writes them in). */
export const SUBSET_TABLE_ORDER = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;

/** Tables of one font that do not depend on the glyphs, as fontkit encodes them. */
export interface FixedTables {
  head: Uint8Array;
  hhea: Uint8Array;
  maxp: Uint8Array;
  /** cvt, prep and fpgm: absent from a font that has none (fontkit then leaves the table out). */
  hinting: Map<string, Uint8Array>;
  /** loca's format (head.indexToLocFormat): 1 is 32-bit offsets, the only one written here. */
  locaFormat: number;
}

/** Read a font program's table directory (as fontkit writes it, or any sfnt): tag and bytes of each table. */
export function readTables(program: Uint8Array): FontTables {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const count = view.getUint16(4);
  const tables: FontTables = [];
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    const tag = String.fromCharCode(...program.subarray(at, at + 4));
    const offset = view.getUint32(at + 8);
    const length = view.getUint32(at + 12);
    tables.push([tag, program.subarray(offset, offset + length)]);
  }
  return tables;
}

/**
 * The fixed tables, from a program fontkit encoded for any subset of the font. Null when the program is not laid
 * out as expected (tables other than fontkit's, loca in its 16-bit format): fontkit's encoder then stays in use.
 */
export function fixedTablesOf(program: Uint8Array): FixedTables | null {
  const tables = readTables(program);
  const byTag = new Map(tables);
  const order = SUBSET_TABLE_ORDER.filter((tag) => byTag.has(tag));
  if (tables.length !== order.length || tables.some(([tag], i) => tag !== order[i])) return null;
  const head = byTag.get('head');
  const hhea = byTag.get('hhea');
  const maxp = byTag.get('maxp');
  if (!head || head.length < 54 || !hhea || hhea.length < 36 || !maxp || maxp.length < 6) return null;
  if (!byTag.has('loca') || !byTag.has('glyf') || !byTag.has('hmtx')) return null;
  const locaFormat = new DataView(head.buffer, head.byteOffset, head.byteLength).getInt16(50);
  if (locaFormat !== 1) return null;
  const hinting = new Map<string, Uint8Array>();
  for (const tag of ['cvt ', 'prep', 'fpgm']) {
    const bytes = byTag.get(tag);
    if (bytes) hinting.set(tag, new Uint8Array(bytes));
  }
  return {
    head: new Uint8Array(head),
    hhea: new Uint8Array(hhea),
    maxp: new Uint8Array(maxp),
    hinting,
    locaFormat,
  };
}

function withUint16(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint16(at, value);
  return copy;
}

/** The tables of a subset holding `glyphs`, in fontkit's order. */
function subsetTables(fixed: FixedTables, glyphs: SubsetGlyphs): FontTables {
  const count = glyphs.glyf.length;
  const loca = new Uint8Array(4 * (count + 1));
  const locaView = new DataView(loca.buffer);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    locaView.setUint32(4 * i, offset);
    offset += glyphs.glyf[i]!.length;
  }
  locaView.setUint32(4 * count, offset);
  const glyf = new Uint8Array(offset);
  offset = 0;
  for (const bytes of glyphs.glyf) {
    glyf.set(bytes, offset);
    offset += bytes.length;
  }
  const hmtx = new Uint8Array(4 * glyphs.metrics.length);
  const hmtxView = new DataView(hmtx.buffer);
  glyphs.metrics.forEach((m, i) => {
    hmtxView.setUint16(4 * i, m.advance);
    hmtxView.setInt16(4 * i + 2, m.bearing);
  });
  const byTag = new Map<string, Uint8Array>([
    ['head', fixed.head],
    // numberOfMetrics (hhea) and numGlyphs (maxp): every glyph has its own metrics.
    ['hhea', withUint16(fixed.hhea, 34, glyphs.metrics.length)],
    ['loca', loca],
    ['maxp', withUint16(fixed.maxp, 4, count)],
    ['glyf', glyf],
    ['hmtx', hmtx],
    ...fixed.hinting,
  ]);
  return SUBSET_TABLE_ORDER.filter((tag) => byTag.has(tag)).map((tag) => [tag, byTag.get(tag)!]);
}

/** An sfnt of `tables` as fontkit's directory writes it: tag `true`, checksums 0, tables back to back. */
export function writeFontProgram(tables: FontTables): Uint8Array {
  const headerSize = 12 + 16 * tables.length;
  const size = tables.reduce((sum, [, bytes]) => sum + bytes.length, headerSize);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x74, 0x72, 0x75, 0x65]);
  const power = 2 ** Math.floor(Math.log2(tables.length));
  view.setUint16(4, tables.length);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, tables.length * 16 - power * 16);
  let offset = headerSize;
  tables.forEach(([tag, bytes], i) => {
    const at = 12 + 16 * i;
    for (let c = 0; c < 4; c++) out[at + c] = tag.charCodeAt(c);
    view.setUint32(at + 8, offset);
    view.setUint32(at + 12, bytes.length);
    out.set(bytes, offset);
    offset += bytes.length;
  });
  return out;
}

/** The font program of a subset holding `glyphs`: fontkit's bytes for the same subset. */
export function writeSubsetProgram(fixed: FixedTables, glyphs: SubsetGlyphs): Uint8Array {
  return writeFontProgram(subsetTables(fixed, glyphs));
}
