/**
 * Total rows (docs/architecture.md §4.2): coordinators end a list with "Kopā" and a SUM, as every spreadsheet habit
 * teaches. A total is not data: counted, it doubles the spend. It is recognised, skipped, and checked against the rows
 * above.
 */
import { columnLetter } from '../core/cells';
import { formatAmount, formatForBoth, formatNumber } from '../core/format';
import { issue } from '../core/issue-codes';
import type { Lang, ValidationIssue } from '../core/types';

/** Labels that mark a total, compared without case, diacritics, outer spaces or a trailing colon. */
const TOTAL_WORDS = ['kopa', 'pavisam', 'summa', 'total'];

/** Lower case, no diacritics, trimmed, no trailing colon: `  KOPĀ: ` → `kopa`. */
export function foldLabel(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim().replace(/\s*:$/u, '');
}

/** Is, or starts with, a total word as a word of its own: "Kopā", "Kopā izdevumi:", "Total", not "Totalitārs". */
export function isTotalLabel(text: string): boolean {
  const folded = foldLabel(text);
  return TOTAL_WORDS.some(
    (w) => folded === w || (folded.startsWith(w) && /^[^\p{L}\p{N}]/u.test(folded.slice(w.length))),
  );
}

/**
 * A SUM over cells of the same column above this row: `SUM(B2:B9)`, `=SUM($B$2:$B9)`, `SUBTOTAL(9,B2:B9)`.
 * Anything else in a formula is a value like any other.
 */
export function isSumAbove(formula: string | undefined, row: number, column: number): boolean {
  if (!formula) return false;
  const m =
    /^=?\s*(?:SUM|SUBTOTAL\(\s*(?:9|109)\s*,)\s*\(?\s*\$?([A-Z]{1,3})\$?(\d+)\s*:\s*\$?([A-Z]{1,3})\$?(\d+)\s*\)\s*\)?\s*$/i.exec(
      formula.trim(),
    );
  if (!m) return false;
  const letter = columnLetter(column);
  const [from, to] = [Number(m[2]), Number(m[4])];
  return m[1]!.toUpperCase() === letter && m[3]!.toUpperCase() === letter && from < row && to < row && from <= to;
}

/**
 * The warning for a total that differs from its rows, naming both numbers in the message itself (reports show a
 * warning's message, not its found/expected).
 */
export function totalMismatchIssue(
  where: { sheet: string; cell: string },
  total: number,
  rows: number,
  money: boolean,
): ValidationIssue {
  const show = (n: number, lang: Lang) => (money ? formatAmount(n, lang) : formatNumber(n, lang, 0, 2));
  const base = issue('total-row-mismatch', 'warning', where, {
    found: formatForBoth(total, show),
    expected: formatForBoth(rows, show),
  });
  return {
    ...base,
    message: {
      lv: `${base.message.lv} Kopsumma ${show(total, 'lv')}, rindu summa ${show(rows, 'lv')}.`,
      en: `${base.message.en} Total ${show(total, 'en')}, sum of the rows ${show(rows, 'en')}.`,
    },
  };
}

/**
 * Running sums of the data rows, for checking totals: against all rows above, or (a subtotal) the rows since the
 * previous total. Kept in integer units (cents for money) so a correct total compares equal.
 */
export class TotalChecker {
  private all = 0;
  private section = 0;

  add(units: number): void {
    this.all += units;
    this.section += units;
  }

  /** Does a total of `units` agree with the rows above it? Starts a new section either way. */
  agrees(units: number): { ok: boolean; rows: number } {
    const ok = units === this.all || units === this.section;
    const rows = this.all;
    this.section = 0;
    return { ok, rows };
  }
}
