/**
 * The style table kept per process (`style-table.ts`) against exceljs's own table filled afresh: for generated
 * workbooks' sequences of styles and conditional-format styles (sharing beginnings, then parting; repeating styles;
 * styles alike but for the value type or the order of their keys), every number and the styles part must be
 * exceljs's.
 */
import StylesXform from 'exceljs/lib/xlsx/xform/style/styles-xform.js';
import { describe, expect, it } from 'vitest';
import { StyleTable } from '../../functions/workbooks/style-table';
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
