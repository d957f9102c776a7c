import { describe, expect, it } from 'vitest';
import { findPersonalData, PERSONAL_DATA_MASKS, type PersonalDataKind } from '../../functions/intake/personal-data';
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

  it('masks carry none of the digits or letters of what they replace', () => {
    for (const mask of Object.values(PERSONAL_DATA_MASKS)) expect(mask).toMatch(/^[#*@ -]+$/);
  });
});
