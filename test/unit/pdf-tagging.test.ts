/**
 * The reports as tagged PDFs: a structure tree a screen reader or a text extractor can follow. Read back the way a
 * reader does (pdf.js, through unpdf): each page's structure tree, and its text split by marked-content sequence.
 * Headings are H1 (the cover title and the section headings, which are also the outline's first level) and H2,
 * tables are Table/TR/TH/TD with the header row once (a header repeated on a new page is a pagination artifact),
 * charts are figures whose alternate text carries what they plot, and footers are pagination artifacts. No text
 * is left outside a tagged element or an artifact. This is what the README claims as "tagged"; it does not claim
 * PDF/UA or PDF/A level A, which need a validator that is not installable here.
 */
import { getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { formatQuantity } from '../../functions/core/format';
import type { IndicatorRow, ProjectReportModel } from '../../functions/core/report-types';
import type { Lang } from '../../functions/core/types';
import { label, pageOf } from '../../functions/pdf/labels';
import { renderProgrammePdf } from '../../functions/pdf/render-programme-pdf';
import { renderProjectPdf } from '../../functions/pdf/render-project-pdf';
import { sampleProgrammeReport, sampleProjectReport } from '../fixtures/report-models';

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;

interface RawNode {
  role?: string;
  alt?: string;
  type?: string;
  id?: string;
  children?: RawNode[];
}

/** A structure element as read back: its role, alternate text, the text of its own content, its children. */
interface Element {
  role: string;
  alt: string | undefined;
  text: string;
  page: number;
  children: Element[];
}

interface PageRead {
  /** Elements of the page's structure tree under the document element, in order. */
  elements: Element[];
  /** Text inside artifact sequences. */
  artifacts: string[];
  /** Visible text outside any marked-content sequence. */
  untagged: string[];
}

const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

async function readPage(pdf: PdfProxy, number: number): Promise<PageRead> {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent({ includeMarkedContent: true });
  const byId = new Map<string, string>();
  const artifacts: string[] = [];
  const untagged: string[] = [];
  const open: { tag: string; id?: string }[] = [];
  for (const item of content.items as unknown as { type?: string; tag?: string; id?: string; str?: string }[]) {
    if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') {
      open.push({ tag: item.tag ?? '', id: item.id });
    } else if (item.type === 'endMarkedContent') open.pop();
    else if (item.str !== undefined) {
      const top = open.at(-1);
      if (top?.id) byId.set(top.id, (byId.get(top.id) ?? '') + item.str);
      else if (top?.tag === 'Artifact') artifacts.push(item.str);
      else if (item.str.trim()) untagged.push(item.str);
    }
  }
  const tree = (await page.getStructTree()) as RawNode | null;
  const build = (node: RawNode): Element | null => {
    if (node.type === 'content') return null;
    const children = (node.children ?? []).map(build).filter((e): e is Element => e !== null);
    const own = (node.children ?? [])
      .filter((c) => c.type === 'content' && c.id)
      .map((c) => byId.get(c.id!) ?? '')
      .join(' ');
    return { role: node.role ?? '', alt: node.alt, text: squash(own), page: number, children };
  };
  const root = tree ? build(tree) : null;
  const document = root?.children[0];
  return { elements: document?.role === 'Document' ? document.children : [], artifacts, untagged };
}

interface Read {
  raw: string;
  pages: PageRead[];
  outline: string[];
}

async function read(bytes: Uint8Array): Promise<Read> {
  const pdf = await getDocumentProxy(bytes.slice());
  const pages: PageRead[] = [];
  for (let i = 1; i <= pdf.numPages; i++) pages.push(await readPage(pdf, i));
  const outline = ((await pdf.getOutline()) ?? []).map((item) => item.title);
  return { raw: Buffer.from(bytes).toString('latin1'), pages, outline };
}

function all(elements: Element[], role: string): Element[] {
  return elements.flatMap((e) => [...(e.role === role ? [e] : []), ...all(e.children, role)]);
}

const everywhere = (r: Read, role: string) => r.pages.flatMap((p) => all(p.elements, role));

/** A project whose indicator table runs over several pages, so its header row is repeated. */
function longProject(): ProjectReportModel {
  const model = sampleProjectReport();
  const base = model.indicators;
  const indicators: IndicatorRow[] = Array.from({ length: 90 }, (_, i) => {
    const row = base[i % base.length]!;
    return { ...row, code: `P.${i + 1}`, name: { lv: `Rādītājs ${i + 1}`, en: `Indicator ${i + 1}` } };
  });
  return { ...model, indicators };
}

interface Case {
  name: string;
  lang: Lang;
  render: () => Promise<Uint8Array>;
  title: string;
  /** Codes of the indicators drawn as charts (those with a target). */
  charts: string[];
}

const project = sampleProjectReport();
const programme = sampleProgrammeReport();
const chartCodes = (m: ProjectReportModel) => m.indicators.filter((r) => r.target !== null).map((r) => r.code);

const cases: Case[] = (['lv', 'en'] as const).flatMap((lang): Case[] => [
  {
    name: `project-${lang}`,
    lang,
    render: () => renderProjectPdf(project, lang),
    title: label(lang, 'projectReportTitle'),
    charts: chartCodes(project),
  },
  {
    name: `programme-${lang}`,
    lang,
    render: () => renderProgrammePdf(programme, lang),
    title: label(lang, 'programmeReportTitle'),
    charts: [],
  },
]);

describe.each(cases)('$name PDF structure', (c) => {
  let r: Read;

  it('is marked as tagged, in its language, with one Document element at the root', async () => {
    r = await read(await c.render());
    expect(r.raw).toMatch(/\/Marked true/);
    expect(r.raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(r.raw).toContain(`/Lang (${c.lang === 'lv' ? 'lv-LV' : 'en-GB'})`);
    for (const page of r.pages) expect(page.elements.length).toBeGreaterThan(0);
  });

  it('tags the cover title and every section heading as H1, in outline order', () => {
    const h1 = everywhere(r, 'H1').map((e) => e.text);
    expect(h1[0]).toBe(c.title);
    expect(h1.slice(1)).toEqual(r.outline);
    expect(everywhere(r, 'H2').length + everywhere(r, 'P').length).toBeGreaterThan(0);
  });

  it('tags tables as rows of header or data cells, the same number in every row', () => {
    const tables = everywhere(r, 'Table');
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.children.every((row) => row.role === 'TR')).toBe(true);
      const widths = new Set(table.children.map((row) => row.children.length));
      expect(widths.size, 'cells per row').toBe(1);
      for (const row of table.children) {
        // A column-header row (all TH), or data cells, led by a row header (TH) in label/value lists.
        const roles = row.children.map((cell) => cell.role).join(' ');
        expect(roles).toMatch(/^(TH( TH)*|(TH |TD )?TD( TD)*)$/);
      }
    }
  });

  it('gives every chart a figure whose alternate text names it and its latest value', () => {
    const figures = everywhere(r, 'Figure');
    expect(figures.map((f) => f.alt?.split(' ')[0])).toEqual(c.charts);
    for (const code of c.charts) {
      const row = project.indicators.find((i) => i.code === code)!;
      const alt = figures.find((f) => f.alt?.startsWith(`${code} `))!.alt!;
      expect(alt).toContain(row.name[c.lang]);
      expect(alt).toContain(formatQuantity(row.series.at(-1)!.cumulative, c.lang));
    }
  });

  it('keeps footers out of the text as pagination artifacts, and leaves no text untagged', () => {
    r.pages.forEach((page, i) => {
      expect(squash(page.artifacts.join(' '))).toContain(pageOf(c.lang, i + 1, r.pages.length));
      expect(page.untagged).toEqual([]);
      const tagged = page.elements.flatMap(function texts(e): string[] {
        return [e.text, ...e.children.flatMap(texts)];
      });
      expect(tagged.join(' ')).not.toContain(pageOf(c.lang, i + 1, r.pages.length));
    });
  });
});

describe('a table over several pages', () => {
  it('tags its header row once and repeats it on later pages as an artifact', async () => {
    const model = longProject();
    const r = await read(await renderProjectPdf(model, 'lv'));
    const tablePages = r.pages.filter((p) => all(p.elements, 'TD').some((td) => td.text.startsWith('P.')));
    expect(tablePages.length).toBeGreaterThan(1);
    const headerText = label('lv', 'cumulative');
    const headers = everywhere(r, 'TH').filter((th) => th.text === headerText);
    expect(headers).toHaveLength(1);
    for (const page of tablePages.slice(1)) expect(squash(page.artifacts.join(' '))).toContain(headerText);
    // Every indicator is one data row, whichever page it is on.
    const codes = everywhere(r, 'TR')
      .map((tr) => tr.children[0]?.text ?? '')
      .filter((t) => /^P\.\d+/.test(t));
    expect(new Set(codes.map((t) => t.split(' ')[0])).size).toBe(model.indicators.length);
  });
});
