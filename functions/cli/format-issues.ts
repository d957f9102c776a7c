import type { ValidationIssue } from '../core/types';

/** Issues as a plain-text table for the terminal: where, what, and both languages. */
export function formatIssueTable(issues: readonly ValidationIssue[]): string {
  if (issues.length === 0) return 'No issues. / Kļūdu nav.';
  const rows = issues.map((i) => [
    i.severity === 'error' ? 'KĻŪDA/ERROR' : 'BRĪDINĀJUMS/WARNING',
    i.sheet ? `${i.sheet}!${i.cell ?? ''}` : '(visa datne / whole file)',
    i.code,
    `${i.message.lv} / ${i.message.en}`,
    [
      i.found !== undefined ? `konstatēts/found: ${i.found}` : '',
      i.expected !== undefined ? `jābūt/expected: ${i.expected}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  ]);
  const header = ['Veids / Severity', 'Šūna / Cell', 'Kods / Code', 'Ziņojums / Message', 'Detaļas / Details'];
  const widths = header.map((h, c) =>
    Math.min(c === 3 ? 90 : 40, Math.max(h.length, ...rows.map((r) => r[c]!.length))),
  );
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
