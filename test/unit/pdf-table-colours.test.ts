/**
 * A table sets each text colour only when it changes (table.ts): every line of text must still be drawn in its
 * cell's colour, after zebra stripes, cell fills, header strips, status markers, muted notes and page breaks (a new
 * page starts black). The page content is read back: the fill colour in force at each text-showing operator, with
 * q/Q restoring it, against the colours the cells ask for, in drawing order.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReportCanvas } from '../../functions/pdf/document';
import { type CellContent, drawTable } from '../../functions/pdf/table';
import { COLOURS, hex } from '../../functions/pdf/theme';
import { mulberry32 } from '../../sample/sample-projects';

const PALETTE = ['#1A1A1A', '#B00020', '#FFFFFF', '#1F3864', '#2E7D32'];
const FILLS = ['#FFE0B2', '#C62828', '#E3F2FD'];
const WORDS = ['Dalībnieki', 'O.2.3.1', '12\u00a0345,67', 'pabeidza', 'kursus', 'Daugavpilī', '2025-Q3'];

interface Row {
  cells: CellContent[];
}

function rows(seed: number): Row[] {
  const rng = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  return Array.from({ length: 150 }, () => ({
    cells: Array.from({ length: 4 }, (): CellContent => {
      const words = rng() < 0.15 ? 25 : 1 + Math.floor(rng() * 3);
      const text = rng() < 0.05 ? '' : Array.from({ length: words }, () => pick(WORDS)).join(' ');
      return {
        text,
        ...(rng() < 0.4 ? { color: pick(PALETTE) } : {}),
        ...(rng() < 0.2 ? { fill: pick(FILLS) } : {}),
        ...(rng() < 0.15 ? { marker: pick(FILLS) } : {}),
        ...(rng() < 0.1 ? { note: 'piezīme' } : {}),
        ...(rng() < 0.2 ? { bold: true } : {}),
      };
    }),
  }));
}

/** `r g b` as pdfkit writes a colour (0–1, six decimals) back to `#RRGGBB`. */
function toHex(parts: string[]): string {
  return `#${parts
    .map((p) =>
      Math.round(Number(p) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`.toUpperCase();
}

/** The fill colour in force at every text-showing operator, page by page (each page starts black). */
function textColours(pdf: Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!content.includes(' Tf')) continue; // not page content (fonts, ICC profile, XMP)
    const stack: string[] = [];
    let colour = '#000000';
    for (const line of content.split('\n')) {
      const scn = /^([\d.]+) ([\d.]+) ([\d.]+) (scn|rg)$/.exec(line);
      if (scn) colour = toHex(scn.slice(1, 4));
      else if (line === 'q') stack.push(colour);
      else if (line === 'Q') colour = stack.pop() ?? colour;
      else if (/(TJ|Tj)$/.test(line)) out.push(colour);
    }
  }
  return out;
}

/** Drop repeats: how many lines a cell wraps to does not matter, only the colour order. */
function runs(list: readonly string[]): string[] {
  return list.filter((c, i) => i === 0 || c !== list[i - 1]);
}

describe('table text colours', () => {
  for (const seed of [1, 2, 3]) {
    it(`draws every cell's text in its colour, across fills, notes and pages (seed ${seed})`, async () => {
      const data = rows(seed);
      const canvas = new ReportCanvas({
        layout: 'portrait',
        lang: 'lv',
        title: 'Tabula',
        subject: 'colours',
        generatedAt: '2025-10-16T04:00:00.000Z',
      });
      const headers = ['A', 'B', 'C', 'D'];
      drawTable(canvas, {
        columns: headers.map((header, i) => ({ header, cell: (r: Row) => r.cells[i]! })),
        rows: data,
      });
      const pages = canvas.doc.bufferedPageRange().count;
      const bytes = await canvas.finish();
      expect(pages).toBeGreaterThan(2);
      // What the cells ask for, in drawing order: the header (on each page), then each row's texts and notes.
      const perRow = (r: Row): string[] =>
        r.cells.flatMap((c) => [
          ...(c.text ? [c.color ? hex(c.color) : COLOURS.text] : []),
          ...(c.note ? [COLOURS.muted] : []),
        ]);
      const actual = runs(textColours(bytes));
      const expected = runs(data.flatMap(perRow).map((c) => c.toUpperCase()));
      // Header rows (heading colour) interleave at page breaks; leave them out of both sides.
      const heading = COLOURS.heading.toUpperCase();
      expect(runs(actual.filter((c) => c !== heading))).toEqual(runs(expected.filter((c) => c !== heading)));
      expect(actual[0]).toBe(heading);
    });
  }
});
