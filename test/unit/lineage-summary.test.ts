/** The compact lineage: cells folded into column runs, grouped per figure, upload and sheet, nothing lost. */
import { describe, expect, it } from 'vitest';
import { compressCells, summariseLineage } from '../../functions/core/lineage-summary';
import type { LineageRow } from '../../functions/core/report-types';

/** Every single cell a list of refs (cells or one-column ranges) covers. */
function expand(refs: readonly string[]): string[] {
  return refs.flatMap((ref) => {
    const m = /^([A-Z]+)(\d+)(?::[A-Z]+(\d+))?$/.exec(ref)!;
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    return Array.from({ length: to - from + 1 }, (_, i) => `${m[1]}${from + i}`);
  });
}

/** A seeded pseudo-random generator, so the generated cases are the same every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe('compressCells', () => {
  it('folds consecutive rows of a column into runs and keeps single cells', () => {
    expect(compressCells(['A5', 'A6', 'A7', 'A9', 'B2', 'A8', 'A12'])).toEqual({
      ranges: ['A5:A9', 'A12', 'B2'],
      cells: 7,
    });
  });

  it('merges runs the model already folded, and overlapping ones, without counting a cell twice', () => {
    expect(compressCells(['A5:A9', 'A10', 'A8:A12', 'AA3', 'Z3'])).toEqual({
      ranges: ['A5:A12', 'Z3', 'AA3'],
      cells: 10,
    });
  });

  it('covers exactly the cells it was given, for generated scattered sets', () => {
    const next = random(42);
    for (let round = 0; round < 50; round++) {
      const cells = new Set<string>();
      const n = 1 + Math.floor(next() * 300);
      for (let i = 0; i < n; i++) cells.add(`${'ABC'[Math.floor(next() * 3)]}${2 + Math.floor(next() * 400)}`);
      const { ranges, cells: count } = compressCells([...cells]);
      expect(expand(ranges).sort()).toEqual([...cells].sort());
      expect(count).toBe(cells.size);
      // No two runs of a column touch: each run is as long as it can be.
      const ends = expand(ranges).length;
      expect(ends).toBe(cells.size);
    }
  });
});

describe('summariseLineage', () => {
  const base = { period: '2025-Q3', sha256: 'a'.repeat(64), uploadedAt: '2025-10-05T08:00:00.000Z', raw: '' };
  const row = (figure: string, key: string, sheet: string, cell: string): LineageRow => ({
    ...base,
    figure,
    sourceKey: key,
    sourceVersion: `v-${key}`,
    sha256: `${key.length}`.padStart(64, '0'),
    sheet,
    cell,
  });

  it('groups per figure, upload and sheet, numbers the uploads in order of first citation', () => {
    const summary = summariseLineage([
      row('O.2.3.1', 'inbox/p/q2.xlsx', 'Dalībnieki', 'A2:A9'),
      row('O.2.3.1', 'inbox/p/q3.xlsx', 'Dalībnieki', 'A2'),
      row('O.2.3.1', 'inbox/p/q3.xlsx', 'Dalībnieki', 'A4'),
      row('R.2.8', 'inbox/p/q3.xlsx', 'Dalībnieki', 'A4'),
      row('O.2.3.1', 'inbox/p/q2.xlsx', 'Dalībnieki', 'A10'),
    ]);
    expect(summary.sources.map((s) => [s.number, s.key])).toEqual([
      [1, 'inbox/p/q2.xlsx'],
      [2, 'inbox/p/q3.xlsx'],
    ]);
    expect(summary.groups.map((g) => [g.figure, g.source.number, g.ranges.join(' '), g.cells])).toEqual([
      ['O.2.3.1', 1, 'A2:A10', 9],
      ['O.2.3.1', 2, 'A2 A4', 2],
      ['R.2.8', 2, 'A4', 1],
    ]);
    expect(summary.cells).toBe(12);
  });

  it('names several uploads in one row when each gave the same cells to the same figure', () => {
    const summary = summariseLineage([
      row('finance:Personāls', 'inbox/p/q1.xlsx', 'Izdevumi', 'B2'),
      row('finance:Personāls', 'inbox/p/q2.xlsx', 'Izdevumi', 'B2'),
      row('finance:Personāls', 'inbox/p/q3.xlsx', 'Izdevumi', 'B3'),
    ]);
    expect(summary.groups.map((g) => [g.sources.map((s) => s.number), g.ranges.join(' '), g.cells])).toEqual([
      [[1, 2], 'B2', 2],
      [[3], 'B3', 1],
    ]);
  });
});
