/**
 * The participant sheet's rows as `readSubmission` checks them, against a reading written here cell by cell: the
 * gender, age-group and yes/no columns repeat a handful of values down the sheet and are answered once per
 * distinct text, so every row must still get its own issue (an invalid value, the `18+` warning) and its own
 * value; an ID written two ways must be noticed wherever its spellings fall. Generated sheets.
 */
import { describe, expect, it } from 'vitest';
import { cellRef } from '../../functions/core/cells';
import { participantIdVariants } from '../../functions/core/participant-id';
import { parseAgeBracket, parseGender } from '../../functions/core/person-values';
import type { ValidationIssue } from '../../functions/core/types';
import { type CellAt, FieldReader } from '../../functions/intake/field-reader';
import { readAgeBracket, readGender } from '../../functions/intake/read-breakdown';
import { readSubmission } from '../../functions/intake/read-submission';
import { mulberry32 as random } from '../../sample/sample-projects';
import { type SheetRows, source, testRegistry, workbookBytes } from '../helpers/workbooks';

const ctx = { registry: testRegistry(), folder: 'lv-courses', today: '2025-11-01' };
const HEADER = ['Participant ID', 'Activity', 'Helpful for integration', 'Vulnerable', 'Gender', 'Age group'];
/** Columns C to F: the ones read through remembered answers. */
const READ_COLUMNS = { helpful: 3, vulnerable: 4, gender: 5, age: 6 };

const ANSWERS = ['Jā', 'jā', ' Yes ', 'no', 'Nē', 'TRUE', '?', 'maybe', ''];
const GENDERS = ['female', ' Female', 'vīrietis', 'S', 'cits', 'x', 'nav zināms', '', 'sieviete  '];
const AGES = ['<18', '18-60', '18–60', ' >60', '18+', '≥18', '99', 'unknown', ''];
const VALID_ANSWERS = ANSWERS.filter((a) => !['?', 'maybe', ''].includes(a));

async function read(rows: SheetRows) {
  const bytes = await workbookBytes({
    Projekts: [
      ['Projekta ID', 'lv-courses'],
      ['Periods', '2025-Q3'],
    ],
    Rādītāji: [
      ['Kods', 'Vērtība periodā'],
      ['O.2.3.1', new Set(rows.map((r) => String(r[0]).toUpperCase())).size],
    ],
    Dalībnieki: [HEADER, ...rows],
    Izdevumi: [
      ['Izmaksu kategorija', 'Summa periodā, EUR'],
      ['Personāla izmaksas', 100],
    ],
  });
  const result = await readSubmission(bytes, source(), ctx);
  if (!result.ok) throw new Error(result.problem.code);
  return result.result;
}

/** The issues of the gender, age and yes/no cells, read one cell at a time with a field reader of their own. */
function expectedCellIssues(rows: SheetRows): ValidationIssue[] {
  const f = new FieldReader();
  rows.forEach((r, i) => {
    const at = (col: number): CellAt => ({
      value: r[col - 1] === '' ? undefined : (r[col - 1] as string),
      sheet: 'Dalībnieki',
      cell: cellRef(i + 2, col),
    });
    f.yesNo(at(READ_COLUMNS.helpful));
    f.yesNo(at(READ_COLUMNS.vulnerable));
    readGender(f, at(READ_COLUMNS.gender));
    readAgeBracket(f, at(READ_COLUMNS.age));
  });
  return f.issues;
}

const inReadColumns = (i: ValidationIssue) => i.sheet === 'Dalībnieki' && /^[C-F]\d+$/.test(i.cell ?? '');

describe('participant rows', () => {
  it('give every repeated gender, age group and yes/no value its own issue, in every row', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const pick = (list: readonly string[]) => list[Math.floor(next() * list.length)]!;
      const rows: SheetRows = Array.from({ length: 20 + Math.floor(next() * 80) }, (_, i) => [
        `P-${i}`,
        'language-course',
        pick(ANSWERS),
        pick(ANSWERS),
        pick(GENDERS),
        pick(AGES),
      ]);
      const { issues } = await read(rows);
      expect(issues.filter(inReadColumns), `seed ${seed}`).toEqual(expectedCellIssues(rows));
    }
  });

  it('keep each row its own gender and age group when values repeat with other spellings', async () => {
    const next = random(99);
    const pick = (list: readonly string[]) => list[Math.floor(next() * list.length)]!;
    const genders = GENDERS.filter((g) => parseGender(g) !== null);
    const ages = AGES.filter((a) => parseAgeBracket(a) !== null && parseAgeBracket(a) !== '18+');
    const rows: SheetRows = Array.from({ length: 300 }, (_, i) => [
      `P-${i}`,
      'language-course',
      pick(VALID_ANSWERS),
      pick(VALID_ANSWERS),
      pick(genders),
      pick(ages),
    ]);
    const { submission, issues } = await read(rows);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.filter(inReadColumns)).toEqual([]);
    const expected = Object.fromEntries(
      rows.map((r) => [r[0], `${parseGender(r[4] as string)}/${parseAgeBracket(r[5] as string)}`]),
    );
    expect(submission?.profiles).toEqual(expected);
  });

  it('warn of an ID written two ways wherever its spellings fall, and of none when each is written one way', async () => {
    let warned = 0;
    const ways = (n: number) => [`P-${n}`, `p-${n}`, `P-${n}\u200b`, `Ｐ-${n}`];
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed * 31);
      const persons = 5 + Math.floor(next() * 30);
      // Each person has one spelling of their own in half the sheets; in the others, any spelling in any row.
      const mixed = seed % 2 === 0;
      const own = Array.from({ length: persons }, (_, n) => ways(n)[Math.floor(next() * 4)]!);
      const ids = Array.from({ length: 60 }, () => {
        const n = Math.floor(next() * persons);
        return mixed && next() < 0.3 ? ways(n)[Math.floor(next() * 4)]! : own[n]!;
      });
      const rows: SheetRows = ids.map((id) => [id, 'language-course', 'Jā', 'Nē', 'female', '18-60']);
      const { issues } = await read(rows);
      const expected = participantIdVariants(ids.map((id, i) => ({ id, row: i + 2 }))).map((g) =>
        g.rows.map((r) => cellRef(r, 1)).join(', '),
      );
      const found = issues.filter((i) => i.code === 'participant-id-variants').map((i) => i.found);
      expect(found, `seed ${seed}`).toEqual(expected);
      if (!mixed) expect(found, `seed ${seed}`).toEqual([]);
      else warned += found.length;
    }
    expect(warned).toBeGreaterThan(0);
  });
});
