import { createHash } from 'node:crypto';
import type { Cell, ConditionalFormattingOptions, Worksheet } from 'exceljs';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ProgrammeReportModel,
  type ProjectReportModel,
  STATUS_COLOURS,
  STATUS_LABELS,
  STATUSES,
  SUBMISSION_STATUS_LABELS,
} from '../../functions/core/report-types';
import { renderProgrammeXlsx, renderProjectXlsx } from '../../functions/workbooks/write-report-xlsx';
import { HOSTILE_TEXTS, programmeModel, projectModel } from '../fixtures/xlsx-report-models';

// Calendar dates must not depend on the machine's zone: run as a Riga laptop would, where local midnight is not UTC.
process.env.TZ = 'Europe/Riga';

const MONEY = '#,##0.00 "EUR"';
const PERCENT = '0.0%';

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

function sheetOf(workbook: ExcelJS.Workbook, name: string): Worksheet {
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  return sheet;
}

function cellAt(sheet: Worksheet, address: string): Cell {
  return sheet.getCell(address);
}

/** The value cell of a label | value row, found by its label in column A. */
function labelledValue(sheet: Worksheet, label: string): Cell {
  for (let r = 1; r <= sheet.rowCount; r++) {
    if (sheet.getRow(r).getCell(1).value === label) return sheet.getRow(r).getCell(2);
  }
  throw new Error(`no row labelled ${label} on ${sheet.name}`);
}

function conditionalFormats(sheet: Worksheet): ConditionalFormattingOptions[] {
  return (sheet as unknown as { conditionalFormattings: ConditionalFormattingOptions[] }).conditionalFormattings;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function utc(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

function expectNumber(cell: Cell, value: number, numFmt: string): void {
  expect(cell.type).toBe(ExcelJS.ValueType.Number);
  expect(cell.value).toBe(value);
  expect(cell.numFmt).toBe(numFmt);
}

/** An instant as the wall clock in Riga shows it, as a zone-less spreadsheet date-time (computed with Intl). */
function rigaWallClock(iso: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Riga',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`;
}

function expectDate(cell: Cell, iso: string, numFmt = 'dd.mm.yyyy'): void {
  expect(cell.value).toBeInstanceOf(Date);
  expect((cell.value as Date).getTime()).toBe(iso.length === 10 ? utc(iso) : Date.parse(iso));
  expect(cell.numFmt).toBe(numFmt);
}

function expectPlainString(cell: Cell, text: string): void {
  expect(cell.type).toBe(ExcelJS.ValueType.String);
  expect(cell.formula).toBeUndefined();
  expect(cell.value).toBe(text);
}

/** A formula's cached result; exceljs drops an empty-string result on reading. */
function cachedResult(cell: Cell): unknown {
  return (cell.value as { result?: unknown }).result ?? '';
}

function tint30(hex: string): string {
  const c = (i: number) => Math.round(Number.parseInt(hex.slice(i, i + 2), 16) * 0.3 + 255 * 0.7);
  return `FF${[0, 2, 4].map((i) => c(i).toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

function expectTableSetup(sheet: Worksheet, autoFilter: string | null): void {
  const [view] = sheet.views;
  expect(view?.state).toBe('frozen');
  expect((view as { ySplit?: number }).ySplit).toBe(1);
  expect(sheet.autoFilter ?? null).toBe(autoFilter);
  expect(sheet.pageSetup.paperSize).toBe(9);
  expect(sheet.pageSetup.orientation).toBe('landscape');
  expect(sheet.pageSetup.fitToPage).toBe(true);
  expect(sheet.pageSetup.fitToWidth).toBe(1);
  expect(sheet.pageSetup.fitToHeight).toBe(0);
  expect(sheet.pageSetup.printTitlesRow).toBe('1:1');
  expect(sheet.headerFooter.oddFooter).toMatch(/&P.+&N/);
  const header = sheet.getRow(1).getCell(1);
  expect(header.font?.bold).toBe(true);
  expect(header.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
}

describe('renderProjectXlsx', () => {
  const model = projectModel();
  let bytes: Uint8Array;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    bytes = await renderProjectXlsx(model, 'lv');
    workbook = await load(bytes);
  });

  it('has the four Latvian sheets in order, each with frozen header, print setup and page numbers', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Kopsavilkums', 'Rādītāji', 'Finanses', 'Izcelsme']);
    expectTableSetup(sheetOf(workbook, 'Kopsavilkums'), null);
    expectTableSetup(sheetOf(workbook, 'Rādītāji'), `A1:O${model.indicators.length + 1}`);
    expectTableSetup(sheetOf(workbook, 'Finanses'), `A1:E${model.finance.categories.length + 1}`);
    expectTableSetup(sheetOf(workbook, 'Izcelsme'), `A1:I${model.lineage.length + 1}`);
    expect(sheetOf(workbook, 'Izcelsme').headerFooter.oddFooter).toBe('&CLapa &P no &N');
    expect(sheetOf(workbook, 'Rādītāji').headerFooter.oddHeader).toContain(model.project.id);
  });

  it('stamps the package with generatedAt, not the wall clock', () => {
    const generatedAt = Date.parse(model.generatedAt);
    expect(workbook.creator).toBe('pmif-reports');
    expect(workbook.created.getTime()).toBe(generatedAt);
    expect(workbook.modified.getTime()).toBe(generatedAt);
    expect(workbook.lastPrinted?.getTime()).toBe(generatedAt);
  });

  it('writes one indicator row per model row with real numbers, dates and labels', () => {
    const sheet = sheetOf(workbook, 'Rādītāji');
    expect(sheet.getRow(1).getCell(1).value).toBe('Kods');
    expect(sheet.getRow(1).getCell(11).value).toBe('Statuss');
    expect(sheet.actualRowCount).toBe(model.indicators.length + 1);
    model.indicators.forEach((indicator, i) => {
      const r = i + 2;
      const fmt = indicator.code === 'O.2.4.1' ? '#,##0.00' : '#,##0';
      expectPlainString(cellAt(sheet, `A${r}`), indicator.code);
      expectPlainString(cellAt(sheet, `B${r}`), indicator.name.lv);
      expectPlainString(cellAt(sheet, `C${r}`), indicator.unit.lv);
      expectNumber(cellAt(sheet, `E${r}`), indicator.baseline, fmt);
      if (indicator.target === null) expect(cellAt(sheet, `F${r}`).value).toBeNull();
      else expectNumber(cellAt(sheet, `F${r}`), indicator.target, fmt);
      expectNumber(cellAt(sheet, `G${r}`), indicator.thisPeriod, fmt);
      expectNumber(cellAt(sheet, `H${r}`), indicator.cumulative, fmt);
      expectNumber(cellAt(sheet, `J${r}`), indicator.expected, PERCENT);
      expectPlainString(cellAt(sheet, `K${r}`), STATUS_LABELS[indicator.status].lv);
      if (indicator.forecast === null) expect(cellAt(sheet, `L${r}`).value).toBeNull();
      else expectNumber(cellAt(sheet, `L${r}`), indicator.forecast, fmt);
      if (indicator.milestoneDate === null) expect(cellAt(sheet, `N${r}`).value).toBeNull();
      else expectDate(cellAt(sheet, `N${r}`), indicator.milestoneDate);
      expectPlainString(cellAt(sheet, `O${r}`), indicator.milestoneMissed ? 'Jā' : 'Nē');
    });
  });

  it('makes % of target a live formula whose cached result is the model achievement', () => {
    const sheet = sheetOf(workbook, 'Rādītāji');
    model.indicators.forEach((indicator, i) => {
      const cell = cellAt(sheet, `I${i + 2}`);
      expect(cell.type).toBe(ExcelJS.ValueType.Formula);
      expect(cell.formula).toBe(`IF(F${i + 2}>0,H${i + 2}/F${i + 2},"")`);
      expect(cachedResult(cell)).toBe(indicator.achievement ?? '');
      expect(cell.numFmt).toBe(PERCENT);
    });
  });

  it('colours the status column with one readable rule per status', () => {
    const [format, ...others] = conditionalFormats(sheetOf(workbook, 'Rādītāji'));
    expect(others).toHaveLength(0);
    expect(format?.ref).toBe(`K2:K${model.indicators.length + 1}`);
    expect(format?.rules).toHaveLength(STATUSES.length);
    STATUSES.forEach((status, i) => {
      const rule = format?.rules[i] as { formulae: string[]; style: { fill: { bgColor: { argb: string } } } };
      expect(rule.formulae[0]).toBe(`NOT(ISERROR(SEARCH("${STATUS_LABELS[status].lv}",K2)))`);
      expect(rule.style.fill.bgColor.argb).toBe(tint30(STATUS_COLOURS[status]));
    });
  });

  it('writes finance categories with SUM totals carrying cached results, and the EU and national shares', () => {
    const sheet = sheetOf(workbook, 'Finanses');
    const { categories } = model.finance;
    categories.forEach((category, i) => {
      const r = i + 2;
      expectPlainString(cellAt(sheet, `A${r}`), category.category);
      expectNumber(cellAt(sheet, `B${r}`), category.planned, MONEY);
      expectNumber(cellAt(sheet, `C${r}`), category.thisPeriod, MONEY);
      expectNumber(cellAt(sheet, `D${r}`), category.cumulative, MONEY);
      expect(cellAt(sheet, `E${r}`).formula).toBe(`IF(B${r}>0,D${r}/B${r},"")`);
      expect(cachedResult(cellAt(sheet, `E${r}`))).toBe(category.cumulative / category.planned);
    });
    const totals = categories.length + 2;
    const last = totals - 1;
    expectPlainString(cellAt(sheet, `A${totals}`), 'Kopā');
    const columns = [
      ['B', categories.map((c) => c.planned)],
      ['C', categories.map((c) => c.thisPeriod)],
      ['D', categories.map((c) => c.cumulative)],
    ] as const;
    for (const [column, values] of columns) {
      const cell = cellAt(sheet, `${column}${totals}`);
      expect(cell.formula).toBe(`SUM(${column}2:${column}${last})`);
      expect(cell.result).toBe(values.reduce((a, b) => a + b, 0));
      expect(cell.numFmt).toBe(MONEY);
    }
    expectNumber(labelledValue(sheet, 'ES daļa'), model.finance.euShare, MONEY);
    expectNumber(labelledValue(sheet, 'Valsts daļa'), model.finance.nationalShare, MONEY);
    expectNumber(labelledValue(sheet, 'Finansējuma apguve'), model.finance.absorption, PERCENT);
    expectNumber(labelledValue(sheet, 'ES līdzfinansējuma likme'), 0.75, PERCENT);
  });

  it('writes one lineage row per model lineage row, raw values as text', () => {
    const sheet = sheetOf(workbook, 'Izcelsme');
    expect(sheet.actualRowCount).toBe(model.lineage.length + 1);
    expect(sheet.getRow(1).getCell(9).value).toBe('SHA-256');
    model.lineage.forEach((row, i) => {
      const r = i + 2;
      expectPlainString(cellAt(sheet, `A${r}`), row.figure);
      expectPlainString(cellAt(sheet, `C${r}`), row.sourceKey);
      expectPlainString(cellAt(sheet, `D${r}`), row.sourceVersion);
      expectPlainString(cellAt(sheet, `F${r}`), row.cell);
      if (row.raw === '') expect(cellAt(sheet, `G${r}`).value).toBeNull();
      else expectPlainString(cellAt(sheet, `G${r}`), row.raw);
      expectDate(cellAt(sheet, `H${r}`), rigaWallClock(row.uploadedAt), 'dd.mm.yyyy hh:mm:ss');
      expectPlainString(cellAt(sheet, `I${r}`), row.sha256);
    });
  });

  it('lists project facts, dates, submission, shares and status counts on the summary', () => {
    const sheet = sheetOf(workbook, 'Kopsavilkums');
    expect(sheet.getRow(1).getCell(2).value).toBe('Vērtība');
    expectPlainString(labelledValue(sheet, 'Projekta ID'), model.project.id);
    expectPlainString(labelledValue(sheet, 'Projekta nosaukums'), model.project.title);
    expectPlainString(labelledValue(sheet, 'Finansējuma saņēmējs'), model.project.beneficiary);
    expectDate(labelledValue(sheet, 'Projekta sākums'), model.project.start);
    expectDate(labelledValue(sheet, 'Perioda beigas'), model.periodEnd);
    expectDate(labelledValue(sheet, 'Iesniegšanas termiņš'), model.submission.deadline);
    expectDate(
      labelledValue(sheet, 'Sagatavots (Rīgas laiks)'),
      rigaWallClock(model.generatedAt),
      'dd.mm.yyyy hh:mm:ss',
    );
    expectNumber(labelledValue(sheet, 'Redakcija'), model.revision, '#,##0');
    expectPlainString(labelledValue(sheet, 'Iesniegšanas statuss'), SUBMISSION_STATUS_LABELS.late.lv);
    expectNumber(labelledValue(sheet, 'Pagājušais laiks'), model.elapsed, PERCENT);
    expectNumber(labelledValue(sheet, 'Finansējuma apguve'), model.finance.absorption, PERCENT);
    expectNumber(labelledValue(sheet, 'Attiecināmās izmaksas'), model.project.eligibleCost, MONEY);
    for (const status of STATUSES) {
      const count = model.indicators.filter((i) => i.status === status).length;
      expectNumber(labelledValue(sheet, `Rādītāji ar statusu: ${STATUS_LABELS[status].lv}`), count, '#,##0');
    }
    expectPlainString(labelledValue(sheet, 'Sasniegumi'), model.narrative?.achievements ?? '');
    expect(String(labelledValue(sheet, 'Datu kvalitātes brīdinājums').value)).toContain('Rādītāji!D5');
  });

  it('gives byte-identical output for the same model, rendered apart in time', async () => {
    // Zip entry times have a 2-second resolution: wait longer than that so a wall-clock stamp would show.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const again = await renderProjectXlsx(projectModel(), 'lv');
    expect(sha256(again)).toBe(sha256(bytes));
    const later = await renderProjectXlsx(projectModel({ generatedAt: '2025-07-21T06:30:00.000Z' }), 'lv');
    expect(sha256(later)).not.toBe(sha256(bytes));
  });

  it('names sheets, headers and labels in English in the English edition', async () => {
    const english = await load(await renderProjectXlsx(model, 'en'));
    expect(english.worksheets.map((s) => s.name)).toEqual(['Summary', 'Indicators', 'Finance', 'Lineage']);
    const indicators = sheetOf(english, 'Indicators');
    expect(indicators.getRow(1).values).toEqual([
      undefined,
      'Code',
      'Name',
      'Unit',
      'Type',
      'Baseline',
      'Target',
      'This period',
      'Cumulative',
      '% of target',
      'Expected %',
      'Status',
      'Forecast at project end',
      'Milestone',
      'Milestone date',
      'Milestone missed on its date',
    ]);
    expectPlainString(cellAt(indicators, 'B2'), model.indicators[0]!.name.en);
    expectPlainString(cellAt(indicators, 'K2'), STATUS_LABELS.achieved.en);
    const rules = conditionalFormats(indicators)[0]?.rules as { formulae: string[] }[];
    expect(rules[1]?.formulae[0]).toContain(`"${STATUS_LABELS['on-track'].en}"`);
    expect(indicators.headerFooter.oddFooter).toBe('&CPage &P of &N');
    expectPlainString(labelledValue(sheetOf(english, 'Summary'), 'Project title'), model.project.title);
    expect(sheetOf(english, 'Finance').getRow(1).getCell(2).value).toBe('Planned');
    expect(sheetOf(english, 'Lineage').getRow(1).getCell(8).value).toBe('Uploaded at (Riga time)');
  });

  it('writes formula-looking user text as plain strings everywhere it appears', async () => {
    const [a, b, c, d, e, f] = HOSTILE_TEXTS;
    const base = projectModel();
    const hostile: ProjectReportModel = {
      ...base,
      project: { ...base.project, title: a, beneficiary: d },
      narrative: { achievements: a, problems: b, nextSteps: c },
      finance: {
        ...base.finance,
        categories: HOSTILE_TEXTS.map((category) => ({ category, planned: 1, thisPeriod: 1, cumulative: 1 })),
      },
      lineage: HOSTILE_TEXTS.map((raw, i) => ({ ...base.lineage[0]!, figure: `finance:${raw}`, raw, cell: `C${i}` })),
    };
    const reloaded = await load(await renderProjectXlsx(hostile, 'lv'));
    const expected = (s: string) => s.replace(/\r/g, '');
    const summary = sheetOf(reloaded, 'Kopsavilkums');
    expectPlainString(labelledValue(summary, 'Projekta nosaukums'), expected(a));
    expectPlainString(labelledValue(summary, 'Finansējuma saņēmējs'), expected(d));
    expectPlainString(labelledValue(summary, 'Sasniegumi'), expected(a));
    expectPlainString(labelledValue(summary, 'Problēmas'), expected(b));
    expectPlainString(labelledValue(summary, 'Turpmākie soļi'), expected(c));
    const finance = sheetOf(reloaded, 'Finanses');
    const lineage = sheetOf(reloaded, 'Izcelsme');
    HOSTILE_TEXTS.forEach((text, i) => {
      expectPlainString(cellAt(finance, `A${i + 2}`), expected(text));
      expectPlainString(cellAt(lineage, `A${i + 2}`), expected(`finance:${text}`));
      expectPlainString(cellAt(lineage, `G${i + 2}`), expected(text));
    });
    expect([e, f].map(expected)).toEqual(['\t=1', '=1']);
  });

  it('renders an empty project (no indicators, categories, lineage or narrative) without bogus formulas', async () => {
    const base = projectModel();
    const empty = await load(
      await renderProjectXlsx(
        {
          ...base,
          indicators: [],
          lineage: [],
          narrative: null,
          warnings: [],
          submission: { ...base.submission, status: 'missing', uploadedAt: null, sourceKey: null },
          finance: { ...base.finance, categories: [] },
        },
        'lv',
      ),
    );
    const finance = sheetOf(empty, 'Finanses');
    expectNumber(cellAt(finance, 'B2'), 0, MONEY);
    expect(cellAt(finance, 'B2').formula).toBeUndefined();
    expect(sheetOf(empty, 'Izcelsme').autoFilter).toBe('A1:I1');
    expect(conditionalFormats(sheetOf(empty, 'Rādītāji'))).toHaveLength(0);
    const summary = sheetOf(empty, 'Kopsavilkums');
    expect(labelledValue(summary, 'Iesniegts (Rīgas laiks)').value).toBeNull();
    expect(labelledValue(summary, 'Sasniegumi').value).toBeNull();
  });

  it('refuses a non-finite number instead of writing a corrupt file', async () => {
    const base = projectModel();
    const broken = { ...base, elapsed: Number.NaN };
    await expect(renderProjectXlsx(broken, 'lv')).rejects.toThrow(/Kopsavilkums!B\d+: not a finite number/);
  });
});

describe('renderProgrammeXlsx', () => {
  const model = programmeModel();
  let bytes: Uint8Array;
  let workbook: ExcelJS.Workbook;

  beforeAll(async () => {
    bytes = await renderProgrammeXlsx(model, 'lv');
    workbook = await load(bytes);
  });

  it('has the five Latvian sheets with frozen headers, autofilters and print setup', () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Kopsavilkums',
      'Projekti',
      'Rādītāji',
      'Finanses',
      'Izmaiņas',
    ]);
    expectTableSetup(sheetOf(workbook, 'Kopsavilkums'), null);
    expectTableSetup(sheetOf(workbook, 'Projekti'), `A1:O${model.projects.length + 1}`);
    expectTableSetup(sheetOf(workbook, 'Rādītāji'), `A1:I${model.indicators.length + 1}`);
    expectTableSetup(sheetOf(workbook, 'Finanses'), `A1:D${model.projects.length + 1}`);
    expectTableSetup(sheetOf(workbook, 'Izmaiņas'), `A1:E${model.changes.length + 1}`);
  });

  it('leaves out the changes sheet when nothing changed', async () => {
    const first = await load(await renderProgrammeXlsx({ ...model, changes: [] }, 'lv'));
    expect(first.worksheets.map((s) => s.name)).toEqual(['Kopsavilkums', 'Projekti', 'Rādītāji', 'Finanses']);
  });

  it('writes one row per project with submission, status counts, absorption and elapsed time', () => {
    const sheet = sheetOf(workbook, 'Projekti');
    STATUSES.forEach((status, i) => {
      expect(sheet.getRow(1).getCell(6 + i).value).toBe(STATUS_LABELS[status].lv);
    });
    model.projects.forEach((project, i) => {
      const r = i + 2;
      expectPlainString(cellAt(sheet, `A${r}`), project.id);
      expectPlainString(cellAt(sheet, `B${r}`), project.title);
      expectPlainString(cellAt(sheet, `E${r}`), SUBMISSION_STATUS_LABELS[project.submission].lv);
      STATUSES.forEach((status, s) => {
        expectNumber(sheet.getRow(r).getCell(6 + s), project.statusCounts[status], '#,##0');
      });
      expectNumber(cellAt(sheet, `L${r}`), project.eligibleCost, MONEY);
      expectNumber(cellAt(sheet, `M${r}`), project.spentCumulative, MONEY);
      expectNumber(cellAt(sheet, `N${r}`), project.absorption, PERCENT);
      expectNumber(cellAt(sheet, `O${r}`), project.elapsed, PERCENT);
    });
    const [format] = conditionalFormats(sheet);
    expect(format?.ref).toBe(`E2:E${model.projects.length + 1}`);
    const formulae = ((format?.rules ?? []) as { formulae: string[] }[]).map((rule) => rule.formulae[0]);
    expect(formulae).toEqual(
      (['on-time', 'late', 'missing'] as const).map(
        (s) => `NOT(ISERROR(SEARCH("${SUBMISSION_STATUS_LABELS[s].lv}",E2)))`,
      ),
    );
  });

  it('sums common indicators with a live % of target', () => {
    const sheet = sheetOf(workbook, 'Rādītāji');
    model.indicators.forEach((indicator, i) => {
      const r = i + 2;
      expectPlainString(cellAt(sheet, `A${r}`), indicator.code);
      expectPlainString(cellAt(sheet, `B${r}`), indicator.name.lv);
      expectNumber(cellAt(sheet, `D${r}`), indicator.target, '#,##0');
      expectNumber(cellAt(sheet, `E${r}`), indicator.thisPeriod, '#,##0');
      expectNumber(cellAt(sheet, `F${r}`), indicator.cumulative, '#,##0');
      // % of target: values and targets of the same projects (those with a target).
      expectNumber(cellAt(sheet, `G${r}`), indicator.cumulativeWithTarget, '#,##0');
      expect(cellAt(sheet, `H${r}`).formula).toBe(`IF(D${r}>0,G${r}/D${r},"")`);
      expect(cachedResult(cellAt(sheet, `H${r}`))).toBe(
        indicator.target > 0 ? indicator.cumulativeWithTarget / indicator.target : '',
      );
      expectNumber(cellAt(sheet, `I${r}`), indicator.projects, '#,##0');
    });
  });

  it('totals project finance with SUM formulas and lists the programme shares', () => {
    const sheet = sheetOf(workbook, 'Finanses');
    const totals = model.projects.length + 2;
    const eligible = cellAt(sheet, `B${totals}`);
    const spent = cellAt(sheet, `C${totals}`);
    expect(eligible.formula).toBe(`SUM(B2:B${totals - 1})`);
    expect(eligible.result).toBe(model.projects.reduce((a, p) => a + p.eligibleCost, 0));
    expect(spent.formula).toBe(`SUM(C2:C${totals - 1})`);
    expect(spent.result).toBe(model.projects.reduce((a, p) => a + p.spentCumulative, 0));
    expectNumber(labelledValue(sheet, 'Izlietots šajā periodā'), model.finance.spentThisPeriod, MONEY);
    expectNumber(labelledValue(sheet, 'ES daļa'), model.finance.euShare, MONEY);
    expectNumber(labelledValue(sheet, 'Valsts daļa'), model.finance.nationalShare, MONEY);
  });

  it('shows changes since the previous revision with a live difference', () => {
    const sheet = sheetOf(workbook, 'Izmaiņas');
    model.changes.forEach((change, i) => {
      const r = i + 2;
      expectPlainString(cellAt(sheet, `A${r}`), change.projectId);
      const fmt = change.figure === 'finance' ? MONEY : '#,##0';
      expectNumber(cellAt(sheet, `C${r}`), change.old, fmt);
      expectNumber(cellAt(sheet, `D${r}`), change.new, fmt);
      expect(cellAt(sheet, `E${r}`).formula).toBe(`D${r}-C${r}`);
      expect(cellAt(sheet, `E${r}`).result).toBe(change.new - change.old);
    });
    expectPlainString(cellAt(sheet, 'B2'), 'O.2.1.1');
    expectPlainString(cellAt(sheet, 'B3'), 'Finanses: izlietots kumulatīvi');
  });

  it('summarises period, totals and completeness with project names', () => {
    const sheet = sheetOf(workbook, 'Kopsavilkums');
    expectPlainString(labelledValue(sheet, 'Pārskata periods'), model.period);
    expectNumber(labelledValue(sheet, 'Redakcija'), model.revision, '#,##0');
    expectDate(labelledValue(sheet, 'Iesniegšanas termiņš'), model.deadline);
    expectNumber(labelledValue(sheet, 'Projektu skaits'), model.projects.length, '#,##0');
    expectNumber(labelledValue(sheet, 'Izlietots kumulatīvi'), model.finance.spentCumulative, MONEY);
    expectNumber(labelledValue(sheet, 'Iesniegts laikā'), model.completeness.onTime.length, '#,##0');
    expectNumber(labelledValue(sheet, 'Nav iesniegts'), model.completeness.missing.length, '#,##0');
    expectPlainString(labelledValue(sheet, 'Iesniegts novēloti: projekti'), model.completeness.late.join(', '));
    expectPlainString(labelledValue(sheet, 'Nav iesniegts: projekti'), model.completeness.missing.join(', '));
    expectNumber(labelledValue(sheet, 'Rādītāji ar statusu: Atpaliek'), 3, '#,##0');
  });

  it('gives byte-identical output for the same model', async () => {
    expect(sha256(await renderProgrammeXlsx(programmeModel(), 'lv'))).toBe(sha256(bytes));
  });

  it('names sheets and headers in English in the English edition', async () => {
    const english = await load(await renderProgrammeXlsx(model, 'en'));
    expect(english.worksheets.map((s) => s.name)).toEqual(['Summary', 'Projects', 'Indicators', 'Finance', 'Changes']);
    const projects = sheetOf(english, 'Projects');
    expect(projects.getRow(1).getCell(1).value).toBe('Project ID');
    expect(projects.getRow(1).getCell(5).value).toBe('Submission');
    expectPlainString(cellAt(projects, 'E2'), SUBMISSION_STATUS_LABELS.late.en);
    expect(sheetOf(english, 'Indicators').getRow(1).getCell(7).value).toBe('Cumulative in projects with a target');
    expect(sheetOf(english, 'Indicators').getRow(1).getCell(8).value).toBe('% of target');
    expect(sheetOf(english, 'Changes').getRow(1).getCell(3).value).toBe('Previous revision');
    expectPlainString(labelledValue(sheetOf(english, 'Summary'), 'Reporting period'), model.period);
  });

  it('keeps hostile project titles as text', async () => {
    const hostile: ProgrammeReportModel = {
      ...model,
      projects: HOSTILE_TEXTS.map((title, i) => ({ ...model.projects[0]!, id: `P-${i}`, title, beneficiary: title })),
    };
    const sheet = sheetOf(await load(await renderProgrammeXlsx(hostile, 'lv')), 'Projekti');
    HOSTILE_TEXTS.forEach((text, i) => {
      expectPlainString(cellAt(sheet, `B${i + 2}`), text.replace(/\r/g, ''));
      expectPlainString(cellAt(sheet, `C${i + 2}`), text.replace(/\r/g, ''));
    });
  });
});
