/**
 * Our side of the rendering comparison, in a fresh process: `node table-pdf.js <rows.json> <out.pdf> <warm runs>`.
 * Draws the rows with the report table component on a plain A4 document; reports the first (cold) render and
 * the warm ones after it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { tuneTiering } from '../../functions/app/tiering';
import { ReportCanvas } from '../../functions/pdf/document';
import { drawTable } from '../../functions/pdf/table';
import { peakRssMb, reportResult } from '../lib/child';
import { type BenchTableRow, TABLE_COLUMNS } from '../lib/table-rows';

// V8's tiering as the product's entry points set it (functions/app/tiering.ts): the figures are of what users run.
tuneTiering();

export interface TablePdfResult {
  firstMs: number;
  warmMs: number[];
  bytes: number;
  pages: number;
  peakRssMb: number;
}

async function render(rows: readonly BenchTableRow[]): Promise<{ bytes: Uint8Array; pages: number }> {
  const canvas = new ReportCanvas({
    layout: 'portrait',
    lang: 'lv',
    title: 'Tabula',
    subject: 'pmif-reports bench',
    generatedAt: '2025-10-16T04:00:00.000Z',
  });
  drawTable(canvas, {
    columns: TABLE_COLUMNS.map((c) => ({
      header: c.header,
      width: c.width,
      ...(c.id === 'no' || c.id === 'value' ? { align: 'right' as const, fit: 'content' as const } : {}),
      cell: (row: BenchTableRow) => String(row[c.id]),
    })),
    rows,
  });
  const pages = canvas.doc.bufferedPageRange().count;
  return { bytes: await canvas.finish(), pages };
}

const [rowsFile, outFile, warm] = process.argv.slice(2);
if (!rowsFile || !outFile) throw new Error('usage: table-pdf.js <rows.json> <out.pdf> <warm runs>');
const rows = JSON.parse(await readFile(rowsFile, 'utf8')) as BenchTableRow[];
let start = performance.now();
const first = await render(rows);
const firstMs = performance.now() - start;
await writeFile(outFile, first.bytes);
const warmMs: number[] = [];
for (let i = 0; i < Number(warm ?? 0); i++) {
  start = performance.now();
  await render(rows);
  warmMs.push(performance.now() - start);
}
reportResult({
  firstMs,
  warmMs,
  bytes: first.bytes.byteLength,
  pages: first.pages,
  peakRssMb: peakRssMb(),
} satisfies TablePdfResult);
