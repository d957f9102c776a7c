import { describe, expect, it } from 'vitest';
import { parseSubmission } from '../../functions/intake/read-submission';
import { source, testRegistry, workbook } from '../helpers/workbooks';

const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2025-11-01' };
const where = (issues: { code: string; sheet?: string; cell?: string; severity: string }[]) =>
  issues.map((i) => `${i.severity}:${i.code}@${i.sheet ?? ''}!${i.cell ?? ''}`).sort();

describe('a submission workbook from another tool', () => {
  it('is read with English, upper-case, diacritic-free headers in shuffled order, with extra columns and a title row', async () => {
    const wb = await workbook({
      Instructions: [['Fill in every sheet']],
      PROJECT: [['Quarterly report'], ['project id', 'lv-courses'], ['PERIOD', 'Q3 2025']],
      'RADITAJI ': [
        ['Indicators for the quarter'],
        [],
        ['Comment', 'VALUE THIS PERIOD', 'Internal note', 'code'],
        ['typed in a hurry', '3', 'x', 'O.2.3.1'],
        ['', 1, '', 'r.2.8'],
      ],
      participants: [
        ['Level at end', 'Participant ID', 'activity', 'Level at start', 'Helpful for integration', 'Extra'],
        ['A2', 'P-001', 'language-course', 'A1', 'Yes', '?'],
        ['A1', 'P-002', 'language-course', 'A1', 'Nē', ''],
        ['B1', 'P-003', 'language-course', 'A2', 'Jā', ''],
      ],
      Izdevumi: [
        ['Summa periodā, EUR', 'IZMAKSU KATEGORIJA'],
        ['12 345,60', 'Personāla izmaksas'],
      ],
    });
    const result = parseSubmission(wb, source(), ctx);
    expect(where(result.issues)).toEqual(['warning:indicator-derived-mismatch@RADITAJI !B5']);
    const s = result.submission!;
    expect(s.period).toBe('2025-Q3');
    expect(s.projectId).toBe('lv-courses');
    expect(s.indicators.map((i) => [i.code, i.value, i.lineage.cell])).toEqual([
      ['O.2.3.1', 3, 'B4'],
      ['R.2.8', 1, 'B5'],
    ]);
    expect(s.derived.find((d) => d.code === 'O.2.3.1')?.value).toBe(3);
    expect(s.derived.find((d) => d.code === 'R.2.8')).toMatchObject({ value: 2, participantIds: ['P-001', 'P-003'] });
    expect(s.derived.find((d) => d.code === 'R.2.9')?.lineage.map((c) => c.cell)).toEqual(['B2', 'B4']);
    expect(s.expenditure).toEqual([
      {
        category: 'Personāla izmaksas',
        amountCents: 1_234_560,
        lineage: { sheet: 'Izdevumi', cell: 'A2', raw: '12 345,60' },
      },
    ]);
  });

  it('names every wrong cell with a specific issue', async () => {
    const wb = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [
        ['Kods', 'Nosaukums', 'Vērtība periodā'],
        ['O.2.3.1', '', -4],
        ['X.9.9', '', 2],
        ['O.2.3.1', '', 5],
        ['R.2.9', '', 2.5],
        ['R.2.8', '', 'daudz'],
      ],
      Dalībnieki: [
        ['Dalībnieka ID', 'Aktivitāte', 'Sākuma līmenis', 'Beigu līmenis'],
        ['120345-12345', 'language-course', 'A1', 'A2'],
        ['anna@example.lv', 'language-course', 'A1', 'A2'],
        ['Anna Bērziņa', 'language-course', 'A1', 'A2'],
        ['P-7', 'language-course', 'B3', 'A2'],
        ['P-8', 'language-course', 'B1', 'A2'],
        ['P-9', 'cooking', '', ''],
      ],
      Izdevumi: [
        ['Izmaksu kategorija', 'Summa periodā, EUR'],
        ['Personāla izmaksas', -10],
      ],
    });
    const result = parseSubmission(wb, source(), ctx);
    expect(result.submission).toBeNull();
    expect(where(result.issues)).toEqual(
      [
        'error:value-negative@Rādītāji!C2',
        'error:indicator-unknown@Rādītāji!A3',
        'error:indicator-duplicate@Rādītāji!A4',
        'error:value-not-integer@Rādītāji!C5',
        'error:value-not-number@Rādītāji!C6',
        'error:participant-id-personal@Dalībnieki!A2',
        'error:participant-id-personal@Dalībnieki!A3',
        'error:participant-id-personal@Dalībnieki!A4',
        'error:participant-level-invalid@Dalībnieki!C5',
        'error:participant-level-decreased@Dalībnieki!D6',
        'error:value-not-allowed@Dalībnieki!B7',
        'error:expenditure-negative@Izdevumi!B2',
      ].sort(),
    );
    // Personal data is never echoed back, even to its author.
    const personal = result.issues.filter((i) => i.code === 'participant-id-personal');
    expect(personal.map((i) => i.found).join(' ')).not.toMatch(/120345|anna|Bērziņa/i);
    for (const i of result.issues) {
      expect(i.message.lv.length).toBeGreaterThan(5);
      expect(i.message.en.length).toBeGreaterThan(5);
    }
  });

  it('refuses a wrong folder, an unknown project and periods outside the project or in the future', async () => {
    const make = (id: string, period: string) =>
      workbook({
        Projekts: [
          ['Projekta ID', id],
          ['Periods', period],
        ],
        Rādītāji: [['Kods', 'Vērtība periodā']],
        Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
      });
    const codes = async (id: string, period: string, folder = 'lv-courses') =>
      where(parseSubmission(await make(id, period), source(), { ...ctx, folder }).issues);
    expect(await codes('lv-courses', '2025-Q3', 'other')).toEqual(['error:project-folder-mismatch@Projekts!B1']);
    expect(await codes('nope', '2025-Q3', 'nope')).toEqual(['error:project-unknown@Projekts!B1']);
    expect(await codes('lv-courses', '2023-Q2')).toEqual(['error:period-before-start@Projekts!B2']);
    expect(await codes('lv-courses', '2026-Q3')).toEqual(['error:period-after-end@Projekts!B2']);
    expect(await codes('lv-courses', '2026-Q1')).toEqual(['error:period-in-future@Projekts!B2']);
    expect(await codes('lv-courses', '2025-Q5')).toEqual(['error:period-malformed@Projekts!B2']);
    expect(await codes('lv-courses', '2025. gada 3. ceturksnis')).toEqual([]);
  });

  it('names a missing sheet and a missing column in both languages', async () => {
    const wb = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [['Kods', 'Komentārs']],
    });
    const result = parseSubmission(wb, source(), ctx);
    expect(where(result.issues)).toEqual(['error:column-missing@Rādītāji!A1', 'error:sheet-missing@Izdevumi!']);
    expect(result.issues.find((i) => i.code === 'column-missing')?.expected).toBe(
      'Vērtība periodā / Value this period',
    );
    expect(result.issues.find((i) => i.code === 'sheet-missing')?.expected).toBe('Izdevumi / Expenditure');
  });

  it('takes cached formula results and refuses formulas without one', async () => {
    const wb = await workbook({
      Projekts: [
        ['Projekta ID', 'lv-courses'],
        ['Periods', '2025-Q3'],
      ],
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['O.2.3.1', { formula: '2+3', result: 5 }],
        ['R.2.8', { formula: 'A1*2' }],
      ],
      Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
    });
    const result = parseSubmission(wb, source(), ctx);
    expect(where(result.issues)).toEqual(['error:formula-no-value@Rādītāji!B3']);
  });
});
