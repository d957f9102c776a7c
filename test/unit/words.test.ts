/** Words a coordinator reads: plural forms in both languages, repeated keys said in words, not "≠ A5". */
import { describe, expect, it } from 'vitest';
import { warningCount } from '../../functions/cli/commands/ingest';
import { alreadyGivenIn } from '../../functions/core/issue-codes';
import { MAIL_SENTENCES } from '../../functions/mail/mail-text';

describe('warningCount', () => {
  it.each([
    [0, '0 brīdinājumu / 0 warnings'],
    [1, '1 brīdinājums / 1 warning'],
    [2, '2 brīdinājumi / 2 warnings'],
    [10, '10 brīdinājumu / 10 warnings'],
    [11, '11 brīdinājumu / 11 warnings'],
    [21, '21 brīdinājums / 21 warnings'],
    [22, '22 brīdinājumi / 22 warnings'],
    [111, '111 brīdinājumu / 111 warnings'],
  ])('%i → %s', (n, text) => {
    expect(warningCount(n)).toBe(text);
  });
});

describe('mail sentences with counts', () => {
  it('use the right Latvian and English forms for one and for many', () => {
    expect(MAIL_SENTENCES.moreNotListed(1)).toEqual({
      lv: 'Vēl 1 ieraksts šeit nav uzskaitīts.',
      en: '1 more entry is not listed here.',
    });
    expect(MAIL_SENTENCES.moreNotListed(3).lv).toBe('Vēl 3 ieraksti šeit nav uzskaitīti.');
    expect(MAIL_SENTENCES.moreNotListed(12).lv).toBe('Vēl 12 ierakstu šeit nav uzskaitīts.');
    expect(MAIL_SENTENCES.projectFilesAttached(1).lv).toBe('Pievienots arī projekta pārskats (PDF un XLSX).');
    expect(MAIL_SENTENCES.projectFilesAttached(4).en).toBe(
      'The reports of 4 projects (PDF and XLSX) are attached as well.',
    );
    expect(MAIL_SENTENCES.projectFilesAttached(4).lv).toBe('Pievienoti arī 4 projektu pārskati (PDF un XLSX).');
  });
});

describe('alreadyGivenIn', () => {
  it('names the row that already gave the key, in Latvian and English', () => {
    expect(alreadyGivenIn('A5')).toBe('jau norādīts 5. rindā / already given in row 5');
    expect(alreadyGivenIn('AB120')).toBe('jau norādīts 120. rindā / already given in row 120');
    expect(alreadyGivenIn(undefined)).not.toContain('≠');
  });
});
