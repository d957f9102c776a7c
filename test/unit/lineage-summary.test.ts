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

  it('keeps each generated row in the group of its figure, upload (key and version) and sheet, in first-seen order', () => {
    const rng = random(7);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
    for (let round = 0; round < 20; round++) {
      // Fields that a joined key would confuse: a key ending as another's version begins, line feeds, empty ones.
      const keys = ['inbox/p/q1.xlsx', 'inbox/p/q1.xlsx\nv', 'inbox/p', '', 'Dalībnieki'];
      const rows: LineageRow[] = Array.from({ length: 1 + Math.floor(rng() * 300) }, () => ({
        ...base,
        figure: pick(['O.2.3.1', 'R.2.8', 'finance:Personāls', 'O.2.3.1\ninbox/p']),
        sourceKey: pick(keys),
        sourceVersion: pick(['v1', 'v', 'v\nv1']),
        sheet: pick(['Dalībnieki', 'Izdevumi', 'v1']),
        cell: `${pick(['A', 'B', 'AA'])}${1 + Math.floor(rng() * 40)}`,
      }));
      // The reference: upload and group found by comparing every field, the slow plain way.
      const uploads: LineageRow[] = [];
      const groups: LineageRow[][] = [];
      for (const r of rows) {
        if (!uploads.some((u) => u.sourceKey === r.sourceKey && u.sourceVersion === r.sourceVersion)) uploads.push(r);
        const group = groups.find(
          (g) =>
            g[0]!.figure === r.figure &&
            g[0]!.sourceKey === r.sourceKey &&
            g[0]!.sourceVersion === r.sourceVersion &&
            g[0]!.sheet === r.sheet,
        );
        if (group) group.push(r);
        else groups.push([r]);
      }
      const summary = summariseLineage(rows);
      expect(summary.sources.map((s) => [s.key, s.version])).toEqual(
        uploads.map((u) => [u.sourceKey, u.sourceVersion]),
      );
      // Each summary row covers the cells of the reference groups it names (one per upload), in their order.
      const covered = summary.groups.flatMap((g) =>
        g.sources.map((s) => [g.figure, s.key, s.version, g.sheet, expand(g.ranges).sort().join(' ')]),
      );
      const expected = groups.map((g) => [
        g[0]!.figure,
        g[0]!.sourceKey,
        g[0]!.sourceVersion,
        g[0]!.sheet,
        [...new Set(g.map((r) => r.cell))].sort().join(' '),
      ]);
      expect([...covered].sort()).toEqual([...expected].sort());
      // Summary rows come in the order their first group was first seen.
      const firstSeen = summary.groups.map((g) =>
        groups.findIndex(
          (r) =>
            r[0]!.figure === g.figure &&
            r[0]!.sourceKey === g.source.key &&
            r[0]!.sourceVersion === g.source.version &&
            r[0]!.sheet === g.sheet,
        ),
      );
      expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
      expect(firstSeen).not.toContain(-1);
    }
  });
});
