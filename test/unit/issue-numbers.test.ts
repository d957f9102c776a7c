/**
 * Numbers in issues are read in Latvian and English at once: the Latvian form (decimal comma) first, the English
 * one (decimal point) after it when the two differ. Table-driven over the formatter and over real issues found
 * in uploaded workbooks, so every place that puts a number into "found" or "expected" is covered.
 */
import { describe, expect, it } from 'vitest';
import { formatForBoth, formatTypedNumber } from '../../functions/core/format';
import { parseSubmission } from '../../functions/intake/read-submission';
import { type SheetRows, source, testRegistry, workbook } from '../helpers/workbooks';

describe('a typed number in each language', () => {
  it.each([
    [12.5, '12,5', '12.5', '12,5 / 12.5'],
    [-4.25, '-4,25', '-4.25', '-4,25 / -4.25'],
    [12, '12', '12', '12'],
    [1234567.891, '1234567,891', '1234567.891', '1234567,891 / 1234567.891'],
    [0.1, '0,1', '0.1', '0,1 / 0.1'],
    [1.5e-7, '1,5e-7', '1.5e-7', '1,5e-7 / 1.5e-7'],
  ])('%s → lv %s, en %s, both %s', (value, lv, en, both) => {
    expect(formatTypedNumber(value, 'lv')).toBe(lv);
    expect(formatTypedNumber(value, 'en')).toBe(en);
    expect(formatForBoth(value)).toBe(both);
  });
});

const project = [
  ['Projekta ID', 'lv-courses'],
  ['Periods', '2025-Q3'],
];

describe('numbers in the issues an upload gets', () => {
  it.each([
    {
      name: 'a count with a fraction',
      sheets: {
        Rādītāji: [
          ['Kods', 'Vērtība periodā'],
          ['O.2.3.1', 12.5],
        ],
      },
      code: 'value-not-integer',
      found: '12,5 / 12.5',
    },
    {
      name: 'a negative amount',
      sheets: {
        Rādītāji: [
          ['Kods', 'Vērtība periodā'],
          ['O.2.3.1', 3],
        ],
        Izdevumi: [
          ['Izmaksu kategorija', 'Summa periodā, EUR'],
          ['Personāla izmaksas', -4.5],
        ],
      },
      code: 'expenditure-negative',
      found: '-4,5 / -4.5',
    },
    {
      name: 'a total row that differs from its rows',
      sheets: {
        Rādītāji: [
          ['Kods', 'Vērtība periodā'],
          ['O.2.3.1', 3],
        ],
        Izdevumi: [
          ['Izmaksu kategorija', 'Summa periodā, EUR'],
          ['Personāla izmaksas', 1000.5],
          ['Mācību materiāli', 200.25],
          ['Kopā', 1300],
        ],
      },
      code: 'total-row-mismatch',
      found: '1\u00a0300,00 / 1,300.00',
      expected: '1\u00a0200,75 / 1,200.75',
    },
  ])('$name', async ({ sheets, code, found, expected }) => {
    const read = await workbook({ Projekts: project, ...(sheets as Record<string, SheetRows>) });
    const { issues } = parseSubmission(read, source(), {
      registry: testRegistry(),
      folder: 'lv-courses',
      today: '2025-11-01',
    });
    const hit = issues.find((i) => i.code === code);
    expect(hit, `${code} among ${issues.map((i) => i.code).join(', ')}`).toBeDefined();
    expect(hit!.found).toBe(found);
    if (expected !== undefined) expect(hit!.expected).toBe(expected);
  });
});
