/**
 * The layout's measures are remembered per process (a text by itself and its weight, a number by its format and
 * value, a date by its format, a text's lines by column width and weight). A memo keyed on less than what decides
 * a measure would give a cell the width or lines of another measured before it: so the same generated cells,
 * measured in two fresh copies of the module in opposite orders, must measure the same, and each thing that
 * decides a measure must still change it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { LaidOutCell } from '../../functions/workbooks/fit-layout';
import { mulberry32 } from '../../sample/sample-projects';

type FitLayout = typeof import('../../functions/workbooks/fit-layout');

async function freshModule(): Promise<FitLayout> {
  vi.resetModules();
  return import('../../functions/workbooks/fit-layout');
}

const TEXTS = [
  'Izcelsme',
  'PMIF-2024-001',
  'ā č ē ģ ī ķ ļ ņ š ū ž',
  'two\nlines here',
  'iiii',
  'WWWW',
  'a b c d e f g',
  // Longer than the texts remembered: measured each time.
  `${'Projekta īstenošanas gaitā sasniegtie rezultāti '.repeat(8)}\nun nākamie soļi`,
];
const FORMATS = [undefined, '#,##0', '#,##0.00', '0.0%', '#,##0.00 "EUR"', 'dd.mm.yyyy', 'dd.mm.yyyy hh:mm:ss'];

function generatedCells(seed: number, count: number): LaidOutCell[] {
  const rng = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(rng() * items.length)]!;
  return Array.from({ length: count }, () => {
    const kind = Math.floor(rng() * 3);
    const value =
      kind === 0
        ? pick(TEXTS)
        : kind === 1
          ? pick([0, 7, 1234.5, -98765.4321, 0.125, 1e6, 42])
          : new Date(Date.UTC(2025, Math.floor(rng() * 12), 1 + Math.floor(rng() * 28)));
    return { value, numFmt: pick(FORMATS), font: rng() < 0.5 ? { bold: true } : undefined };
  });
}

describe('fit layout measures', () => {
  it('measure every cell the same whatever was measured before it (widths and wrapped lines)', async () => {
    const cells = generatedCells(3, 400);
    const widths = [6, 10.5, 14, 30];
    const measure = (fit: FitLayout, order: number[]) => {
      const out = new Map<number, unknown>();
      for (const i of order) {
        const cell = cells[i]!;
        out.set(i, [fit.shownUnits(cell), ...widths.map((w) => fit.cellLines(cell, w))]);
      }
      return [...out].sort((a, b) => a[0] - b[0]);
    };
    const order = cells.map((_, i) => i);
    const forward = measure(await freshModule(), order);
    const backward = measure(await freshModule(), [...order].reverse());
    expect(forward).toEqual(backward);
  });

  it('let each thing that decides a measure change it: weight, number format, value, date format, width', async () => {
    const fit = await freshModule();
    const text = 'Projekta kopsavilkums ar garu nosaukumu';
    expect(fit.shownUnits({ value: text, font: { bold: true } })).toBeGreaterThan(fit.shownUnits({ value: text }));
    const amount = 1234.5;
    expect(fit.shownUnits({ value: amount, numFmt: '#,##0.00 "EUR"' })).toBeGreaterThan(
      fit.shownUnits({ value: amount, numFmt: '#,##0' }),
    );
    expect(fit.shownUnits({ value: 123456, numFmt: '#,##0' })).toBeGreaterThan(
      fit.shownUnits({ value: 12, numFmt: '#,##0' }),
    );
    const day = new Date(Date.UTC(2025, 0, 1));
    expect(fit.shownUnits({ value: day, numFmt: 'dd.mm.yyyy hh:mm:ss' })).toBeGreaterThan(
      fit.shownUnits({ value: day, numFmt: 'dd.mm.yyyy' }),
    );
    expect(fit.cellLines({ value: text }, 8)).toBeGreaterThan(fit.cellLines({ value: text }, 40));
    const long = 'WWWW '.repeat(10);
    expect(fit.cellLines({ value: long, font: { bold: true } }, 20)).toBeGreaterThanOrEqual(
      fit.cellLines({ value: long }, 20),
    );
    // The widest line of a text with line breaks, not the whole text.
    expect(fit.shownUnits({ value: 'short\nWWWWWWWWWW' })).toBe(fit.shownUnits({ value: 'WWWWWWWWWW' }));
  });
});
