/**
 * PDF renderers, tested by content: the text is extracted back with pdf.js (unpdf) and checked for what a reader
 * and an auditor rely on — names with Latvian diacritics, formatted figures, page numbering, repeated table headers,
 * and byte-identical output for the same input.
 */
import { createHash } from 'node:crypto';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAmount, formatPercent, formatQuantity } from '../../functions/core/format';
import { STATUS_LABELS, STATUSES } from '../../functions/core/report-types';
import { COVER_PROJECTS, renderProgrammePdf } from '../../functions/pdf/render-programme-pdf';
import { renderProjectPdf } from '../../functions/pdf/render-project-pdf';
import { sampleProgrammeReport, sampleProjectReport } from '../fixtures/report-models';

interface Extracted {
  pages: string[];
  all: string;
  info: Record<string, unknown>;
}

/** Whitespace (line breaks from wrapping, no-break spaces in numbers) folded to single spaces. */
function normalise(text: string): string {
  return text.replace(/[\s\u00a0\u202f]+/g, ' ');
}

async function extract(bytes: Uint8Array): Promise<Extracted> {
  // pdf.js may transfer (detach) the buffer it is given; keep the caller's bytes intact.
  const pdf = await getDocumentProxy(bytes.slice());
  const { text } = await extractText(pdf, { mergePages: false });
  const pages = text.map(normalise);
  const { info } = await pdf.getMetadata();
  return { pages, all: pages.join(' '), info: info as Record<string, unknown> };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('renderProjectPdf', () => {
  const model = sampleProjectReport();
  let lvBytes: Uint8Array;
  let lv: Extracted;
  let en: Extracted;

  beforeAll(async () => {
    lvBytes = await renderProjectPdf(model, 'lv');
    lv = await extract(lvBytes);
    en = await extract(await renderProjectPdf(model, 'en'));
  });

  it('is a PDF', () => {
    expect(new TextDecoder().decode(lvBytes.slice(0, 5))).toBe('%PDF-');
  });

  it('prints every Latvian indicator name exactly, diacritics included', () => {
    expect(lv.all).toContain('Dalībnieku skaits valodu kursos kopā');
    for (const row of model.indicators) expect(lv.all).toContain(normalise(row.name.lv));
  });

  it('prints the period, as a label and as a key', () => {
    expect(lv.all).toContain('2025. gada 2. ceturksnis');
    expect(lv.all).toContain('01.04.2025–30.06.2025');
    expect(lv.pages[0]).toContain('2025-Q2');
  });

  it("prints every indicator's cumulative value, formatted the Latvian way, in its column", () => {
    const f = (n: number | null): string => normalise(formatQuantity(n, 'lv'));
    const indicatorPage = lv.pages.find((p) => p.includes('Prognoze')) ?? '';
    for (const row of model.indicators) {
      // Baseline, target, this period, cumulative, % of target: in this order, on the indicator's row.
      const pct = row.achievement === null ? '—' : normalise(formatPercent(row.achievement, 'lv'));
      expect(indicatorPage).toContain(
        `${f(row.baseline)} ${f(row.target)} ${f(row.thisPeriod)} ${f(row.cumulative)} ${pct}`,
      );
    }
    // Four-digit numbers are grouped in Latvian (2 124, not 2124 or 2,124).
    expect(indicatorPage).toContain(' 2 124 ');
    expect(lv.all).not.toMatch(/\b2124\b|2,124/);
  });

  it('numbers every page "Lapa X no N" with the right N', () => {
    const n = lv.pages.length;
    expect(n).toBeGreaterThan(3);
    lv.pages.forEach((page, i) => {
      expect(page).toContain(`Lapa ${i + 1} no ${n}`);
    });
    expect(lv.all).not.toContain(`no ${n + 1}`);
  });

  it('puts the project id and period in every footer', () => {
    for (const page of lv.pages) expect(page).toContain('valodas-kursi-2023 · 2025-Q2 · r1');
  });

  it('shows the status labels and the milestone footnote', () => {
    for (const status of STATUSES) expect(lv.all).toContain(STATUS_LABELS[status].lv);
    expect(lv.all).toContain('R.2.9 *');
    // The footnote gives the value when the milestone fell due (2024-Q4), not today's.
    const due = model.indicators.find((r) => r.code === 'R.2.9')!.series.find((p) => p.period === '2024-Q4')!;
    expect(lv.all).toContain(
      `starpposma vērtība 1 000 līdz 31.12.2024 nav sasniegta noteiktajā datumā (31.12.2024 kumulatīvi ${due.cumulative}).`,
    );
  });

  it('shows finance with two-decimal amounts and the totals', () => {
    expect(lv.all).toContain(normalise(formatAmount(model.finance.spentCumulative, 'lv')));
    expect(lv.all).toContain('2 760 000,00');
    expect(lv.all).toContain('Personāla izmaksas');
  });

  it('shows the narrative and the warnings with their cells', () => {
    expect(lv.all).toContain(normalise(model.narrative!.achievements));
    expect(lv.all).toContain('Rādītāji!C3');
    expect(lv.all).toContain('Dalībnieki!D57');
    expect(lv.all).toContain(normalise(model.warnings[0]!.message.lv));
  });

  it('prints a compact lineage appendix: per figure and upload, its sheet, cell ranges, cell count and SHA-256', () => {
    const first = lv.pages.findIndex((p) => p.includes('Pielikums. Datu izcelsme'));
    expect(first).toBeGreaterThan(0);
    const appendix = lv.pages.slice(first).join(' ');
    // Grouped here independently of the renderer: figure × upload × sheet → its cells.
    const groups = new Map<string, { sha256: string; cells: number; key: string }>();
    for (const row of model.lineage) {
      const id = `${row.figure}|${row.sourceKey}|${row.sheet}`;
      const [from, to] = row.cell.split(':').map((c) => Number(c.replace(/^[A-Z]+/, '')));
      const n = to === undefined ? 1 : to - from! + 1;
      const g = groups.get(id) ?? { sha256: row.sha256, cells: 0, key: row.sourceKey };
      g.cells += n;
      groups.set(id, g);
    }
    // One row per group: far fewer lines than cells, each upload's SHA-256 and full key in the sources table.
    expect(groups.size).toBeLessThan(model.lineage.length);
    for (const g of groups.values()) {
      expect(appendix).toContain(g.key.slice(g.key.lastIndexOf('/') + 1));
      // The full hash wraps inside its column; compare without the line break.
      expect(appendix.replace(/ /g, '')).toContain(g.sha256);
    }
    // Participant rows are cited as runs of rows, never one line per person; the cells in all are counted.
    const participants = model.lineage.filter((r) => r.sheet === 'Dalībnieki');
    expect(participants.length).toBeGreaterThan(0);
    expect(appendix).toMatch(/Dalībnieki A\d+:A\d+/);
    const total = [...groups.values()].reduce((n, g) => n + g.cells, 0);
    expect(appendix).toContain(`kopā ${normalise(formatQuantity(total, 'lv'))}`);
    // It says where the cell-level lineage is.
    expect(appendix).toContain('„Izcelsme”');
    expect(appendix).toContain('manifest.json');
    // Every page of the appendix repeats its table's header.
    for (const page of lv.pages.slice(first)) expect(page).toMatch(/Skaitlis Avots Lapa Šūnas|Nr\. Datne Periods/);
  });

  it('renders the English report with English labels', () => {
    const n = en.pages.length;
    expect(en.pages[0]).toContain('Progress report');
    expect(en.pages[0]).toContain('Q2 2025');
    en.pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${n}`);
    });
    expect(en.all).toContain('Number of participants in a language course');
    expect(en.all).toContain('Appendix. Data lineage');
    expect(en.all).toContain(' 2,124 ');
    expect(en.all).toContain('1,799,919.98');
    for (const status of STATUSES) expect(en.all).toContain(STATUS_LABELS[status].en);
    expect(en.all).not.toContain('Lapa ');
    expect(en.all).not.toContain('Progresa pārskats');
  });

  it('never prints a placeholder for missing values', () => {
    for (const text of [lv.all, en.all]) {
      expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|Infinity|\[object/);
    }
  });

  it('gives byte-identical output for the same model, dated from generatedAt', async () => {
    const again = await renderProjectPdf(sampleProjectReport(), 'lv');
    expect(sha256(again)).toBe(sha256(lvBytes));
    expect(lv.info.CreationDate).toBe('D:20250716060000Z');
    expect(lv.info.ModDate).toBe('D:20250716060000Z');
    const later = await renderProjectPdf(sampleProjectReport({ generatedAt: '2025-07-17T06:00:00.000Z' }), 'lv');
    expect(sha256(later)).not.toBe(sha256(lvBytes));
  });

  it('cites participant ID cells as ranges and never prints their values', async () => {
    const lineage = model.lineage.map((row) => ({ ...row, raw: '' }));
    const text = await extract(await renderProjectPdf(sampleProjectReport({ lineage }), 'lv'));
    expect(text.all).toContain('Pielikums. Datu izcelsme');
    for (const row of model.lineage) if (row.raw) expect(text.all).not.toContain(` ${row.raw} `);
  });

  it('says "not provided" for a missing narrative and handles an empty report', async () => {
    const text = await extract(
      await renderProjectPdf(sampleProjectReport({ narrative: null, warnings: [], lineage: [], indicators: [] }), 'lv'),
    );
    expect(text.all.split('Nav sniegts.').length - 1).toBeGreaterThanOrEqual(3);
    expect(text.all).toContain('Brīdinājumu nav.');
    expect(text.all).toContain('Nav avota datu.');
    const n = text.pages.length;
    expect(text.pages.at(-1)).toContain(`Lapa ${n} no ${n}`);
  });

  it('flows a very long narrative and title across pages without losing footers', async () => {
    const long = 'Ļoti gara rindkopa par kursu norisi, dalībniekiem un pasniedzējiem. '.repeat(120);
    const bytes = await renderProjectPdf(
      sampleProjectReport({
        narrative: { achievements: long, problems: long, nextSteps: 'Turpināt.' },
        project: { ...model.project, title: `${model.project.title} — ${'ļoti garš nosaukums '.repeat(12)}` },
      }),
      'lv',
    );
    const text = await extract(bytes);
    const n = text.pages.length;
    expect(n).toBeGreaterThan(lv.pages.length);
    text.pages.forEach((page, i) => {
      expect(page).toContain(`Lapa ${i + 1} no ${n}`);
    });
    expect(text.all).toContain('Turpināt.');
  });
});

describe('renderProgrammePdf', () => {
  const model = sampleProgrammeReport();
  let lv: Extracted;
  let lvBytes: Uint8Array;

  beforeAll(async () => {
    lvBytes = await renderProgrammePdf(model, 'lv');
    lv = await extract(lvBytes);
  });

  it('summarises completeness, projects and common indicators', () => {
    expect(lv.pages[0]).toContain('Programmas kopsavilkums');
    expect(lv.pages[0]).toContain('2025. gada 2. ceturksnis');
    expect(lv.all).toContain('Iesniegts laikā 4');
    expect(lv.all).toContain('Iesniegts novēloti 1');
    expect(lv.all).toContain('Nav iesniegts 1');
    for (const project of model.projects) expect(lv.all).toContain(project.id);
    expect(lv.all).toContain('Dalībnieku skaits valodu kursos kopā');
    expect(lv.all).toContain('14 870');
    expect(lv.all).toContain(normalise(formatAmount(model.finance.spentCumulative, 'lv')));
  });

  it('numbers its pages', () => {
    const n = lv.pages.length;
    lv.pages.forEach((page, i) => {
      expect(page).toContain(`Lapa ${i + 1} no ${n}`);
    });
  });

  it('has no changes section in revision 1', () => {
    expect(lv.all).not.toContain('Labots pārskats — izmaiņas');
  });

  it('lists changes since the previous revision when there are some', async () => {
    const changes = [
      { projectId: 'valodas-kursi-2023', figure: 'O.2.3.1', old: 2100, new: 2124 },
      { projectId: 'ievirzes-kurss-2023', figure: 'finance', old: 398_000.5, new: 401_220.5 },
    ];
    const text = await extract(await renderProgrammePdf(sampleProgrammeReport({ revision: 2, changes }), 'lv'));
    expect(text.all).toContain('Labots pārskats — izmaiņas');
    expect(text.all).toContain('O.2.3.1 2 100 → 2 124 +24');
    expect(text.all).toContain('Izdevumi, EUR 398 000,50 → 401 220,50 +3 220,00');
    const en = await extract(await renderProgrammePdf(sampleProgrammeReport({ revision: 2, changes }), 'en'));
    expect(en.all).toContain('Corrected report — changes');
    expect(en.all).toContain('Programme summary');
    expect(en.pages[0]).toContain(`Page 1 of ${en.pages.length}`);
  });

  it('names at most COVER_PROJECTS projects in a cover box, says how many more, and keeps every box on its page', {
    timeout: 60_000,
  }, async () => {
    const base = sampleProgrammeReport();
    const statuses = ['on-time', 'late', 'missing'] as const;
    // Each box at, one under and one over the limit, and a programme far past it.
    for (const counts of [
      [COVER_PROJECTS, COVER_PROJECTS - 1, COVER_PROJECTS + 1],
      [400, 60, 0],
    ]) {
      const projects = statuses.flatMap((submission, s) =>
        Array.from({ length: counts[s]! }, (_, i) => ({
          ...base.projects[i % base.projects.length]!,
          id: `${'abc'[s]}${String(i + 1).padStart(3, '0')}`,
          submission,
        })),
      );
      const ids = (status: (typeof statuses)[number]) =>
        projects.filter((p) => p.submission === status).map((p) => p.id);
      const model = sampleProgrammeReport({
        projects,
        completeness: { onTime: ids('on-time'), late: ids('late'), missing: ids('missing') },
      });
      for (const lang of ['lv', 'en'] as const) {
        const bytes = await renderProgrammePdf(model, lang);
        const pdf = await getDocumentProxy(bytes.slice());
        // The cover is the pages before the projects table's heading.
        const { pages } = await extract(bytes);
        const title = lang === 'lv' ? 'Projekti un rādītāju statusi' : 'Projects and indicator statuses';
        // The heading followed by the table's first column header (the cover's boxes name it in quotes).
        const heading = `${title} ${lang === 'lv' ? 'Projekts' : 'Project'}`;
        const tablePage = pages.findIndex((p) => p.includes(heading));
        expect(tablePage, `${counts} ${lang}`).toBeGreaterThanOrEqual(0);
        const cover = pages.slice(0, tablePage).join(' ');
        statuses.forEach((status, s) => {
          const n = counts[s]!;
          const named = ids(status).filter((id) => cover.includes(`(${id})`));
          const more = n - (COVER_PROJECTS - 1);
          expect(named.length, `${status} ${counts} ${lang}`).toBe(n > COVER_PROJECTS ? COVER_PROJECTS - 1 : n);
          const moreText =
            lang === 'lv'
              ? `… un vēl ${more} (visi — tabulā „${title}”)`
              : `… and ${more} more (all in the table “${title}”)`;
          expect(cover.includes(moreText), `${status} ${counts} ${lang}`).toBe(n > COVER_PROJECTS);
        });
        // Every project is in the table, and no text is drawn off its page.
        const table = pages.slice(tablePage).join(' ');
        for (const p of projects) expect(table).toContain(p.id);
        for (let i = 1; i <= pdf.numPages; i++) {
          const page = await pdf.getPage(i);
          const [, , , height] = page.view;
          for (const item of (await page.getTextContent()).items) {
            if (!('transform' in item) || item.str.trim() === '') continue;
            const y = item.transform[5] as number;
            expect(y, `page ${i} “${item.str}” ${counts} ${lang}`).toBeGreaterThan(0);
            expect(y).toBeLessThan(height!);
          }
        }
      }
    }
  });

  it('gives byte-identical output for the same model', async () => {
    const again = await renderProgrammePdf(sampleProgrammeReport(), 'lv');
    expect(sha256(again)).toBe(sha256(lvBytes));
  });
});
