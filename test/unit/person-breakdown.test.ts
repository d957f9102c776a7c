/**
 * Gender and age brackets of person indicators (Reg. 2021/1147 Annex VIII), the Breakdown sheet and the
 * "of which" rule, read from workbooks built with plain exceljs.
 */
import { describe, expect, it } from 'vitest';
import { submissionsInForce } from '../../functions/core/aggregate';
import { personBreakdown } from '../../functions/core/breakdown';
import { buildCatalogue } from '../../functions/core/catalogue';
import { parseAgeBracket, parseGender } from '../../functions/core/person-values';
import { parseSubmission } from '../../functions/intake/read-submission';
import { type SheetRows, source, testRegistry, workbook } from '../helpers/workbooks';

const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2026-01-01' };
const catalogue = buildCatalogue();

async function submit(sheets: Record<string, SheetRows>, period = '2025-Q3', version = 'v1') {
  const wb = await workbook({
    Projekts: [
      ['Projekta ID', 'lv-courses'],
      ['Periods', period],
    ],
    Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
    Rādītāji: [['Kods', 'Vērtība periodā']],
    ...sheets,
  });
  return parseSubmission(wb, { ...source(), version, uploadedAt: `${period.slice(0, 4)}-12-01T00:00:00Z` }, ctx);
}

const PARTICIPANT_HEADER = ['Dalībnieka ID', 'Aktivitāte', 'Sākuma datums', 'Dzimums', 'Vecuma grupa'];

describe('gender and age-group cells', () => {
  it('read Latvian, English and the old one-letter values; empty is not known', () => {
    const cases: [string, string | null][] = [
      ['sieviete', 'female'],
      ['Female', 'female'],
      ['S', 'female'],
      ['F', 'female'],
      ['vīrietis', 'male'],
      ['VIRIETIS', 'male'],
      ['M', 'male'],
      ['V', 'male'],
      ['cits', 'other'],
      ['X', 'other'],
      ['', 'unknown'],
      ['?', null],
      ['woman?', null],
    ];
    for (const [text, expected] of cases) expect(parseGender(text), text).toBe(expected);
  });

  it('read the Annex brackets with any dash or spacing, keep 18+ apart, refuse anything else', () => {
    const cases: [string, string | null][] = [
      ['<18', '<18'],
      [' < 18 ', '<18'],
      ['18-60', '18-60'],
      ['18–60', '18-60'],
      ['18 — 60', '18-60'],
      ['>60', '>60'],
      ['> 60', '>60'],
      ['18+', '18+'],
      ['', 'unknown'],
      ['60+', null],
      ['30', null],
      ['18-65', null],
    ];
    for (const [text, expected] of cases) expect(parseAgeBracket(text), text).toBe(expected);
  });
});

describe('participant rows with gender and age bracket', () => {
  const rows: SheetRows = [
    PARTICIPANT_HEADER,
    ['P-1', 'language-course', '2025-07-01', 'sieviete', '<18'],
    ['P-2', 'language-course', '2025-07-01', 'vīrietis', '18-60'],
    ['P-3', 'language-course', '2025-07-01', 'cits', '>60'],
    ['P-4', 'language-course', '2025-07-01', '', '18-60'],
    ['P-5', 'language-course', '2025-07-01', 'female', '18+'],
    ['P-6', 'language-course', '2025-07-01', 'male', ''],
    // P-1 again, later, in another bracket: counted once, in the bracket of the first activity.
    ['P-1', 'civic-course', '2025-09-01', 'sieviete', '18-60'],
  ];

  it('keep per qualifying pseudonym only gender and bracket; 18+ is accepted with a warning at its cell', async () => {
    const result = await submit({ Dalībnieki: rows });
    expect(result.issues.map((i) => `${i.severity}:${i.code}@${i.cell}`)).toEqual(['warning:age-group-not-split@E6']);
    expect(result.submission!.profiles).toEqual({
      'P-1': 'female/<18',
      'P-2': 'male/18-60',
      'P-3': 'other/>60',
      'P-4': 'unknown/18-60',
      'P-5': 'female/18+',
      'P-6': 'male/unknown',
    });
  });

  it('refuse a gender or age group that is not one of the values, at the cell', async () => {
    const result = await submit({
      Dalībnieki: [PARTICIPANT_HEADER, ['P-1', 'language-course', '2025-07-01', 'sieva', '18-65']],
    });
    expect(result.submission).toBeNull();
    expect(result.issues.map((i) => `${i.code}@${i.cell}`)).toEqual(['value-not-allowed@D2', 'value-not-allowed@E2']);
  });

  it('give a breakdown whose cells add up to the cumulative unique count, first bracket winning across periods', async () => {
    const q3 = (await submit({ Dalībnieki: rows })).submission!;
    const q4 = (
      await submit(
        {
          Dalībnieki: [
            PARTICIPANT_HEADER,
            ['P-2', 'language-course', '2025-10-01', 'vīrietis', '>60'],
            ['P-7', 'language-course', '2025-10-01', 'sieviete', '>60'],
          ],
        },
        '2025-Q4',
        'v2',
      )
    ).submission!;
    const history = submissionsInForce([q3, q4], '2025-Q4');
    const b = personBreakdown(catalogue.get('O.2.3.1')!, history, '2025-Q4');
    expect(b.total).toBe(7);
    expect(b.counts.female['<18']).toBe(1);
    expect(b.counts.male['18-60']).toBe(1); // P-2 stays in the bracket of Q3
    expect(b.counts.male['>60']).toBe(0);
    expect(b.counts.female['>60']).toBe(1);
    expect(b.counts.female['18+']).toBe(1);
    expect(b.counts.unknown['18-60']).toBe(1);
    expect(b.counts.male.unknown).toBe(1);
    let sum = 0;
    for (const g of Object.values(b.counts)) for (const n of Object.values(g)) sum += n;
    expect(sum).toBe(b.total);
  });
});

describe('the Breakdown sheet of typed person indicators', () => {
  const typed: SheetRows = [
    ['Kods', 'Vērtība periodā'],
    ['O.2.1', 5],
    ['O.2.4', 2],
  ];

  it('is kept when its rows add up to the typed value', async () => {
    const result = await submit({
      Rādītāji: typed,
      Sadalījums: [
        ['Kods', 'Dzimums', 'Vecuma grupa', 'Vērtība periodā'],
        ['O.2.1', 'sieviete', '18-60', 3],
        ['O.2.1', 'vīrietis', '>60', 2],
      ],
    });
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.submission!.breakdowns.map((b) => [b.code, b.cells.map((c) => [c.gender, c.age, c.value])])).toEqual([
      [
        'O.2.1',
        [
          ['female', '18-60', 3],
          ['male', '>60', 2],
        ],
      ],
    ]);
  });

  it('names both numbers when the rows do not add up, and refuses a non-person indicator', async () => {
    const result = await submit({
      Rādītāji: typed,
      Sadalījums: [
        ['Kods', 'Dzimums', 'Vecuma grupa', 'Vērtība periodā'],
        ['O.2.1', 'sieviete', '18-60', 4],
        ['O.2.4', 'sieviete', '18-60', 2],
      ],
    });
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors.map((i) => [i.code, i.cell, i.found, i.expected])).toEqual([
      ['breakdown-not-person', 'A3', 'O.2.4', 'paketes un kampaņas / packages and campaigns'],
      ['breakdown-sum-mismatch', 'D2', 'O.2.1: Σ 4', '5 (Rādītāji!B2)'],
    ]);
  });
});

describe('"of which" items', () => {
  it('never exceed their parent in the period: a typed breakdown above it is an error at its cell', async () => {
    const result = await submit({
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['O.1.3', 4],
        ['O.1.3.1', 6],
        ['O.1.4', 3],
        ['O.1.4.1', 3],
      ],
    });
    expect(result.issues.map((i) => [i.code, i.cell, i.found, i.expected])).toContainEqual([
      'indicator-breakdown-exceeds-parent',
      'B3',
      'O.1.3.1 = 6',
      '≤ O.1.3 = 4',
    ]);
    expect(result.issues.filter((i) => i.code === 'indicator-breakdown-exceeds-parent')).toHaveLength(1);
  });
});
