/**
 * A table measured for its heading's keep height (tableKeepHeight) is drawn from that layout, not measured again
 * (table.ts): each cell is asked for once, and the document is the same bytes as when the table is laid out afresh
 * for drawing. Generated tables: wrapped, bold and noted cells, page breaks, keep-together or not, a heading
 * drawn between measuring and drawing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReportCanvas } from '../../functions/pdf/document';
import { type CellContent, drawTable, type TableOptions, tableKeepHeight } from '../../functions/pdf/table';
import { mulberry32 } from '../../sample/sample-projects';

const WORDS = ['Dalībnieki', 'O.2.3.1', '12\u00a0345,67', 'pabeidza', 'kursus', 'Daugavpilī', '2025-Q3', 'ā'];

function tables(seed: number): { table: TableOptions<CellContent[]>; asked: { count: number } }[] {
  const rng = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  return Array.from({ length: 4 }, () => {
    const columns = 2 + Math.floor(rng() * 5);
    const rows = Array.from({ length: 1 + Math.floor(rng() * 80) }, () =>
      Array.from({ length: columns }, (): CellContent => {
        const words = rng() < 0.15 ? 20 : 1 + Math.floor(rng() * 3);
        return {
          text: Array.from({ length: words }, () => pick(WORDS)).join(' '),
          ...(rng() < 0.2 ? { bold: true } : {}),
          ...(rng() < 0.1 ? { note: 'piezīme' } : {}),
        };
      }),
    );
    const asked = { count: 0 };
    const table: TableOptions<CellContent[]> = {
      columns: Array.from({ length: columns }, (_, i) => ({
        header: `${pick(WORDS)} ${i}`,
        cell: (r: CellContent[]) => {
          asked.count++;
          return r[i]!;
        },
      })),
      rows,
      keepTogether: rng() < 0.5,
    };
    return { table, asked };
  });
}

async function render(seed: number, fresh: boolean): Promise<{ sha: string; asked: number[]; rows: number[] }> {
  const canvas = new ReportCanvas({
    layout: 'portrait',
    lang: 'lv',
    title: 'Tabulas',
    subject: 'tests',
    generatedAt: '2025-10-16T04:00:00.000Z',
  });
  const made = tables(seed);
  for (const { table } of made) {
    canvas.sectionTitle('Virsraksts ar ā', tableKeepHeight(canvas, table));
    // A copy of the options is laid out afresh: what drawing did before it took the kept layout.
    drawTable(canvas, fresh ? { ...table } : table);
  }
  const bytes = await canvas.finish();
  return {
    sha: createHash('sha256').update(bytes).digest('hex'),
    asked: made.map((m) => m.asked.count),
    rows: made.map((m) => m.table.rows.length * m.table.columns.length),
  };
}

describe('a table measured for its keep height', () => {
  for (const seed of [1, 2, 3]) {
    it(`is drawn from that layout, the same bytes as laid out again (seed ${seed})`, async () => {
      const kept = await render(seed, false);
      const fresh = await render(seed, true);
      expect(kept.asked).toEqual(kept.rows);
      expect(fresh.asked).toEqual(fresh.rows.map((n) => 2 * n));
      expect(kept.sha).toBe(fresh.sha);
    });
  }
});
