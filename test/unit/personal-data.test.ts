import { describe, expect, it } from 'vitest';
import {
  findPersonalData,
  findPersonalDataInFull,
  PERSONAL_DATA_MASKS,
  type PersonalDataKind,
} from '../../functions/intake/personal-data';
import { EMAILS, NAMES, PERSONAL_CODES, PSEUDONYMS } from '../fixtures/personal-data-disguises';

describe('personal-data guard', () => {
  const cases: [PersonalDataKind, string, string][] = [
    ...PERSONAL_CODES.map(([d, v]): [PersonalDataKind, string, string] => ['personal-code', d, v]),
    ...EMAILS.map(([d, v]): [PersonalDataKind, string, string] => ['email', d, v]),
    ...NAMES.map(([d, v]): [PersonalDataKind, string, string] => ['name', d, v]),
  ];

  it.each(cases)('refuses a %s (%s)', (kind, _description, value) => {
    const finding = findPersonalData(value);
    expect(finding?.kind).toBe(kind);
    expect(finding?.mask).toBe(PERSONAL_DATA_MASKS[kind]);
  });

  it.each(PSEUDONYMS)('keeps the pseudonym %j', (value) => {
    expect(findPersonalData(value)).toBeNull();
  });

  it('answers as every check would, for generated IDs near and far from the usual pseudonym', () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pieces = [
      'P',
      'lv',
      '-',
      '0',
      '7',
      '12345',
      '/',
      '.',
      '_',
      ' ',
      '@',
      '(at)',
      '[',
      '<',
      '{',
      'Ā',
      '٣',
      '\u200b',
      'ž',
      'p7@x.lv',
      'x.lv',
      ',',
      'x',
      ' at ',
      'Bērziņš',
    ];
    const fixtures = [...PERSONAL_CODES, ...EMAILS, ...NAMES].map(([, v]) => v).concat(PSEUDONYMS);
    const values = [...fixtures];
    for (let i = 0; i < 4_000; i++) {
      const parts = Array.from(
        { length: 1 + Math.floor(next() * 6) },
        () => pieces[Math.floor(next() * pieces.length)],
      );
      values.push(parts.join(''));
    }
    for (const value of values)
      expect(findPersonalData(value), JSON.stringify(value)).toEqual(findPersonalDataInFull(value));
  });

  it('masks carry none of the digits or letters of what they replace', () => {
    for (const mask of Object.values(PERSONAL_DATA_MASKS)) expect(mask).toMatch(/^[#*@ -]+$/);
  });
});
