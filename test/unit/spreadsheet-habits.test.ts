/**
 * Ordinary spreadsheet habits never change a number silently: total rows, categories spelled another way, one
 * person spelled three ways, implausible dates. Each class is checked through the real reader and parser.
 */
import { describe, expect, it } from 'vitest';
import { buildProjectReport } from '../../functions/core/report-model';
import type { NormalisedSubmission, ValidationIssue } from '../../functions/core/types';
import { parseSubmission } from '../../functions/intake/read-submission';
import { isSumAbove, isTotalLabel } from '../../functions/intake/total-rows';
import { type SheetRows, source, testRegistry, workbook } from '../helpers/workbooks';

const PROJECT: SheetRows = [
  ['Projekta ID', 'lv-courses'],
  ['Periods', '2025-Q3'],
];
const INDICATORS: SheetRows = [
  ['Kods', 'Vērtība periodā'],
  ['R.2.9', 12],
];

async function parse(sheets: Record<string, SheetRows>) {
  const wb = await workbook({ Projekts: PROJECT, Rādītāji: INDICATORS, ...sheets });
  return parseSubmission(wb, source(), { registry: testRegistry(), folder: 'lv-courses', today: '2025-11-01' });
}

const errors = (issues: ValidationIssue[]) => issues.filter((i) => i.severity === 'error');
const codes = (issues: ValidationIssue[]) => issues.map((i) => i.code);

function spend(s: NormalisedSubmission): number {
  const model = buildProjectReport({
    registry: testRegistry(),
    submissions: [s],
    period: '2025-Q3',
    revision: 1,
    generatedAt: '2025-11-01T00:00:00Z',
    projectId: 'lv-courses',
  });
  return model.finance.spentCumulative;
}

const LINES: SheetRows = [
  ['Izmaksu kategorija', 'Summa periodā, EUR'],
  ['Personāla izmaksas', 205_337.45],
  ['Mācību materiāli', 0.1],
  ['Mācību materiāli', 0.2],
];

describe('total rows', () => {
  it.each(['Kopā', 'KOPĀ:', '  kopa ', 'Pavisam', 'Summa', 'Total', 'Kopā izdevumi', 'Total:'])(
    'recognises %j as a total label',
    (label) => expect(isTotalLabel(label)).toBe(true),
  );
  it.each(['Totalitārisma pētījumi', 'Personāla izmaksas', 'Summas korekcija', ''])('but not %j', (label) =>
    expect(isTotalLabel(label)).toBe(false),
  );

  it('recognises a SUM over the rows above in the same column, and nothing else', () => {
    expect(isSumAbove('SUM(B2:B9)', 10, 2)).toBe(true);
    expect(isSumAbove('=SUM($B$2:$B$9)', 10, 2)).toBe(true);
    expect(isSumAbove('SUBTOTAL(9,B2:B9)', 10, 2)).toBe(true);
    expect(isSumAbove('SUM(C2:C9)', 10, 2)).toBe(false);
    expect(isSumAbove('SUM(B2:B12)', 10, 2)).toBe(false);
    expect(isSumAbove('B2*2', 10, 2)).toBe(false);
  });

  it('a correct total row reports the same spend as without it; a wrong one the same spend and both numbers', async () => {
    const plain = await parse({ Izdevumi: LINES });
    expect(errors(plain.issues)).toEqual([]);
    const withTotal = await parse({ Izdevumi: [...LINES, ['Kopā', 205_337.75]] });
    expect(errors(withTotal.issues)).toEqual([]);
    expect(codes(withTotal.issues)).not.toContain('total-row-mismatch');
    const withSum = await parse({ Izdevumi: [...LINES, [null, { formula: 'SUM(B2:B4)', result: 205_337.75 }]] });
    const wrong = await parse({ Izdevumi: [...LINES, ['KOPĀ:', 205_000]] });
    expect(errors(wrong.issues)).toEqual([]);

    const expected = spend(plain.submission!);
    expect(expected).toBe(205_337.75);
    expect(spend(withTotal.submission!)).toBe(expected);
    expect(spend(withSum.submission!)).toBe(expected);
    expect(spend(wrong.submission!)).toBe(expected);
    const warning = wrong.issues.find((i) => i.code === 'total-row-mismatch')!;
    expect(warning).toMatchObject({ severity: 'warning', sheet: 'Izdevumi', cell: 'B5' });
    expect(warning.message.lv).toContain('205\u00a0000,00');
    expect(warning.message.lv).toContain('205\u00a0337,75');
    expect(warning.message.en).toContain('205,000.00');
    expect(warning.message.en).toContain('205,337.75');
    // The report's data-quality warnings carry the message, so a manager sees both numbers too.
    expect(wrong.submission!.warnings.map((w) => w.code)).toContain('total-row-mismatch');
  });

  it('applies to totals in Rādītāji too', async () => {
    const wb = await workbook({
      Projekts: PROJECT,
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['R.2.9', 12],
        ['R.2.8', 3],
        ['Kopā', 16],
      ],
      Izdevumi: LINES,
    });
    const result = parseSubmission(wb, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    expect(errors(result.issues)).toEqual([]);
    expect(result.submission!.indicators.map((i) => i.code)).toEqual(['R.2.9', 'R.2.8']);
    const warning = result.issues.find((i) => i.code === 'total-row-mismatch')!;
    expect(warning.message.en).toContain('Total 16, sum of the rows 15');
  });
});

describe('expenditure maps to the budget', () => {
  it('matches case, spaces and diacritics and stores the budget spelling', async () => {
    const result = await parse({
      Izdevumi: [
        ['Izmaksu kategorija', 'Summa periodā, EUR'],
        ['  personala   IZMAKSAS ', 10],
        ['Macibu materiali', 5],
      ],
    });
    expect(errors(result.issues)).toEqual([]);
    expect(result.submission!.expenditure.map((e) => e.category)).toEqual(['Personāla izmaksas', 'Mācību materiāli']);
  });

  it('refuses a category that is no budget line, naming the closest lines', async () => {
    const result = await parse({
      Izdevumi: [
        ['Izmaksu kategorija', 'Summa periodā, EUR'],
        ['Personāla izmaksa', 10],
        ['Ceļa izdevumi', 5],
      ],
    });
    const refused = result.issues.filter((i) => i.code === 'category-not-in-budget');
    expect(refused.map((i) => [i.severity, i.cell])).toEqual([
      ['error', 'A2'],
      ['error', 'A3'],
    ]);
    expect(refused[0]!.expected?.split('; ')[0]).toBe('Personāla izmaksas');
    expect(result.submission).toBeNull();
  });
});

describe('one person, three spellings', () => {
  it('counts once, warns naming the rows, and shows invisible characters', async () => {
    const result = await parse({
      Dalībnieki: [
        ['Dalībnieka ID', 'Aktivitāte'],
        ['P-0007', 'language-course'],
        ['P-0007\u200b', 'language-course'],
        ['p-0007', 'language-course'],
        ['P-0007\u00a0', 'language-course'],
        ['P-0008', 'language-course'],
      ],
      Izdevumi: LINES,
    });
    expect(errors(result.issues)).toEqual([]);
    expect(result.submission!.derived.find((d) => d.code === 'O.2.3.1')?.value).toBe(2);
    const warning = result.issues.find((i) => i.code === 'participant-id-variants')!;
    expect(warning).toMatchObject({ severity: 'warning', cell: 'A2', found: 'A2, A3, A4, A5' });
  });

  it('shows an invisible character in a found value', async () => {
    const wb = await workbook({
      Projekts: PROJECT,
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['O.2.3.9\u200b', 1],
      ],
      Izdevumi: LINES,
    });
    const result = parseSubmission(wb, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    expect(result.issues.find((i) => i.code === 'indicator-unknown')?.found).toBe('O.2.3.9⟨U+200B⟩');
  });
});

describe('numbers as Excel shows them, dates that cannot be meant', () => {
  it('takes a count within 1e-9 of a whole number as that number, and refuses 38.5', async () => {
    const near = await parse({
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['R.2.9', 38.999999999999993],
      ],
      Izdevumi: LINES,
    });
    expect(near.submission!.indicators[0]?.value).toBe(39);
    const half = await parse({
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['R.2.9', 38.5],
      ],
      Izdevumi: LINES,
    });
    expect(codes(half.issues)).toContain('value-not-integer');
  });

  it('warns at serial 0, serial 60 and dates more than a year outside the project', async () => {
    const wb = await workbook({
      Projekts: PROJECT,
      Rādītāji: INDICATORS,
      Dalībnieki: [
        ['Dalībnieka ID', 'Aktivitāte', 'Sākuma datums'],
        ['P-1', 'language-course', new Date(Date.UTC(2025, 7, 1))],
        ['P-2', 'language-course', new Date(Date.UTC(2025, 7, 2))],
        ['P-3', 'language-course', new Date(Date.UTC(2052, 0, 5))],
        ['P-4', 'language-course', new Date(Date.UTC(2025, 7, 5))],
      ],
      Izdevumi: LINES,
    });
    // Serial 0 (an empty date, 00.01.1900) and 60 (29.02.1900, Excel's leap-year bug) as the reader gives them.
    const sheet = wb.sheets.find((s) => s.name === 'Dalībnieki')!;
    sheet.rows[1]!.cells[2] = { t: 'date', iso: '1899-12-31', serial: 0 };
    sheet.rows[2]!.cells[2] = { t: 'date', iso: '1900-02-28', serial: 60 };
    const result = parseSubmission(wb, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    const implausible = result.issues.filter((i) => i.code === 'date-implausible');
    expect(implausible.map((i) => [i.severity, i.cell])).toEqual([
      ['warning', 'C2'],
      ['warning', 'C3'],
      ['warning', 'C4'],
    ]);
  });
});
