/**
 * Expenditure maps to the budget (docs/architecture.md §4.2): a cost category is one of the project's budget lines,
 * matched without regard to case, spaces or diacritics. Money under any other name would vanish from the report, which
 * shows budget lines only, so such a row is refused, naming the closest lines.
 */
import { foldLabel } from './total-rows';

/** The comparison form of a category: folded like a label, with every space removed. */
function key(text: string): string {
  return foldLabel(text).replace(/[\s\p{P}]+/gu, '');
}

/** Edit distance between two short strings (categories are a few dozen characters). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(row[j - 1]! + 1, previous[j]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

export type BudgetMatch = { line: string } | { line: null; closest: string[] };

/** The budget line a written category means, or the (up to three) closest lines when it means none. */
export function matchBudgetLine(category: string, lines: readonly string[]): BudgetMatch {
  const wanted = key(category);
  const hit = lines.find((l) => key(l) === wanted);
  if (hit !== undefined) return { line: hit };
  const closest = [...lines]
    .map((l) => ({ l, d: distance(key(l), wanted) }))
    .sort((a, b) => a.d - b.d || a.l.localeCompare(b.l))
    .slice(0, 3)
    .map((x) => x.l);
  return { line: null, closest };
}
