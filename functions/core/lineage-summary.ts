/**
 * The compact lineage a PDF prints (docs/architecture.md §6): per figure and source upload, which sheet and cell ranges it came
 * from and how many cells, instead of one line per cell. A person count cites its participant rows as ranges
 * (`A5:A40, A42:A97`). The cell-level list stays in the XLSX lineage sheet and in the revision's records.
 */
import type { LineageRow } from './report-types';

/** One source upload the lineage cites. */
export interface LineageSource {
  /** 1-based, in order of first citation: how the figure rows refer to it. */
  number: number;
  key: string;
  version: string;
  sha256: string;
  uploadedAt: string;
  /** The period the upload reports. */
  period: string;
}

/**
 * One figure's cells from one sheet of one upload — or of several uploads when each gave the same cells (a cost
 * category in B2 of every quarter's workbook), so the row names them all at once.
 */
export interface LineageGroup {
  figure: string;
  period: string;
  /** The first upload; {@link LineageGroup.sources} has them all. */
  source: LineageSource;
  sources: LineageSource[];
  sheet: string;
  /** Column runs, `D5:D9`, or single cells, `C3`, in column then row order. */
  ranges: string[];
  /** Number of cells the ranges cover, over all the group's uploads. */
  cells: number;
}

export interface LineageSummary {
  sources: LineageSource[];
  groups: LineageGroup[];
  /** Cells in all, as in the cell-level lineage. */
  cells: number;
}

interface Span {
  column: string;
  from: number;
  to: number;
}

/** `D5` or `D5:D9` → its column and rows; null for anything else (a multi-column range is kept as written). */
function spanOf(cell: string): Span | null {
  const m = /^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$/.exec(cell);
  if (!m || (m[3] !== undefined && m[3] !== m[1])) return null;
  const from = Number(m[2]);
  const to = m[4] === undefined ? from : Number(m[4]);
  return { column: m[1]!, from: Math.min(from, to), to: Math.max(from, to) };
}

function columnOrder(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Cells → the fewest column runs covering exactly them, and how many cells they are. */
export function compressCells(cells: readonly string[]): { ranges: string[]; cells: number } {
  const spans: Span[] = [];
  const other = new Set<string>();
  for (const cell of cells) {
    const span = spanOf(cell);
    if (span) spans.push(span);
    else other.add(cell);
  }
  spans.sort((a, b) => columnOrder(a.column, b.column) || a.from - b.from || a.to - b.to);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged.at(-1);
    if (last && last.column === s.column && s.from <= last.to + 1) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  const ranges = merged.map((s) =>
    s.from === s.to ? `${s.column}${s.from}` : `${s.column}${s.from}:${s.column}${s.to}`,
  );
  const count = merged.reduce((n, s) => n + s.to - s.from + 1, 0) + other.size;
  return { ranges: [...ranges, ...[...other].sort()], cells: count };
}

interface CellGroup {
  figure: string;
  period: string;
  source: LineageSource;
  sheet: string;
  cells: string[];
}

/** `map`'s entry for `key`, made by `make` if there is none. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * Group cell-level lineage rows per figure, upload and sheet, in the order the figures first appear. The groups are
 * found through maps nested per field (upload key, version; figure, upload, sheet) rather than one key joined from
 * the fields per row: a report's thousand rows each built and hashed two joined strings, a millisecond a PDF.
 */
export function summariseLineage(rows: readonly LineageRow[]): LineageSummary {
  const sources: LineageSource[] = [];
  const sourceByKey = new Map<string, Map<string, LineageSource>>();
  const groups: CellGroup[] = [];
  const groupByFigure = new Map<string, Map<LineageSource, Map<string, CellGroup>>>();
  for (const row of rows) {
    const versions = entry(sourceByKey, row.sourceKey, () => new Map<string, LineageSource>());
    const source = entry(versions, row.sourceVersion, () => {
      const made: LineageSource = {
        number: sources.length + 1,
        key: row.sourceKey,
        version: row.sourceVersion,
        sha256: row.sha256,
        uploadedAt: row.uploadedAt,
        period: row.period,
      };
      sources.push(made);
      return made;
    });
    const bySource = entry(groupByFigure, row.figure, () => new Map<LineageSource, Map<string, CellGroup>>());
    const bySheet = entry(bySource, source, () => new Map<string, CellGroup>());
    const group = entry(bySheet, row.sheet, () => {
      const made: CellGroup = { figure: row.figure, period: row.period, source, sheet: row.sheet, cells: [] };
      groups.push(made);
      return made;
    });
    group.cells.push(row.cell);
  }
  const out: LineageGroup[] = [];
  const same = new Map<string, LineageGroup>();
  for (const { cells, ...g } of groups) {
    const compressed = compressCells(cells);
    const id = `${g.figure}\n${g.sheet}\n${compressed.ranges.join(',')}`;
    const earlier = same.get(id);
    if (earlier) {
      earlier.sources.push(g.source);
      earlier.cells += compressed.cells;
      continue;
    }
    const group: LineageGroup = { ...g, sources: [g.source], ...compressed };
    same.set(id, group);
    out.push(group);
  }
  return { sources, groups: out, cells: out.reduce((n, g) => n + g.cells, 0) };
}
