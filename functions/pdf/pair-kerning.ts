/**
 * Kerning of the pair-shaped characters (text-cache.ts), read from the font's OpenType tables instead of shaping
 * each character pair through fontkit: a fresh process's first table render shaped about four hundred pairs, each
 * a whole fontkit layout (script, shaping plan, every lookup of every feature), about a fifth of that render.
 *
 * A pair shaped alone by fontkit gets, for the script fontkit picks for it (the font's `latn` entry when either
 * character is a Latin letter, otherwise the first of DFLT, dflt, latn), the lookups of the default features of that
 * entry's default language. What is read here gives the same glyphs and advances only where nothing but pair
 * kerning can apply, so everything else is left to fontkit:
 * - a glyph that any substitution, single or cursive positioning, contextual lookup or mark attachment covers
 *   (as the glyph it starts from, or as the mark), and a pair that starts a ligature;
 * - a pair whose kerning moves anything but the first glyph's advance;
 * - a whole font with lookups or options this does not read (extension lookups, feature variations, variable
 *   fonts, lookup flags that skip base glyphs or ligatures, kerning left to the legacy `kern` table): every pair
 *   of it is shaped by fontkit, as before.
 * The advance is the first glyph's own plus each kerning lookup's first matching subtable's adjustment, in lookup
 * order, as fontkit's GPOS processor applies them. test/unit/pair-shaping.test.ts compares composed runs with
 * fontkit's for generated strings in both faces, and counts that pairs no longer go through fontkit.
 *
 * Reads fontkit's decoded tables (`GSUB`, `GPOS`, `glyphForCodePoint`, `directory`), not its private layout code.
 */

/** The features fontkit's default shaper applies to left-to-right text (variation, directional, common, horizontal). */
const DEFAULT_FEATURES = [
  'rvrn',
  'ltra',
  'ltrm',
  'ccmp',
  'locl',
  'rlig',
  'mark',
  'mkmk',
  'calt',
  'clig',
  'liga',
  'rclt',
  'curs',
  'kern',
];

/** The script entries fontkit falls back to when the text's own script has none (Common text has none). */
const DEFAULT_SCRIPTS = ['DFLT', 'dflt', 'latn'];

interface Coverage {
  version: number;
  glyphs?: number[];
  rangeRecords?: { start: number; end: number }[];
}

interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: { start: number; end: number; class: number }[];
}

interface ValueRecord {
  xPlacement?: number;
  yPlacement?: number;
  xAdvance?: number;
  yAdvance?: number;
}

interface PairRecord {
  secondGlyph?: number;
  value1?: ValueRecord;
  value2?: ValueRecord;
}

interface Indexed<T> {
  get(index: number): T | undefined;
}

interface SubTable {
  version: number;
  coverage?: Coverage;
  coverages?: Coverage[];
  inputCoverage?: Coverage[];
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  ligatureSets?: Indexed<{ components: number[] }[]> & { length: number };
  pairSets?: Indexed<PairRecord[]>;
  classDef1?: ClassDef;
  classDef2?: ClassDef;
  classRecords?: Indexed<Indexed<PairRecord>>;
}

interface Lookup {
  lookupType: number;
  flags?: { flags?: Record<string, boolean> };
  subTables: Iterable<SubTable>;
}

interface LayoutTable {
  scriptList: { tag: string; script: { defaultLangSys?: { featureIndexes: number[] } } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: Indexed<Lookup>;
  featureVariations?: unknown;
}

interface FontTables {
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  directory?: { tables?: Record<string, unknown> };
  _variationProcessor?: unknown;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
}

/** What a pair in one script context needs. */
interface Context {
  /** Glyphs something other than pair kerning may change. */
  unsafe: Set<number>;
  /** Pairs (first × 65536 + second glyph) that start a ligature. */
  ligatures: Set<number>;
  kerning: Lookup[];
}

/**
 * The first glyph's advance (font units) when the characters `a` and `b` are shaped alone, given the glyphs each
 * shapes to alone; `undefined` for a pair only fontkit can shape.
 */
export type PairAdvance = (a: string, b: string, firstGlyph: number, secondGlyph: number) => number | undefined;

function coverageIndex(coverage: Coverage | undefined, glyph: number): number {
  if (!coverage) return -1;
  if (coverage.version === 1) return coverage.glyphs?.indexOf(glyph) ?? -1;
  let index = 0;
  for (const range of coverage.rangeRecords ?? []) {
    if (glyph >= range.start && glyph <= range.end) return index + glyph - range.start;
    index += range.end - range.start + 1;
  }
  return -1;
}

/** fontkit's `getClassID`: a glyph not in the definition is in class 0. */
function classOf(glyph: number, classDef: ClassDef | undefined): number {
  if (classDef?.version === 1) {
    const i = glyph - (classDef.startGlyph ?? 0);
    if (i >= 0 && i < (classDef.classValueArray?.length ?? 0)) return classDef.classValueArray![i]!;
  } else if (classDef?.version === 2) {
    for (const range of classDef.classRangeRecord ?? [])
      if (glyph >= range.start && glyph <= range.end) return range.class;
  }
  return 0;
}

class UnreadableFontError extends Error {}

/** The lookups of the default features in the entry fontkit selects for `scripts` (last feature of a tag wins). */
function defaultLookups(table: LayoutTable, scripts: string[]): Lookup[] {
  const entry = scripts.map((s) => table.scriptList.find((e) => e.tag === s)).find((e) => e !== undefined);
  const features = new Map<string, number[]>();
  for (const index of entry?.script.defaultLangSys?.featureIndexes ?? []) {
    const record = table.featureList[index];
    if (record) features.set(record.tag, record.feature.lookupListIndexes);
  }
  const indexes = DEFAULT_FEATURES.flatMap((tag) => features.get(tag) ?? []);
  return [...new Set(indexes)]
    .sort((x, y) => x - y)
    .map((i) => {
      const lookup = table.lookupList.get(i);
      if (!lookup) throw new UnreadableFontError();
      return lookup;
    });
}

/** The coverage a lookup's subtable starts from (null: nothing to check, e.g. pair kerning). */
function startCoverages(table: 'GSUB' | 'GPOS', type: number, sub: SubTable): (Coverage | undefined)[] {
  const contextual =
    (table === 'GSUB' && (type === 5 || type === 6)) || (table === 'GPOS' && (type === 7 || type === 8));
  if (contextual) return [sub.coverage ?? sub.coverages?.[0] ?? sub.inputCoverage?.[0]];
  if (table === 'GSUB' && [1, 2, 3, 8].includes(type)) return [sub.coverage];
  if (table === 'GPOS' && (type === 1 || type === 3)) return [sub.coverage];
  if (table === 'GPOS' && (type === 4 || type === 5)) return [sub.markCoverage];
  if (table === 'GPOS' && type === 6) return [sub.mark1Coverage];
  throw new UnreadableFontError();
}

function readContext(font: FontTables, scripts: string[], glyphs: number[]): Context {
  const context: Context = { unsafe: new Set(), ligatures: new Set(), kerning: [] };
  for (const lookup of defaultLookups(font.GSUB!, scripts)) {
    for (const sub of lookup.subTables) {
      if (lookup.lookupType === 4) {
        for (const first of glyphs) {
          const index = coverageIndex(sub.coverage, first);
          if (index === -1) continue;
          for (const ligature of sub.ligatureSets?.get(index) ?? []) {
            const second = ligature.components[0];
            if (second === undefined) context.unsafe.add(first);
            else context.ligatures.add(first * 65536 + second);
          }
        }
        continue;
      }
      for (const coverage of startCoverages('GSUB', lookup.lookupType, sub))
        for (const glyph of glyphs) if (coverageIndex(coverage, glyph) !== -1) context.unsafe.add(glyph);
    }
  }
  const gpos = defaultLookups(font.GPOS!, scripts);
  for (const lookup of gpos) {
    if (lookup.lookupType === 2) {
      const flags = lookup.flags?.flags ?? {};
      if (flags.ignoreBaseGlyphs || flags.ignoreLigatures || flags.useMarkFilteringSet) throw new UnreadableFontError();
      context.kerning.push(lookup);
      continue;
    }
    for (const sub of lookup.subTables)
      for (const coverage of startCoverages('GPOS', lookup.lookupType, sub))
        for (const glyph of glyphs) if (coverageIndex(coverage, glyph) !== -1) context.unsafe.add(glyph);
  }
  // Without kerning in GPOS fontkit kerns with the legacy `kern` table, which is not read here.
  if (context.kerning.length === 0 && font.directory?.tables?.kern) throw new UnreadableFontError();
  return context;
}

/** The adjustment one kerning subtable makes to `first` before `second`, or undefined when it does not apply. */
function pairRecord(sub: SubTable, first: number, second: number): PairRecord | undefined {
  const index = coverageIndex(sub.coverage, first);
  if (index === -1) return undefined;
  if (sub.version === 1) return sub.pairSets?.get(index)?.find((p) => p.secondGlyph === second);
  if (sub.version === 2) {
    const record = sub.classRecords?.get(classOf(first, sub.classDef1))?.get(classOf(second, sub.classDef2));
    if (!record) throw new UnreadableFontError();
    return record;
  }
  throw new UnreadableFontError();
}

/** The first glyph's kerned advance, or undefined when the pair's kerning does more than change it. */
function kernedAdvance(context: Context, first: number, second: number, advance: number): number | undefined {
  let x = advance;
  for (const lookup of context.kerning) {
    for (const sub of lookup.subTables) {
      const record = pairRecord(sub, first, second);
      if (!record) continue;
      const { value1 = {}, value2 = {} } = record;
      if (value1.xPlacement || value1.yPlacement || value1.yAdvance) return undefined;
      if (value2.xPlacement || value2.yPlacement || value2.yAdvance || value2.xAdvance) return undefined;
      x += value1.xAdvance ?? 0;
      break;
    }
  }
  return x;
}

/**
 * Read the kerning of pairs over `alphabet` (single UTF-16 characters; `latin` says which are Latin letters) from a
 * fontkit font; undefined when the font has anything this does not read (then every pair goes through fontkit).
 */
export function readPairKerning(
  font: unknown,
  alphabet: readonly string[],
  latin: (ch: string) => boolean,
): PairAdvance | undefined {
  const tables = font as Partial<FontTables>;
  try {
    if (!tables.GSUB || !tables.GPOS || tables.GSUB.featureVariations || tables.GPOS.featureVariations)
      return undefined;
    if (tables._variationProcessor || typeof tables.glyphForCodePoint !== 'function') return undefined;
    const glyph = new Map(alphabet.map((ch) => [ch, tables.glyphForCodePoint!(ch.charCodeAt(0))]));
    const ids = [...new Set([...glyph.values()].map((g) => g.id))];
    const contexts = {
      latin: readContext(tables as FontTables, ['latn', ...DEFAULT_SCRIPTS], ids),
      common: readContext(tables as FontTables, DEFAULT_SCRIPTS, ids),
    };
    const marks = tables.GDEF?.glyphClassDef;
    // A glyph the font calls a mark gets its advance zeroed by fontkit's shaper.
    for (const id of ids)
      if (marks && classOf(id, marks) === 3) for (const context of Object.values(contexts)) context.unsafe.add(id);
    return (a, b, firstGlyph, secondGlyph) => {
      const first = glyph.get(a);
      const second = glyph.get(b);
      if (!first || !second || first.id !== firstGlyph || second.id !== secondGlyph) return undefined;
      const context = latin(a) || latin(b) ? contexts.latin : contexts.common;
      if (context.unsafe.has(first.id) || context.unsafe.has(second.id)) return undefined;
      if (context.ligatures.has(first.id * 65536 + second.id)) return undefined;
      try {
        return kernedAdvance(context, first.id, second.id, first.advanceWidth);
      } catch (err) {
        if (err instanceof UnreadableFontError) return undefined;
        throw err;
      }
    };
  } catch (err) {
    if (err instanceof UnreadableFontError) return undefined;
    throw err;
  }
}
