/** The printed table: one line per figure, its goal beside it, and whether the goal is met. */
import type { Figure } from './context';

export function printTable(figures: readonly Figure[], machine: Record<string, string>): string {
  const header = ['Figure', 'Measured', 'Goal', ''];
  const rows = figures.map((f) => [f.name, f.value, f.goal ?? '', f.met === undefined ? '' : f.met ? 'met' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const out: string[] = [`Machine: ${Object.values(machine).join(', ')}`, ''];
  let section = '';
  for (const [i, f] of figures.entries()) {
    if (f.section !== section) {
      section = f.section;
      out.push('', `### ${section}`, line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    }
    out.push(line(rows[i]!));
  }
  return out.join('\n');
}
