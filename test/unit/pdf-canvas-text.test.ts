/**
 * The reports' text outside tables (headings, paragraphs, facts, KPIs, status chips, legend and bars, chart titles,
 * axes and legends, footers) goes through the text cache (text-cache.ts drawText) and must come out as pdfkit's own
 * `text` and `heightOfString` wrote it: the same bytes, so the same text at the same places, the same structure
 * elements, outline entries and page breaks. The reference is the same canvas with its `text` and `measure` handed
 * to pdfkit. The texts are generated: Latvian letters, long text that wraps and runs onto new pages, line breaks,
 * empty strings, combining marks, in both faces and at every size and width the blocks use.
 */
import { createHash } from 'node:crypto';
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { STATUS_COLOURS, STATUSES } from '../../functions/core/report-types';
import type { Lang } from '../../functions/core/types';
import { drawBars, drawFacts, drawKpis, drawStatusChips, drawStatusLegend } from '../../functions/pdf/blocks';
import { chartTitleHeight, drawProgressChart, type ProgressChartSpec } from '../../functions/pdf/chart';
import { ReportCanvas } from '../../functions/pdf/document';
import type { TextOptions } from '../../functions/pdf/text-cache';
import { mulberry32 } from '../../sample/sample-projects';

/** The canvas as it was before the text cache drew running text: pdfkit wraps, measures and draws every text. */
class PdfkitCanvas extends ReportCanvas {
  override text(text: string, x: number, y: number, options: TextOptions = {}): this {
    this.doc.text(text, x, y, options);
    return this;
  }

  override measure(text: string, width: number, lineGap = 0): number {
    return this.doc.heightOfString(text, { width, lineGap });
  }
}

const WORDS = [
  'Dalībnieku',
  'skaits',
  'ĀČĒĢĪĶĻŅŠŪŽ',
  'āčēģīķļņšūž',
  'AV',
  'To',
  'W.',
  '12\u00a0345,67',
  'O.2.3.1',
  '2025-Q3',
  'e\u0301',
  '—',
  '“x”',
  'https://example.lv/a/b/c/d/e/f/g/h',
  'Nodarbinātības',
  'integrācijas',
];
const BREAKS = ['\n', '\n\n', '\r\n', '\u2028'];

function texts(seed: number, count: number, maxWords: number): string[] {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => {
    if (rng() < 0.08) return '';
    const n = 1 + Math.floor(rng() ** 2 * maxWords);
    let text = Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]!).join(' ');
    if (rng() < 0.25) {
      const at = Math.floor(rng() * text.length);
      text = `${text.slice(0, at)}${BREAKS[Math.floor(rng() * BREAKS.length)]!}${text.slice(at)}`;
    }
    return text;
  });
}

function chartSpec(name: string, lang: Lang, seed: number): ProgressChartSpec {
  const rng = mulberry32(seed);
  return {
    code: `O.${seed}.1`,
    name,
    unit: 'dalībnieki',
    start: '2023-01-01',
    end: '2026-12-31',
    baseline: 0,
    target: 100 + Math.floor(rng() * 900),
    milestone: { date: '2024-12-31', value: 50 + Math.floor(rng() * 200), missed: rng() < 0.5 },
    series: [
      { date: '2024-03-31', value: Math.floor(rng() * 100) },
      { date: '2024-06-30', value: 100 + Math.floor(rng() * 100) },
      { date: '2025-09-30', value: 200 + Math.floor(rng() * 400) },
    ],
    lang,
    labels: { plan: 'Plāns', actual: 'Faktiskais', milestone: 'Starpposma mērķis' },
  };
}

/** Every block of text the reports draw outside tables, with generated texts, twice over so pages break inside. */
async function render(Canvas: typeof ReportCanvas, seed: number, lang: Lang): Promise<Uint8Array> {
  const canvas = new Canvas({
    layout: seed % 2 ? 'landscape' : 'portrait',
    lang,
    title: 'Teksts',
    subject: 'Teksts',
    generatedAt: '2025-10-16T04:00:00.000Z',
  });
  const short = texts(seed, 40, 6);
  const long = texts(seed + 100, 12, 160);
  const rng = mulberry32(seed + 200);
  // The cover's kicker: spaced capitals.
  canvas.font(false, 8);
  canvas.tag('P', () =>
    canvas.text(short[31]!.toUpperCase(), canvas.left, canvas.top, { width: canvas.width, characterSpacing: 0.6 }),
  );
  canvas.y += 8;
  for (let round = 0; round < 2; round++) {
    canvas.sectionTitle(`${short[round]} ${long[round]!.slice(0, 120)}`);
    canvas.subTitle(short[2 + round]!);
    for (const text of long.slice(round * 4, round * 4 + 4)) {
      canvas.paragraph(text, { size: [7.5, 8, 9][Math.floor(rng() * 3)]!, bold: rng() < 0.3 });
      // Start the next text low on the page now and then: it runs onto the next page.
      if (rng() < 0.5) canvas.y = canvas.bottom - 12 - rng() * 30;
    }
    drawFacts(
      canvas,
      short.slice(0, 12).map((value, i) => ({
        label: short[(i + 7) % short.length]!,
        value: i % 5 === 4 ? long[i % long.length]!.slice(0, 400) : value,
        marker: i % 3 === 0 ? '1565C0' : undefined,
        bold: i % 4 === 0,
      })),
      { valueAlign: round ? 'right' : 'left', labelWidth: 90 + 60 * round, size: 8 + round },
    );
    drawKpis(
      canvas,
      short
        .slice(12, 16)
        .map((caption, i) => ({ caption, value: short[16 + i]!, note: i % 2 ? short[20 + i] : undefined })),
    );
    drawStatusChips(canvas, Object.fromEntries(STATUSES.map((s, i) => [s, i * 7 * (round + 1)])) as never);
    drawStatusLegend(canvas, short[24]!, long[8 + round]!.slice(0, 300));
    drawBars(canvas, [
      { label: short[25]!, ratio: 0.42, colour: '#1565C0' },
      { label: long[10]!.slice(0, 90), ratio: 1.3, colour: `#${STATUS_COLOURS['at-risk']}` },
      { label: short[26]!, ratio: Number.NaN, colour: '#2E7D32' },
    ]);
    const width = (canvas.width - 12) / 2;
    const specs = [chartSpec(long[11]!.slice(0, 160), lang, seed), chartSpec(short[27]!, lang, seed + 1)];
    const titleHeight = Math.max(...specs.map((s) => chartTitleHeight(canvas, s, width)));
    canvas.ensureSpace(titleHeight + 130);
    const y = canvas.y;
    specs.forEach((spec, i) => {
      drawProgressChart(canvas, spec, { x: canvas.left + i * (width + 12), y, width, titleHeight, plotHeight: 120 });
    });
    canvas.y = y + titleHeight + 130;
  }
  // A footer that fits and one long enough to be clipped with an ellipsis.
  canvas.writeFooters(seed % 2 ? short[30]! : long[0]!);
  return canvas.finish();
}

async function textItems(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocumentProxy(bytes.slice());
  const items: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const content = await (await pdf.getPage(p)).getTextContent();
    for (const item of content.items) {
      if (!('str' in item)) continue;
      const t = item.transform.map((n: number) => n.toFixed(3)).join(' ');
      items.push(`${p} ${t} ${item.width.toFixed(3)} ${item.str}`);
    }
  }
  return items;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('text outside tables through the text cache', () => {
  it.each([
    [1, 'lv'],
    [2, 'en'],
    [3, 'lv'],
  ] as const)(
    'writes the bytes pdfkit writes (seed %i, %s): text, places, tags, outline, page breaks',
    async (seed, lang) => {
      const expected = await render(PdfkitCanvas, seed, lang);
      const actual = await render(ReportCanvas, seed, lang);
      const pdf = await getDocumentProxy(expected.slice());
      expect(pdf.numPages, 'texts ran onto several pages').toBeGreaterThan(4);
      if (sha(actual) !== sha(expected)) expect(await textItems(actual)).toEqual(await textItems(expected));
      expect(sha(actual)).toBe(sha(expected));
    },
  );
});
