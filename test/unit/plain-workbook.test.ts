/**
 * The report workbook written as plain XML (`write-plain-workbook.ts`) against the same report written by exceljs
 * (the `exceljs` writer, filled by the same code): for generated project and programme reports (empty and long
 * tables, every status, fractional and missing values, texts too long for a column, line breaks, markup characters,
 * `_xHHHH_`, control characters, Latvian letters, formula-looking text, odd upload times, breakdowns, changes and
 * change-list lines) every part must be well-formed XML and the same XML, in the same order; and the workbook must
 * read back alike through exceljs.
 */

import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { type Breakdown, emptyBreakdown } from '../../functions/core/breakdown';
import type {
  IndicatorRow,
  IndicatorStatus,
  ProgrammeReportModel,
  ProjectReportModel,
} from '../../functions/core/report-types';
import { STATUSES } from '../../functions/core/report-types';
import { AGE_BRACKETS, GENDERS, type Lang } from '../../functions/core/types';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { SPLIT_MIN_BYTES } from '../../functions/workbooks/deterministic-zip';
import { renderProgrammeXlsx, renderProjectXlsx } from '../../functions/workbooks/write-report-xlsx';
import { mulberry32 } from '../../sample/sample-projects';
import { HOSTILE_TEXTS, programmeModel, projectModel } from '../fixtures/xlsx-report-models';

const TEXTS = [
  'Izcelsme',
  'inbox/PMIF-2024-001/2025-Q2.xlsx',
  'ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē',
  '<b>&amp; "quoted" \'single\'</b>',
  '_x0041_ stays literal',
  'two\nlines\nand a third',
  'bell \u0007 and escape \u001b inside',
  'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d',
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '   leading and trailing spaces   ',
  'Ļoti garš vārds'.repeat(12),
  ...HOSTILE_TEXTS,
];

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const maybe = <T>(rng: Rng, share: number, value: () => T): T | null => (rng() < share ? value() : null);
const amount = (rng: Rng) => (rng() < 0.5 ? Math.round(rng() * 1e6) : Math.round(rng() * 1e8) / 100);

function breakdown(rng: Rng): Breakdown {
  const b = emptyBreakdown();
  for (const g of GENDERS) for (const a of AGE_BRACKETS) b.counts[g][a] = Math.floor(rng() * 40);
  b.total = GENDERS.reduce((sum, g) => sum + AGE_BRACKETS.reduce((s, a) => s + b.counts[g][a], 0), 0);
  return b;
}

function indicator(rng: Rng, base: IndicatorRow, i: number): IndicatorRow {
  const target = maybe(rng, 0.8, () => amount(rng));
  const cumulative = amount(rng);
  return {
    ...base,
    code: `O.${i}.${Math.floor(rng() * 9)}`,
    name: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) },
    status: pick(rng, STATUSES) as IndicatorStatus,
    baseline: rng() < 0.5 ? 0 : amount(rng),
    target,
    thisPeriod: amount(rng),
    cumulative,
    achievement: target ? cumulative / target : null,
    expected: rng(),
    forecast: maybe(rng, 0.7, () => amount(rng)),
    milestone: maybe(rng, 0.4, () => amount(rng)),
    milestoneDate: rng() < 0.4 ? '2025-03-31' : null,
    milestoneMissed: rng() < 0.3,
    milestoneMetIn: rng() < 0.2 ? '2025-Q2' : null,
    ...(rng() < 0.4 ? { breakdown: breakdown(rng) } : {}),
  };
}

/** A project report of generated size and content; seed 0 is the empty one. */
function generatedProject(seed: number, lineageRows?: number): ProjectReportModel {
  const rng = mulberry32(seed);
  const base = projectModel();
  const size = seed === 0 ? 0 : 1 + Math.floor(rng() * 30);
  const template = base.indicators[0]!;
  const lineageTemplate = base.lineage[0]!;
  return projectModel({
    project: { ...base.project, title: pick(rng, TEXTS), beneficiary: pick(rng, TEXTS) },
    indicators: Array.from({ length: Math.min(size, 12) }, (_, i) => indicator(rng, template, i)),
    finance: {
      ...base.finance,
      categories: Array.from({ length: Math.min(size, 6) }, () => ({
        category: pick(rng, TEXTS),
        planned: rng() < 0.2 ? 0 : amount(rng),
        thisPeriod: amount(rng),
        cumulative: amount(rng),
      })),
    },
    narrative:
      rng() < 0.3
        ? null
        : {
            achievements: pick(rng, TEXTS),
            problems: pick(rng, TEXTS),
            nextSteps: rng() < 0.5 ? '' : pick(rng, TEXTS),
          },
    warnings: Array.from({ length: Math.floor(rng() * 3) }, () => ({
      ...base.warnings[0]!,
      message: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) },
      ...(rng() < 0.5 ? { sheet: undefined, cell: undefined } : {}),
    })),
    lineage: Array.from({ length: lineageRows ?? size * 7 }, (_, i) => ({
      ...lineageTemplate,
      figure: rng() < 0.7 ? `O.${i % 5}` : pick(rng, TEXTS),
      ...(rng() < 0.1 ? { superseded: true as const } : {}),
      sourceKey: pick(rng, TEXTS),
      sourceVersion: rng() < 0.1 ? pick(rng, TEXTS) : `v-${i % 3}`,
      sheet: pick(rng, ['Rādītāji', 'Dalībnieki', pick(rng, TEXTS)]),
      cell: `D${i + 2}`,
      raw: rng() < 0.2 ? '' : pick(rng, TEXTS),
      uploadedAt: pick(rng, [
        '2025-07-17T09:12:45.000Z',
        '2025-03-30T00:30:00.000Z',
        'not a time',
        '2025-10-26T00:59:59Z',
      ]),
    })),
  });
}

function generatedProgramme(seed: number): ProgrammeReportModel {
  const rng = mulberry32(seed + 1000);
  const base = programmeModel();
  const size = seed === 0 ? 0 : 1 + Math.floor(rng() * 25);
  const projects = Array.from({ length: size }, (_, i) => ({
    ...pick(rng, base.projects),
    id: `PMIF-2024-${String(i).padStart(3, '0')}`,
    title: pick(rng, TEXTS),
    beneficiary: pick(rng, TEXTS),
    eligibleCost: rng() < 0.1 ? 0 : amount(rng),
    spentCumulative: amount(rng),
    absorption: rng(),
  }));
  return programmeModel({
    projects,
    indicators: Array.from({ length: Math.floor(rng() * 8) }, (_, i) => ({
      ...pick(rng, base.indicators),
      code: `R.${i}`,
      name: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) },
      target: amount(rng),
      cumulative: amount(rng),
      achievement: maybe(rng, 0.8, () => rng()),
      ...(rng() < 0.3 ? { breakdown: breakdown(rng) } : {}),
    })),
    completeness: {
      onTime: projects.filter((_, i) => i % 3 === 0).map((p) => p.id),
      late: projects.filter((_, i) => i % 3 === 1).map((p) => p.id),
      missing: projects.filter((_, i) => i % 3 === 2).map((p) => p.id),
    },
    changes: Array.from({ length: Math.floor(rng() * 5) }, () => ({
      projectId: pick(rng, TEXTS),
      figure: rng() < 0.3 ? 'finance' : pick(rng, TEXTS),
      old: amount(rng),
      new: amount(rng),
    })),
    notes: Array.from({ length: Math.floor(rng() * 4) }, () => ({
      lv: pick(rng, TEXTS),
      en: pick(rng, TEXTS),
      ...(rng() < 0.5 ? { projectId: pick(rng, TEXTS) } : {}),
      ...(rng() < 0.5 ? { what: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) } } : {}),
      ...(rng() < 0.5 ? { old: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) } } : {}),
      ...(rng() < 0.5 ? { new: { lv: pick(rng, TEXTS), en: pick(rng, TEXTS) } } : {}),
    })),
  });
}

function parts(zip: Uint8Array): [string, string][] {
  return Object.entries(unzipSync(zip)).map(([name, data]) => [name, new TextDecoder().decode(data)]);
}

/** Throws on XML that is not well-formed. */
function parseXml(xml: string): void {
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (err) => {
    throw err;
  });
  parser.write(xml).close();
}

function expectSameParts(exceljs: Uint8Array, plain: Uint8Array): void {
  const expected = parts(exceljs);
  const actual = parts(plain);
  expect(actual.map(([name]) => name)).toEqual(expected.map(([name]) => name));
  actual.forEach(([name, xml], i) => {
    parseXml(xml);
    expect({ name, xml }).toEqual({ name, xml: expected[i]![1] });
  });
}

/** Every cell's value, style and address, and each sheet's layout, as exceljs reads the workbook back. */
async function readBack(bytes: Uint8Array): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheets: unknown[] = [];
  workbook.eachSheet((sheet) => {
    const cells: unknown[] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      row.eachCell({ includeEmpty: true }, (cell) => {
        cells.push([cell.address, cell.value, cell.style, row.height]);
      });
    });
    sheets.push({
      name: sheet.name,
      views: sheet.views,
      autoFilter: sheet.autoFilter,
      pageSetup: sheet.pageSetup,
      headerFooter: sheet.headerFooter,
      widths: sheet.columns?.map((c) => c.width),
      conditionalFormattings: (sheet as unknown as { conditionalFormattings: unknown }).conditionalFormattings,
      cells,
    });
  });
  return [workbook.creator, workbook.title, workbook.created, workbook.definedNames.model, sheets];
}

const SEEDS = Array.from({ length: 12 }, (_, i) => i);
const LANGS: Lang[] = ['lv', 'en'];

describe('plain report workbook against exceljs', () => {
  it.each(SEEDS)('project report %i: every part the same XML, in both editions', async (seed) => {
    const model = generatedProject(seed);
    for (const lang of LANGS) {
      expectSameParts(await renderProjectXlsx(model, lang, 'exceljs'), await renderProjectXlsx(model, lang, 'plain'));
    }
  });

  it.each(SEEDS)('programme report %i: every part the same XML, in both editions', async (seed) => {
    const model = generatedProgramme(seed);
    for (const lang of LANGS) {
      expectSameParts(
        await renderProgrammeXlsx(model, lang, 'exceljs'),
        await renderProgrammeXlsx(model, lang, 'plain'),
      );
    }
  });

  it('a lineage sheet large enough for its rows to be deflated apart (and kept for the other edition) reads back alike, in both editions and in our reader', async () => {
    const project = generatedProject(5, 900);
    for (const lang of LANGS) {
      const plain = await renderProjectXlsx(project, lang);
      const lineage = parts(plain).find(([name]) => name === 'xl/worksheets/sheet5.xml')![1];
      expect(lineage.indexOf('</sheetData>')).toBeGreaterThan(SPLIT_MIN_BYTES);
      const exceljs = await renderProjectXlsx(project, lang, 'exceljs');
      expectSameParts(exceljs, plain);
      expect(await readBack(plain)).toEqual(await readBack(exceljs));
      const ours = readXlsx(plain);
      const theirs = readXlsx(exceljs);
      expect(ours.ok && theirs.ok).toBe(true);
      if (ours.ok && theirs.ok) expect(ours.workbook).toEqual(theirs.workbook);
    }
  });

  it('reads back alike through exceljs: cells, styles, heights, widths, views, filters, print setup', async () => {
    for (const seed of [0, 3, 7]) {
      const project = generatedProject(seed);
      expect(await readBack(await renderProjectXlsx(project, 'lv'))).toEqual(
        await readBack(await renderProjectXlsx(project, 'lv', 'exceljs')),
      );
      const programme = generatedProgramme(seed);
      expect(await readBack(await renderProgrammeXlsx(programme, 'en'))).toEqual(
        await readBack(await renderProgrammeXlsx(programme, 'en', 'exceljs')),
      );
    }
  });
});
