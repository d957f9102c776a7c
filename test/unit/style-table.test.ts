/**
 * The style table kept per process (`style-table.ts`) against exceljs's own table filled afresh: for generated
 * workbooks' sequences of styles and conditional-format styles (sharing beginnings, then parting; repeating styles;
 * styles alike but for the value type or the order of their keys), every number and the styles part must be
 * exceljs's.
 */
import StylesXform from 'exceljs/lib/xlsx/xform/style/styles-xform.js';
import { describe, expect, it } from 'vitest';
import { BulkCell, cellStyleIds, styleOf } from '../../functions/workbooks/bulk-rows';
import { StyleTable, styleKey } from '../../functions/workbooks/style-table';
import { mulberry32 } from '../../sample/sample-projects';

const FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' }, bgColor: { argb: 'FFD9E1F2' } };
const STYLES: object[] = [
  {},
  { numFmt: '#,##0' },
  { numFmt: '#,##0.00 "EUR"' },
  { numFmt: 'dd.mm.yyyy' },
  { font: { bold: true } },
  { font: { bold: true }, numFmt: '0.0%' },
  { numFmt: '0.0%', font: { bold: true } },
  { alignment: { wrapText: true, vertical: 'top' } },
  { alignment: { vertical: 'top', wrapText: true }, numFmt: '#,##0' },
  {
    font: { bold: true },
    fill: FILL,
    alignment: { wrapText: true, vertical: 'middle' },
    border: { bottom: { style: 'thin' } },
  },
  { font: { bold: true }, border: { top: { style: 'thin' } }, numFmt: '#,##0.00 "EUR"' },
];
const DXFS: object[] = [
  { fill: FILL, font: { bold: true, color: { argb: 'FF1A1A1A' } } },
  { fill: { ...FILL, fgColor: { argb: 'FFB9D1EC' } }, font: { bold: true } },
];
/** exceljs's value types a report's cells have: null, number, string, date. */
const TYPES = [0, 2, 3, 4];

type Call = { style: object; type: number } | { dxf: object };

/** A workbook's calls: a prefix from a few shared openings, then its own. */
function generatedCalls(seed: number): Call[] {
  const opening = mulberry32(seed % 3);
  const own = mulberry32(seed + 100);
  const call = (rng: () => number): Call =>
    rng() < 0.1
      ? { dxf: DXFS[Math.floor(rng() * DXFS.length)]! }
      : { style: STYLES[Math.floor(rng() * STYLES.length)]!, type: TYPES[Math.floor(rng() * TYPES.length)]! };
  const shared = Array.from({ length: 5 + (seed % 4) * 3 }, () => call(opening));
  return [...shared, ...Array.from({ length: Math.floor(own() * 15) }, () => call(own))];
}

/** Copies, as each workbook's cells give exceljs style objects of their own. */
const copy = (o: object): object => JSON.parse(JSON.stringify(o));

describe('style table kept per process', () => {
  it('numbers styles and renders the styles part as a fresh exceljs table, for workbooks sharing beginnings', () => {
    for (let round = 0; round < 2; round++) {
      for (let seed = 0; seed < 40; seed++) {
        const calls = generatedCalls(seed);
        const table = new StyleTable();
        const exceljs = new StylesXform(true);
        for (const c of calls) {
          if ('dxf' in c) expect(table.dxfId(copy(c.dxf))).toBe(exceljs.addDxfStyle(copy(c.dxf)));
          else expect(table.styleId(copy(c.style), c.type)).toBe(exceljs.addStyleModel(copy(c.style), c.type));
        }
        expect(table.xml).toBe(exceljs.xml);
      }
    }
  });

  it('renders the part of a workbook that stops where another went on', () => {
    const calls = generatedCalls(7);
    const longer = new StyleTable();
    for (const c of calls) if ('style' in c) longer.styleId(copy(c.style), c.type);
    expect(longer.xml).toContain('<cellXfs');
    const shorter = new StyleTable();
    const exceljs = new StylesXform(true);
    for (const c of calls.slice(0, 3)) {
      if ('style' in c)
        expect(shorter.styleId(copy(c.style), c.type)).toBe(exceljs.addStyleModel(copy(c.style), c.type));
      else expect(shorter.dxfId(copy(c.dxf))).toBe(exceljs.addDxfStyle(copy(c.dxf)));
    }
    expect(shorter.xml).toBe(exceljs.xml);
  });
});

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** Frozen all the way down, as the report's shared header and bulk-row style parts are. */
function deepFreeze<T extends object>(value: T): T {
  for (const part of Object.values(value)) if (typeof part === 'object' && part !== null) deepFreeze(part);
  return Object.freeze(value);
}

describe('style keys', () => {
  it('give unequal styles unequal keys and equal ones equal keys, frozen or not', () => {
    const variants = STYLES.flatMap((style) => [copy(style), deepFreeze(copy(style))]);
    for (const a of variants)
      for (const b of variants) {
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(styleKey(a) === styleKey(b), `${JSON.stringify(a)} / ${JSON.stringify(b)}`).toBe(same);
      }
  });

  it('remember only parts that can never change: a changed part, or a frozen one holding a changeable one, gets its new key', () => {
    const font: { bold: boolean; italic?: boolean } = { bold: true };
    const before = styleKey({ font });
    font.italic = true;
    expect(styleKey({ font })).not.toBe(before);
    const colour = { argb: 'FFD9E1F2' };
    const fill = Object.freeze({ type: 'pattern', pattern: 'solid', fgColor: colour });
    const first = styleKey({ fill });
    colour.argb = 'FF000000';
    expect(styleKey({ fill })).not.toBe(first);
    expect(styleKey({ fill })).toBe(styleKey({ fill: copy(fill) }));
  });
});

describe('cell style ids', () => {
  it('number cells as asking the table for every cell would, whether cells share style objects, copy them or differ', () => {
    const pools: Record<string, unknown[]> = {
      numFmt: [undefined, '#,##0', '0.0%', '#,##0.00 "EUR"'],
      font: [undefined, { bold: true }, { bold: true, color: { argb: 'FF1A1A1A' } }],
      alignment: [undefined, { wrapText: true, vertical: 'top' }, { vertical: 'middle' }],
      fill: [undefined, FILL, { ...FILL, fgColor: { argb: 'FFB9D1EC' } }],
      border: [undefined, { bottom: { style: 'thin' } }, { top: { style: 'thin' } }],
    };
    for (const pool of Object.values(pools)) for (const part of pool) if (isObject(part)) deepFreeze(part);
    for (const seed of [1, 2, 3, 4]) {
      const rng = mulberry32(seed);
      const cells = Array.from({ length: 400 }, (_, i) => {
        const cell = new BulkCell({ name: 'Izcelsme' }, 2 + Math.floor(i / 6), 1 + (i % 6));
        // Each part on its own: the same object as other cells', a copy of it, or none.
        for (const [name, pool] of Object.entries(pools)) {
          const part = pool[Math.floor(rng() * pool.length)];
          if (part === undefined) continue;
          (cell as unknown as Record<string, unknown>)[name] = isObject(part) && rng() < 0.3 ? copy(part) : part;
        }
        return { cell, type: TYPES[Math.floor(rng() * TYPES.length)]! };
      });
      const remembered = new StyleTable();
      const ids = cellStyleIds({
        sharedString: () => 0,
        styleId: (style, type, key) => remembered.styleId(style, type, key),
      });
      const everyCell = new StylesXform(true);
      for (const { cell, type } of cells)
        expect(ids(cell, type)).toBe(everyCell.addStyleModel(copy(styleOf(cell)), type));
      expect(remembered.xml).toBe(everyCell.xml);
    }
  });

  it('follow a frozen part that holds a changeable one when that one changes between workbooks', () => {
    const colour = { argb: 'FFD9E1F2' };
    const fill = Object.freeze({ type: 'pattern', pattern: 'solid', fgColor: colour, bgColor: colour });
    const font = deepFreeze({ bold: true });
    for (const argb of ['FFD9E1F2', 'FF00FF00', 'FFD9E1F2']) {
      colour.argb = argb;
      const remembered = new StyleTable();
      const ids = cellStyleIds({
        sharedString: () => 0,
        styleId: (style, type, key) => remembered.styleId(style, type, key),
      });
      const fresh = new StylesXform(true);
      for (let col = 1; col <= 3; col++) {
        const plain = new BulkCell({ name: 'Izcelsme' }, 2, col);
        const filled = Object.assign(new BulkCell({ name: 'Izcelsme' }, 3, col), { fill, font });
        for (const cell of [plain, filled]) expect(ids(cell, 3)).toBe(fresh.addStyleModel(copy(styleOf(cell)), 3));
      }
      expect(remembered.xml).toBe(fresh.xml);
      expect(remembered.xml).toContain(argb);
    }
  });
});
