/**
 * The reports as archival, navigable documents (docs/architecture.md §6): every PDF carries an outline whose first
 * level is its section headings (and the indicators under theirs), its language, title and an XMP packet that
 * identifies it as PDF/A-2b and repeats the document information; qpdf finds no structural error; the bytes are the
 * same on re-render. No PDF/A validator is installable here, so this is what the README claims, and no more.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SaxesParser } from 'saxes';
import { getDocumentProxy } from 'unpdf';
import { afterAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../functions/core/types';
import { label } from '../../functions/pdf/labels';
import { renderProgrammePdf } from '../../functions/pdf/render-programme-pdf';
import { renderProjectPdf } from '../../functions/pdf/render-project-pdf';
import { sampleProgrammeReport, sampleProjectReport } from '../fixtures/report-models';

const dir = mkdtempSync(join(tmpdir(), 'pmif-pdfa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface OutlineEntry {
  title: string;
  page: number;
  children: OutlineEntry[];
}

type PdfProxy = Awaited<ReturnType<typeof getDocumentProxy>>;
type RawOutline = Awaited<ReturnType<PdfProxy['getOutline']>>;

async function outlineOf(pdf: PdfProxy, items: RawOutline | null): Promise<OutlineEntry[]> {
  const out: OutlineEntry[] = [];
  for (const item of items ?? []) {
    const dest = typeof item.dest === 'string' ? await pdf.getDestination(item.dest) : item.dest;
    const ref = dest?.[0] as { num: number; gen: number } | undefined;
    const page = ref ? (await pdf.getPageIndex(ref)) + 1 : 0;
    out.push({ title: item.title, page, children: await outlineOf(pdf, item.items) });
  }
  return out;
}

async function pageTexts(pdf: PdfProxy): Promise<string[]> {
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str : ''))
        .join(' ')
        .replace(/[\s\u00a0]+/g, ' '),
    );
  }
  return pages;
}

/** The XMP packet (pdfkit writes it uncompressed, as PDF/A recommends), parsed as XML: element name → texts. */
function xmpOf(bytes: Uint8Array): Map<string, string[]> {
  const text = Buffer.from(bytes).toString('utf8');
  const start = text.indexOf('<x:xmpmeta');
  const end = text.indexOf('</x:xmpmeta>');
  expect(start, 'an XMP packet').toBeGreaterThan(0);
  const xml = text.slice(start, end + '</x:xmpmeta>'.length);
  const values = new Map<string, string[]>();
  const parser = new SaxesParser({ xmlns: true });
  const open: string[] = [];
  parser.on('opentag', (t) => open.push(t.name));
  parser.on('closetag', () => open.pop());
  parser.on('text', (t) => {
    const name = open.at(-1);
    if (name && t.trim()) values.set(name, [...(values.get(name) ?? []), t.trim()]);
  });
  parser.write(xml).close(); // throws on XML that is not well-formed
  return values;
}

function qpdfCheck(bytes: Uint8Array, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  // Exit status 0 only when qpdf finds neither errors nor warnings.
  return execFileSync('qpdf', ['--check', file], { encoding: 'utf8' });
}

interface Case {
  name: string;
  lang: Lang;
  render: () => Promise<Uint8Array>;
  sections: string[];
  /** The section whose children are the indicators, and how many there are. */
  indicators: { section: string; codes: string[] };
  title: string;
  generatedAt: string;
}

const project = sampleProjectReport();
const programme = sampleProgrammeReport({
  revision: 2,
  changes: [{ projectId: 'valodas-kursi-2023', figure: 'O.2.3.1', old: 2100, new: 2124 }],
});
const projectSections = (lang: Lang) =>
  (['summary', 'indicators', 'charts', 'finance', 'narrative', 'warnings', 'lineage'] as const).map((k) =>
    label(lang, k),
  );
const programmeSections = (lang: Lang) =>
  (
    ['completeness', 'programmeFinance', 'projectsStatuses', 'commonIndicators', 'financeTotals', 'changes'] as const
  ).map((k) => label(lang, k));

const cases: Case[] = (['lv', 'en'] as const).flatMap((lang): Case[] => [
  {
    name: `project-${lang}`,
    lang,
    render: () => renderProjectPdf(project, lang),
    sections: projectSections(lang),
    indicators: { section: label(lang, 'indicators'), codes: project.indicators.map((r) => r.code) },
    title: project.project.title,
    generatedAt: project.generatedAt,
  },
  {
    name: `programme-${lang}`,
    lang,
    render: () => renderProgrammePdf(programme, lang),
    sections: programmeSections(lang),
    indicators: { section: label(lang, 'commonIndicators'), codes: programme.indicators.map((r) => r.code) },
    title: programme.period,
    generatedAt: programme.generatedAt,
  },
]);

describe.each(cases)('$name PDF', (c) => {
  let bytes: Uint8Array;
  let pdf: PdfProxy;

  it('has an outline whose first level is the section headings, each pointing at the page it heads', async () => {
    bytes = await c.render();
    pdf = await getDocumentProxy(bytes.slice());
    const outline = await outlineOf(pdf, await pdf.getOutline());
    const pages = await pageTexts(pdf);
    expect(outline.map((e) => e.title).filter((t) => c.sections.includes(t))).toEqual(
      c.sections.filter((s) => outline.some((e) => e.title === s)),
    );
    // Every first-level entry is a section heading, every section of the report is there.
    for (const entry of outline) expect(c.sections).toContain(entry.title);
    const present = c.sections.filter((s) => pages.some((p) => p.includes(s)));
    expect(outline.map((e) => e.title)).toEqual(expect.arrayContaining(present));
    for (const entry of outline) expect(pages[entry.page - 1], entry.title).toContain(entry.title);
    // The indicators, each under its section, in table order, on the page their table starts.
    const indicators = outline.find((e) => e.title === c.indicators.section)!;
    expect(indicators.children.map((e) => e.title.split(' — ')[0])).toEqual(c.indicators.codes);
    for (const child of indicators.children) expect(pages[child.page - 1]).toContain(child.title.split(' — ')[0]);
  });

  it('says its language and title, and identifies itself as PDF/A-2b in XMP that repeats the document info', async () => {
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    expect(raw).toContain(`/Lang (${c.lang === 'lv' ? 'lv-LV' : 'en-GB'})`);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    expect(raw).toMatch(/\/OutputIntents \[\d+ 0 R\]/);
    expect(raw).toContain('/S /GTS_PDFA1');
    const xmp = xmpOf(bytes);
    expect(xmp.get('pdfaid:part')).toEqual(['2']);
    expect(xmp.get('pdfaid:conformance')).toEqual(['B']);
    const { info } = (await pdf.getMetadata()) as unknown as { info: Record<string, unknown> };
    expect(xmp.get('rdf:li')).toEqual(
      expect.arrayContaining([info.Title, info.Subject, c.lang === 'lv' ? 'lv-LV' : 'en-GB']),
    );
    expect(String(info.Title)).toContain(c.title);
    expect(xmp.get('pdf:Producer')).toEqual([info.Producer]);
    expect(xmp.get('xmp:CreatorTool')).toEqual([info.Creator]);
    expect(xmp.get('xmp:CreateDate')).toEqual([`${new Date(c.generatedAt).toISOString().slice(0, 19)}Z`]);
    expect(xmp.get('xmp:ModifyDate')).toEqual(xmp.get('xmp:CreateDate'));
  });

  it('passes qpdf --check', () => {
    expect(qpdfCheck(bytes, `${c.name}.pdf`)).toContain('No syntax or stream encoding errors found');
  });

  it('re-renders byte for byte', async () => {
    expect(sha256(await c.render())).toBe(sha256(bytes));
  });
});

describe('XMP of a title with XML-special characters', () => {
  it('stays well-formed and carries the title as written', async () => {
    const model = sampleProjectReport();
    model.project.title = 'Valoda & <kultūra> "Rīga"';
    const bytes = await renderProjectPdf(model, 'lv');
    const titles = xmpOf(bytes).get('rdf:li') ?? [];
    expect(titles.some((t) => t.includes('Valoda & <kultūra> "Rīga"'))).toBe(true);
    expect(qpdfCheck(bytes, 'special-title.pdf')).toContain('No syntax or stream encoding errors found');
  });
});
