import { describe, expect, it } from 'vitest';
import { findPersonalData, PERSONAL_DATA_MASKS, type PersonalDataKind } from '../../functions/intake/personal-data';

/** Digits 0–9 in another script, starting at that script's zero. */
const inScript = (text: string, zero: number) => text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));

// Every disguise of the one old-form code 120345-12345 and of a new-form code, as found in real uploads.
const PERSONAL_CODES: [string, string][] = [
  ['plain', '120345-12345'],
  ['no separator', '12034512345'],
  ['space', '120345 12345'],
  ['dots', '12.03.45-12345'],
  ['dots only', '12.03.45.12345'],
  ['en dash', '120345–12345'],
  ['em dash', '120345—12345'],
  ['non-breaking hyphen', '120345\u201112345'],
  ['minus sign', '120345\u221212345'],
  ['zero-width space', '120345\u200b-12345'],
  ['zero-width space between every digit', [...'12034512345'].join('\u200b')],
  ['soft hyphen', '120345\u00ad12345'],
  ['bidi marks', '\u202a120345-12345\u202c'],
  ['no-break space', '120345\u00a012345'],
  ['full-width digits', inScript('120345-12345', 0xff10)],
  ['full-width hyphen', '120345\uff0d12345'],
  ['Arabic-Indic digits', inScript('120345-12345', 0x0660)],
  ['Eastern Arabic-Indic digits', inScript('120345-12345', 0x06f0)],
  ['Devanagari digits', inScript('120345-12345', 0x0966)],
  ['mathematical bold digits', inScript('120345-12345', 0x1d7ce)],
  ['new form', '321234-56789'],
  ['new form, no separator', '32123456789'],
  ['new form, en dash', '321234–56789'],
  ['with a prefix', 'PK 120345-12345'],
  ['in brackets', '(120345-12345)'],
  ['outer spaces', '  120345-12345  '],
  ['slashes', '120345/12345'],
];

const EMAILS: [string, string][] = [
  ['plain', 'janis.berzins@example.lv'],
  ['capitals', 'JANIS.BERZINS@EXAMPLE.LV'],
  ['(at)', 'janis.berzins(at)example.lv'],
  ['[at]', 'janis.berzins [at] example.lv'],
  ['(at) and (dot)', 'janis (at) example (dot) lv'],
  ['spelled at and dot', 'janis at example dot lv'],
  ['full-width at', 'janis＠example.lv'],
  ['small at', 'janis﹫example.lv'],
  ['zero-width space', 'janis\u200b@example.lv'],
  ['diacritics', 'jānis.bērziņš@piemērs.lv'],
];

const NAMES: [string, string][] = [
  ['name surname', 'Jānis Bērziņš'],
  ['capitals', 'JĀNIS BĒRZIŅŠ'],
  ['lower case', 'jānis bērziņš'],
  ['surname, name', 'Bērziņš, Jānis'],
  ['initial and surname', 'J. Bērziņš'],
  ['initial without space', 'J.Bērziņš'],
  ['surname and initial', 'Bērziņš J.'],
  ['two initials', 'J. K. Bērziņa'],
  ['hyphenated surname', 'Anna Kalniņa-Liepiņa'],
  ['three words', 'Anna Marija Ozola'],
  ['no-break space', 'Jānis\u00a0Bērziņš'],
  ['zero-width space', 'Jānis \u200bBērziņš'],
  ['apostrophe', "Seán O'Brien"],
  ['Cyrillic', 'Иван Петров'],
];

const PSEUDONYMS = [
  'P-0001',
  'PM-D-001',
  'LV-0001',
  'IOM-0001',
  'A12',
  'KM/2024/17',
  'P-00123',
  'O.2.3.1',
  'RC-2025-0042',
  'LV-2024-000017',
  'X',
  'p-0001',
  'P 0001',
  'Anna',
  'ĀŅA-17',
];

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
